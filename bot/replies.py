"""Every sentence the bot says, and how a decision becomes a reply.

A Reply is plain data: paragraphs of text, a source line, links and rows of buttons.
`render_plain` gives what a patient reads (the terminal chat, `ask --json`); `render_html`
gives the same in Telegram's HTML, every text escaped. Buttons carry short callback data
with a prefix (see CALLBACK_*), never a question's text.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, replace

from bot import privacy
from bot.engine import Decision, Kind
from bot.faq import Entry, Faq, Link
from bot.privacy import DataPolicy
from bot.store import Forgotten

CALLBACK_ENTRY = "faq:"  # faq:<entry id>: show that entry
CALLBACK_SECTION = "sec:"  # sec:<section id>: show that section's entries
CALLBACK_MENU = "menu"  # the topic menu
CALLBACK_OTHER = "other"  # "something else": ask to type the question again
CALLBACK_VOTE = "v:"  # v:+:<entry id> or v:-:<entry id>: 👍 or 👎 under an answer

TEXTS: dict[str, dict[str, str]] = {
    "nl": {
        "source": "Bron: folder {title} ({department}, {hospital}), deel: {section}.",
        "more": "Meer weten",
        "menu": "Onderwerpen",
        "other": "Iets anders",
        "clarify": "Ik weet niet zeker wat u bedoelt. Bedoelt u een van deze onderwerpen?",
        "clarify_other": "Iets anders? Stel uw vraag dan op een andere manier.",
        "fallback": "Dit staat niet in de folder {title}. Ik wil u geen verkeerd antwoord "
        "geven. Stel deze vraag aan uw huisarts.",
        "fallback_costs": "Dit staat niet in de folder {title}. Vragen over kosten en "
        "vergoeding stelt u aan uw zorgverzekeraar of aan het ziekenhuis.",
        "fallback_medicine": "Dit staat niet in de folder {title}. Vragen over een "
        "bepaald medicijn stelt u aan uw apotheek of uw huisarts.",
        "nearest": "Misschien bedoelt u:",
        "empty": "Typ uw vraag in een paar woorden. Bijvoorbeeld: Hoeveel calcium heb ik nodig?",
        "vague": "Ik begrijp uw vraag nog niet. Kunt u het anders zeggen? Of kies een onderwerp.",
        "alphabet": "Ik kan alleen vragen in het Nederlands of Engels lezen. "
        "I can only read questions in Dutch or English.",
        "urgent": "Dit klinkt dringend. Is er levensgevaar? Bel dan direct 112. "
        "Anders: bel nu uw huisarts. 's Avonds, 's nachts en in het weekend belt u de "
        "huisartsenpost. Wacht niet op deze chat: die kan u bij spoed niet helpen.",
        "crisis": "Denkt u aan zelfdoding? U hoeft dit niet alleen te dragen. Praat erover "
        "met 113 Zelfmoordpreventie: bel 113 of gratis 0800-0113, dag en nacht. Is er nu "
        "levensgevaar? Bel direct 112.",
        "greeting": "Hallo! Ik beantwoord vragen over de folder {title}. "
        "Typ uw vraag, of kies een onderwerp.",
        "thanks": "Graag gedaan. Hebt u nog een vraag? Typ die gerust.",
        "bye": "Tot ziens. Hebt u later nog een vraag, dan kunt u die altijd stellen.",
        "who": "Ik ben een chatbot van het {hospital}. Ik geef antwoord uit de folder "
        "{title} ({department}). Ik geef geen persoonlijk medisch advies: "
        "daarvoor gaat u naar uw huisarts.",
        "help": "Typ uw vraag in gewone woorden. Bijvoorbeeld: Hoeveel calcium heb ik nodig? "
        "Of kies een onderwerp. Voor persoonlijk medisch advies gaat u naar uw huisarts.",
        "topics": "Kies een onderwerp uit de folder {title}:",
        "section": "{section}: kies een vraag.",
        "retype": "Typ uw vraag dan op een andere manier. Korte zinnen werken het best.",
        "stale": "Deze knop werkt niet meer. Kies opnieuw een onderwerp.",
        "welcome": "Welkom! Ik beantwoord vragen over de folder {title} ({department}, "
        "{hospital}). Ik geef geen persoonlijk medisch advies: daarvoor gaat u naar uw "
        "huisarts. Typ uw vraag in gewone woorden, of kies een onderwerp.",
        "sources": "Mijn antwoorden komen uit de folder {title} van {department}, {hospital}. "
        "Elk antwoord noemt het deel van de folder waar het uit komt.",
        "not_text": "Ik kan alleen getypte vragen lezen. Typ uw vraag, of kies een onderwerp.",
        "slow_down": "U stuurt veel berichten kort na elkaar. Wacht even, dan help ik u weer.",
        "sorry": "Sorry, er ging iets mis bij mij. Probeer het over een minuut opnieuw.",
        "unknown_command": "Dat commando ken ik niet. Typ uw vraag, of kies /onderwerpen.",
        "vote_thanks": "Dank u voor uw reactie.",
        "useful": "👍 Nuttig",
        "not_useful": "👎 Niet nuttig",
        "reloaded": "De FAQ is opnieuw geladen: {count} vragen.",
        "reload_failed": "De nieuwe FAQ heeft fouten; de oude blijft in gebruik.",
    },
    "en": {
        "source": "Source: leaflet {title} ({department}, {hospital}), part: {section}.",
        "more": "Read more",
        "menu": "Topics",
        "other": "Something else",
        "clarify": "I am not sure what you mean. Do you mean one of these topics?",
        "clarify_other": "Something else? Then please ask in another way.",
        "fallback": "This is not in the leaflet {title}. I do not want to give you a wrong "
        "answer. Please ask your GP (huisarts).",
        "fallback_costs": "This is not in the leaflet {title}. For questions about costs and "
        "insurance, ask your health insurer or the hospital.",
        "fallback_medicine": "This is not in the leaflet {title}. For questions about a "
        "particular medicine, ask your pharmacy or your GP (huisarts).",
        "nearest": "Perhaps you mean:",
        "empty": "Please type your question in a few words. For example: "
        "How much calcium do I need?",
        "vague": "I do not understand your question yet. Could you put it another way? "
        "Or choose a topic.",
        "alphabet": "Ik kan alleen vragen in het Nederlands of Engels lezen. "
        "I can only read questions in Dutch or English.",
        "urgent": "This sounds urgent. Is a life in danger? Call 112 now. "
        "Otherwise: call your GP (huisarts) now. In the evening, at night and at the weekend, "
        "call the GP out-of-hours service (huisartsenpost). Do not wait for this chat: "
        "it cannot help in an emergency.",
        "crisis": "Are you thinking about suicide? You do not have to carry this alone. Talk "
        "to 113 Suicide Prevention: call 113 or free 0800-0113, day and night. Is a life in "
        "danger now? Call 112 at once.",
        "greeting": "Hello! I answer questions about the leaflet {title}. "
        "Type your question, or choose a topic.",
        "thanks": "You are welcome. Any other question? Just type it.",
        "bye": "Goodbye. If you have a question later, you can always ask it.",
        "who": "I am a chatbot of the {hospital}. I answer from the leaflet {title} "
        "({department}). I give no personal medical advice: for that, see your GP (huisarts).",
        "help": "Type your question in your own words. For example: How much calcium do I need? "
        "Or choose a topic. For personal medical advice, see your GP (huisarts).",
        "topics": "Choose a topic from the leaflet {title}:",
        "section": "{section}: choose a question.",
        "retype": "Then please type your question in another way. Short sentences work best.",
        "stale": "This button no longer works. Please choose a topic again.",
        "welcome": "Welcome! I answer questions about the leaflet {title} ({department}, "
        "{hospital}). I give no personal medical advice: for that, see your GP (huisarts). "
        "Type your question in your own words, or choose a topic.",
        "sources": "My answers come from the leaflet {title} of {department}, {hospital}. "
        "Every answer names the part of the leaflet it comes from.",
        "not_text": "I can only read typed questions. Type your question, or choose a topic.",
        "slow_down": "You are sending many messages in a short time. Please wait a moment.",
        "sorry": "Sorry, something went wrong on my side. Please try again in a minute.",
        "unknown_command": "I do not know that command. Type your question, or choose "
        "/onderwerpen.",
        "vote_thanks": "Thank you for your reaction.",
        "useful": "👍 Useful",
        "not_useful": "👎 Not useful",
        "reloaded": "The FAQ was reloaded: {count} questions.",
        "reload_failed": "The new FAQ has errors; the old one stays in service.",
    },
}


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Reply:
    kind: Kind
    lang: str
    paragraphs: tuple[str, ...]
    source: str | None = None
    links: tuple[Link, ...] = ()
    buttons: tuple[tuple[Button, ...], ...] = ()
    entry: Entry | None = None
    score: float = 0.0
    # What the store keeps of a fallback or clarify (no text): why, and the nearest topic.
    reason: str = ""
    nearest: str | None = None

    @property
    def options(self) -> tuple[Button, ...]:
        """Every button, in reading order (the terminal chat numbers them)."""
        return tuple(b for row in self.buttons for b in row)


@dataclass(frozen=True, slots=True)
class Replies:
    """Builds replies for one FAQ."""

    faq: Faq

    def text(self, lang: str, key: str, **extra: str) -> str:
        leaflet = self.faq.leaflet
        return TEXTS[lang if lang in TEXTS else "nl"][key].format(
            title=leaflet.title,
            department=leaflet.department,
            hospital=leaflet.hospital,
            **extra,
        )

    def menu_button(self, lang: str) -> Button:
        return Button(self.text(lang, "menu"), CALLBACK_MENU)

    def entry_button(self, entry: Entry, lang: str) -> Button:
        return Button(entry.label.get(lang), CALLBACK_ENTRY + entry.id)

    def for_decision(self, decision: Decision) -> Reply:
        reply = replace(self._for_decision(decision), score=decision.score)
        if decision.kind not in ("fallback", "clarify"):
            return reply
        nearest = decision.options[0].entry.id if decision.options else None
        return replace(reply, reason=decision.referral or decision.reason, nearest=nearest)

    def _for_decision(self, decision: Decision) -> Reply:
        lang = decision.lang
        if decision.kind == "answer" and decision.entry is not None:
            return self.answer(decision.entry, lang)
        if decision.kind == "clarify":
            return self.clarify([c.entry for c in decision.options], lang)
        if decision.kind == "urgent":
            key = "crisis" if decision.reason == "crisis" else "urgent"
            return Reply("urgent", lang, (self.text(lang, key),))
        if decision.kind == "smalltalk":
            return self.smalltalk(decision.reason, lang)
        return self.fallback(decision, lang)

    def answer(self, entry: Entry, lang: str) -> Reply:
        section = self.faq.sections[entry.section].get(lang)
        related = [e for e in (self.faq.entry(r) for r in entry.related) if e is not None]
        rows = [(self.entry_button(e, lang),) for e in related[:3]]
        return Reply(
            "answer",
            lang,
            (entry.answer.get(lang),),
            source=self.text(lang, "source", section=section),
            links=tuple(self.faq.link(n) for n in entry.links),
            buttons=(*rows, (self.menu_button(lang),)),
            entry=entry,
        )

    def clarify(self, entries: list[Entry], lang: str) -> Reply:
        rows = [(self.entry_button(e, lang),) for e in entries]
        other = Button(self.text(lang, "other"), CALLBACK_OTHER)
        return Reply("clarify", lang, (self.text(lang, "clarify"),), buttons=(*rows, (other,)))

    def fallback(self, decision: Decision, lang: str) -> Reply:
        if decision.reason in ("empty", "alphabet", "vague"):
            return Reply(
                "fallback",
                lang,
                (self.text(lang, decision.reason),),
                buttons=((self.menu_button(lang),),),
            )
        key = f"fallback_{decision.referral}" if decision.referral else "fallback"
        paragraphs = [self.text(lang, key)]
        nearest = [o.entry for o in decision.options]
        rows = [(self.entry_button(e, lang),) for e in nearest]
        link = self.faq.link(self.faq.leaflet.fallback_link)
        if nearest:
            paragraphs.append(self.text(lang, "nearest"))
            if nearest[0].links:
                link = self.faq.link(nearest[0].links[0])
        rows.append((self.menu_button(lang),))
        return Reply("fallback", lang, tuple(paragraphs), links=(link,), buttons=tuple(rows))

    def smalltalk(self, intent: str, lang: str) -> Reply:
        key = intent if intent in TEXTS["nl"] else "greeting"
        buttons = ((self.menu_button(lang),),) if key in ("greeting", "help", "who") else ()
        return Reply("smalltalk", lang, (self.text(lang, key),), buttons=buttons)

    def topics(self, lang: str) -> Reply:
        """The topic menu: one button per section, in the leaflet's order."""
        rows = tuple(
            (Button(title.get(lang), CALLBACK_SECTION + sid),)
            for sid, title in self.faq.sections.items()
        )
        return Reply("smalltalk", lang, (self.text(lang, "topics"),), buttons=rows)

    def privacy(self, policy: DataPolicy, lang: str) -> Reply:
        """/privacy: exactly what these settings keep (see bot/privacy.py)."""
        text = privacy.notice(policy, lang, self.faq.leaflet.hospital)
        return Reply("smalltalk", lang, (text,), buttons=((self.menu_button(lang),),))

    def forgotten(self, result: Forgotten | None, lang: str) -> Reply:
        return Reply("smalltalk", lang, (privacy.forgotten(result, lang),))

    def notice(self, key: str, lang: str, *, menu: bool = False, **extra: str) -> Reply:
        """A short fixed message (welcome, privacy, ...) from TEXTS."""
        buttons = ((self.menu_button(lang),),) if menu else ()
        return Reply("smalltalk", lang, (self.text(lang, key, **extra),), buttons=buttons)

    def with_votes(self, reply: Reply) -> Reply:
        """An answer with 👍 / 👎 buttons on top; any other reply as it is."""
        if reply.kind != "answer" or reply.entry is None:
            return reply
        entry_id = reply.entry.id
        row = (
            Button(self.text(reply.lang, "useful"), f"{CALLBACK_VOTE}+:{entry_id}"),
            Button(self.text(reply.lang, "not_useful"), f"{CALLBACK_VOTE}-:{entry_id}"),
        )
        return replace(reply, buttons=(row, *reply.buttons))

    def parse_vote(self, data: str) -> tuple[Entry, bool] | None:
        """The entry and the vote (True: 👍) in vote data; None when it is not a valid vote."""
        sign, _, entry_id = data.removeprefix(CALLBACK_VOTE).partition(":")
        entry = self.faq.entry(entry_id)
        if not data.startswith(CALLBACK_VOTE) or sign not in "+-" or not sign or entry is None:
            return None
        return entry, sign == "+"

    def welcome(self, lang: str) -> Reply:
        """/start: what the bot is and is not, and a button per topic."""
        topics = self.topics(lang)
        return Reply("smalltalk", lang, (self.text(lang, "welcome"),), buttons=topics.buttons)

    def sources(self, lang: str) -> Reply:
        """/bron: where the answers come from, with the leaflet's links."""
        links = tuple(self.faq.leaflet.links.values())
        return Reply(
            "smalltalk",
            lang,
            (self.text(lang, "sources"),),
            links=links,
            buttons=((self.menu_button(lang),),),
        )

    def deep_link(self, payload: str, lang: str) -> Reply:
        """/start <payload>: an entry or a section at once; anything else the welcome."""
        entry = self.faq.entry(payload)
        if entry is not None:
            return self.answer(entry, lang)
        return self.section(payload, lang) or self.welcome(lang)

    def section(self, section_id: str, lang: str) -> Reply | None:
        """A section's questions as buttons; None for an unknown section."""
        title = self.faq.sections.get(section_id)
        entries = self.faq.entries_in(section_id)
        if title is None or not entries:
            return None
        if len(entries) == 1:
            return self.answer(entries[0], lang)
        rows = (*((self.entry_button(e, lang),) for e in entries), (self.menu_button(lang),))
        text = self.text(lang, "section", section=title.get(lang))
        return Reply("smalltalk", lang, (text,), buttons=rows)

    def for_callback(self, data: str, lang: str) -> Reply:
        """The reply to a pressed button; untrusted data gets the polite "stale" reply."""
        reply: Reply | None = None
        if data == CALLBACK_MENU:
            reply = self.topics(lang)
        elif data == CALLBACK_OTHER:
            reply = Reply("smalltalk", lang, (self.text(lang, "retype"),))
        elif data.startswith(CALLBACK_SECTION):
            reply = self.section(data.removeprefix(CALLBACK_SECTION), lang)
        elif data.startswith(CALLBACK_ENTRY):
            entry = self.faq.entry(data.removeprefix(CALLBACK_ENTRY))
            reply = self.answer(entry, lang) if entry is not None else None
        if reply is None:
            return Reply(
                "fallback", lang, (self.text(lang, "stale"),), buttons=((self.menu_button(lang),),)
            )
        return reply


