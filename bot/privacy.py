"""What /privacy and /vergeet say, made from the settings that decide what the store keeps,
so that the notice is exactly true under every setting (tests/test_privacy.py holds it
against what the store really writes).

    notice(policy, lang, hospital) -> str    /privacy, in plain B1 Dutch or English
    forgotten(result, lang) -> str           /vergeet's answer, with correct plurals
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.store import Forgotten

_NOTICE = {
    "nl": {
        "intro": "Wat deze bot bewaart:",
        "nothing": "• Niets van wat u typt. Uw bericht wordt alleen gelezen om te antwoorden.",
        "texts": "• Vragen waarop de folder geen antwoord had: de tekst, zonder namen, adressen, "
        "nummers en data. Zo zien de schrijvers van de folder wat er mist.",
        "replies": "• Per antwoord: het soort antwoord, het onderwerp, hoe zeker de bot was, "
        "waarom hij geen antwoord had, de taal en het uur. Niet wie het vroeg.",
        "votes": "• Als u op 👍 of 👎 drukt: uw keuze en het onderwerp.",
        "linked": "Stemmen{texts} zijn gekoppeld aan een code voor deze chat, niet aan uw "
        "naam of nummer. Alles wordt na {days} dagen gewist. Met /vergeet wist u nu alles wat "
        "aan deze chat gekoppeld is.",
        "linked_texts": " en vragen",
        "memory": "Alleen in het geheugen, een paar minuten: hoe laat uw berichten kwamen (tegen "
        "overspoelen) en in welke taal u schrijft. Het logboek bevat geen berichten, namen of "
        "nummers. Telegram bewaart uw chat zelf: daarover gaat het privacybeleid van Telegram.",
        "ask": "Vragen over uw gegevens? Stel ze aan de functionaris gegevensbescherming van "
        "{hospital}.",
    },
    "en": {
        "intro": "What this bot keeps:",
        "nothing": "• Nothing you type. Your message is only read to answer it.",
        "texts": "• Questions the leaflet had no answer to: the text, without names, addresses, "
        "numbers and dates. This shows the leaflet's writers what is missing.",
        "replies": "• For each answer: the kind of answer, the topic, how sure the bot was, "
        "why it had no answer, the language and the hour. Not who asked.",
        "votes": "• When you press 👍 or 👎: your choice and the topic.",
        "linked": "Votes{texts} are linked to a code for this chat, not to your name or number. "
        "Everything is deleted after {days} days. With /vergeet you delete everything linked "
        "to this chat now.",
        "linked_texts": " and questions",
        "memory": "In memory only, for a few minutes: when your messages came (against "
        "flooding) and the language you write in. The log holds no messages, names or "
        "numbers. Telegram keeps your chat itself: Telegram's privacy policy covers that.",
        "ask": "Questions about your data? Ask the data protection officer of {hospital}.",
    },
}


@dataclass(frozen=True, slots=True)
class _Forget:
    done: str
    none: str
    failed: str
    joiner: str
    votes: tuple[str, str]  # one, more
    questions: tuple[str, str]


_FORGOTTEN = {
    "nl": _Forget(
        done="Gewist: {what}. Er is nu niets meer aan deze chat gekoppeld.",
        none="Er was niets aan deze chat gekoppeld, dus er is niets gewist.",
        failed="Het wissen lukte nu niet. Probeer het later opnieuw.",
        joiner=" en ",
        votes=("reactie (👍 of 👎)", "reacties (👍 of 👎)"),
        questions=("vraag", "vragen"),
    ),
    "en": _Forget(
        done="Deleted: {what}. Nothing is linked to this chat any more.",
        none="Nothing was linked to this chat, so nothing was deleted.",
        failed="Deleting did not work just now. Please try again later.",
        joiner=" and ",
        votes=("reaction (👍 or 👎)", "reactions (👍 or 👎)"),
        questions=("question", "questions"),
    ),
}


@dataclass(frozen=True, slots=True)
class DataPolicy:
    """The settings that decide what is kept."""

    keep_texts: bool
    retention_days: int


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "nl"


def notice(policy: DataPolicy, lang: str, hospital: str) -> str:
    """/privacy: what is kept under these settings, how long, linked to whom, how to delete
    it and who to ask."""
    t = _NOTICE[_lang(lang)]
    kept = [t["texts"] if policy.keep_texts else t["nothing"], t["replies"], t["votes"]]
    linked = t["linked"].format(
        texts=t["linked_texts"] if policy.keep_texts else "", days=policy.retention_days
    )
    return "\n".join(
        [t["intro"], *kept, "", linked, "", t["memory"], "", t["ask"].format(hospital=hospital)]
    )


def counted(n: int, forms: tuple[str, str]) -> str:
    """'1 vraag', '2 vragen', '0 vragen'."""
    return f"{n} {forms[0] if n == 1 else forms[1]}"


def forgotten(result: Forgotten | None, lang: str) -> str:
    """/vergeet's answer: how much was deleted, or that it failed."""
    t = _FORGOTTEN[_lang(lang)]
    if result is None:
        return t.failed
    if result.total == 0:
        return t.none
    counts = ((result.votes, t.votes), (result.questions, t.questions))
    return t.done.format(what=t.joiner.join(counted(n, forms) for n, forms in counts if n))
