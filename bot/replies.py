"""How a decision becomes a reply: the texts of bot/texts.py, the buttons, as plain data.

A Reply (bot/reply.py) is paragraphs of text, a source line, links and rows of buttons.
Buttons carry data built by bot/callbacks.py, never a question's text. Replies are sized
for a small phone: a source line of at most MAX_SOURCE characters, topics in two columns,
at most three rows of buttons under an answer.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot import callbacks, privacy
from bot.callbacks import AskAgain, Press, ShowEntry, ShowMenu, ShowSection, Vote
from bot.engine import Decision
from bot.faq import Entry, Faq
from bot.privacy import DataPolicy
from bot.reply import Button, Reply, render_plain
from bot.store import Forgotten
from bot.texts import TEXTS

MAX_SOURCE = 60  # characters: one line on a small phone
TOPIC_COLUMNS = 2

# calibrate.py imports render_plain from here.
__all__ = ["MAX_SOURCE", "TOPIC_COLUMNS", "Replies", "render_plain"]


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
        return Button(self.text(lang, "menu"), callbacks.build(ShowMenu()))

    def entry_button(self, entry: Entry, lang: str) -> Button:
        return Button(entry.label.get(lang), callbacks.build(ShowEntry(entry.id)))

    def source(self, entry: Entry, lang: str) -> str:
        """The leaflet and its part, cut at a word to at most MAX_SOURCE characters."""
        section = self.faq.sections[entry.section].get(lang)
        line = self.text(lang, "source", section=section)
        if len(line) <= MAX_SOURCE:
            return line
        return line[: MAX_SOURCE - 1].rsplit(" ", 1)[0].rstrip(",;:–- ") + "…"

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
        # Three rows at most with the votes on top: the votes, the nearest related
        # question, the menu.
        related = [e for e in (self.faq.entry(r) for r in entry.related) if e is not None]
        rows = [(self.entry_button(e, lang),) for e in related[:1]]
        return Reply(
            "answer",
            lang,
            (entry.answer.get(lang),),
            source=self.source(entry, lang),
            links=tuple(self.faq.link(n) for n in entry.links),
            buttons=(*rows, (self.menu_button(lang),)),
            entry=entry,
        )

    def clarify(self, entries: list[Entry], lang: str) -> Reply:
        rows = [(self.entry_button(e, lang),) for e in entries]
        other = Button(self.text(lang, "other"), callbacks.build(AskAgain()))
        return Reply("clarify", lang, (self.text(lang, "clarify"),), buttons=(*rows, (other,)))

    def fallback(self, decision: Decision, lang: str) -> Reply:
        if decision.reason in ("empty", "alphabet", "vague"):
            return Reply(
                "fallback",
                lang,
                (self.text(lang, decision.reason),),
                buttons=((self.menu_button(lang),),),
            )
        nearest = [o.entry for o in decision.options]
        unsure = bool(nearest) and not decision.referral
        key = f"fallback_{decision.referral}" if decision.referral else "fallback"
        paragraphs = [self.text(lang, "fallback_nearest" if unsure else key)]
        rows = [(self.entry_button(e, lang),) for e in nearest]
        link = self.faq.link(self.faq.leaflet.fallback_link)
        if nearest:
            paragraphs.append(self.text(lang, "nearest"))
            if unsure:
                paragraphs.append(self.text(lang, "nearest_else"))
            if nearest[0].links:
                link = self.faq.link(nearest[0].links[0])
        rows.append((self.menu_button(lang),))
        return Reply("fallback", lang, tuple(paragraphs), links=(link,), buttons=tuple(rows))

    def smalltalk(self, intent: str, lang: str) -> Reply:
        key = intent if intent in TEXTS["nl"] else "greeting"
        buttons = ((self.menu_button(lang),),) if key in ("greeting", "help", "who") else ()
        return Reply("smalltalk", lang, (self.text(lang, key),), buttons=buttons)

    def topics(self, lang: str) -> Reply:
        """The topic menu: a button per section, in the leaflet's order, in two columns."""
        found = [
            Button(title.get(lang), callbacks.build(ShowSection(sid)))
            for sid, title in self.faq.sections.items()
        ]
        rows = tuple(
            tuple(found[n : n + TOPIC_COLUMNS]) for n in range(0, len(found), TOPIC_COLUMNS)
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

    def with_votes(self, reply: Reply, chosen: bool | None = None) -> Reply:
        """An answer with 👍 / 👎 buttons on top, the `chosen` one marked (True: 👍); any
        other reply as it is. Both stay pressable: a vote can be changed."""
        if reply.kind != "answer" or reply.entry is None:
            return reply
        row = tuple(
            self.vote_button(reply.entry, reply.lang, useful, chosen is useful)
            for useful in (True, False)
        )
        return replace(reply, buttons=(row, *reply.buttons))

    def vote_button(self, entry: Entry, lang: str, useful: bool, chosen: bool) -> Button:
        label = self.text(lang, "useful" if useful else "not_useful")
        if chosen:
            label = self.text(lang, "chosen", label=label)
        return Button(label, callbacks.build(Vote(entry.id, useful, lang)))

    def voted(self, vote: Vote) -> Reply | None:
        """The answer a vote was given under, its choice marked; None for an unknown entry."""
        entry = self.faq.entry(vote.entry_id)
        if entry is None:
            return None
        return self.with_votes(self.answer(entry, vote.lang), vote.useful)

    def vote_offer(self, lang: str) -> Reply:
        """After 👎: ask again, or open the topics."""
        again = Button(self.text(lang, "ask_again"), callbacks.build(AskAgain()))
        return Reply(
            "smalltalk",
            lang,
            (self.text(lang, "vote_offer"),),
            buttons=((again, self.menu_button(lang)),),
        )

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
        return self.for_press(callbacks.parse(data), lang)

    def for_press(self, press: Press | None, lang: str) -> Reply:
        """The reply to a parsed button (a vote is not followed here: see `voted`)."""
        reply: Reply | None = None
        match press:
            case ShowMenu():
                reply = self.topics(lang)
            case AskAgain():
                reply = Reply("smalltalk", lang, (self.text(lang, "retype"),))
            case ShowSection(section_id):
                reply = self.section(section_id, lang)
            case ShowEntry(entry_id):
                entry = self.faq.entry(entry_id)
                reply = self.answer(entry, lang) if entry is not None else None
        return reply or self.stale(lang)

    def stale(self, lang: str) -> Reply:
        return Reply(
            "fallback", lang, (self.text(lang, "stale"),), buttons=((self.menu_button(lang),),)
        )