def render_plain(reply: Reply) -> str:
    """The reply as a patient reads it, without markup."""
    parts = list(reply.paragraphs)
    if reply.source:
        parts.append(reply.source)
    if reply.links:
        more = TEXTS[reply.lang]["more"]
        parts.append(
            "\n".join(
                f"{more}: {link.label.get(reply.lang)}: {link.display}" for link in reply.links
            )
        )
    return "\n\n".join(parts)


def render_html(reply: Reply) -> str:
    """The reply in Telegram's HTML parse mode; every text is escaped."""
    parts = [html.escape(p, quote=False) for p in reply.paragraphs]
    if reply.source:
        parts.append(f"<i>{html.escape(reply.source, quote=False)}</i>")
    if reply.links:
        parts.append(
            "\n".join(
                f'<a href="{html.escape(link.url)}">{html.escape(link.label.get(reply.lang))}</a>'
                for link in reply.links
            )
        )
    return "\n\n".join(parts)


MAX_MESSAGE_LENGTH = 4096  # Telegram's limit, in UTF-16 code units after parsing


def telegram_length(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units (an emoji may count two)."""
    return len(text.encode("utf-16-le")) // 2


def split_message(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Split rendered HTML into messages of at most `limit`, never inside a tag or an entity.

    Paragraphs (blank-line separated) keep their tags balanced, so they are split first;
    a paragraph that is too long on its own is cut at spaces (it holds no tags: replies
    keep markup to the source line and the links)."""
    chunks: list[str] = []
    current = ""
    for paragraph in text.split("\n\n"):
        pieces = [paragraph] if telegram_length(paragraph) <= limit else _cut(paragraph, limit)
        for piece in pieces:
            joined = f"{current}\n\n{piece}" if current else piece
            if telegram_length(joined) <= limit:
                current = joined
            else:
                chunks.append(current)
                current = piece
    if current or not chunks:
        chunks.append(current)
    return chunks


def _cut(text: str, limit: int) -> list[str]:
    pieces = []
    while telegram_length(text) > limit:
        cut = limit
        while telegram_length(text[:cut]) > limit:
            cut -= 1
        space = text.rfind(" ", 0, cut)
        if space > limit // 2:
            cut = space
        else:
            amp = text.rfind("&", 0, cut)
            if amp != -1 and ";" not in text[amp:cut]:
                cut = amp  # do not cut an entity such as &amp; in two
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    pieces.append(text)
    return pieces
