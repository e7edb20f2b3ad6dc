"""One road for every question: `Engine.ask(text, lang) -> Decision`.

    message -> query (clean, parts, sentence vectors)
            -> nothing readable?  -> fallback (ask them to type a question)
            -> triage             -> urgent   (rules, bank or learned; crisis apart), first
            -> smalltalk          -> smalltalk (only when nothing else is asked)
            -> lexical + semantic retrievers, learned topics -> merge -> calibrated policy
            -> answer | clarify | fallback (with the nearest topics, and where to go instead)

Telegram, the terminal chat, `eval` and the benchmarks call `ask`; `ask --json` takes the
same road in batches (`queries`, then `decide` for each), only embedding them together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from bot.errors import ModelError
from bot.faq import Entry, Faq
from bot.lexicon import Lexicon, load_lexicon
from bot.matching import Matcher
from bot.neighbours import load_bank
from bot.policy import Calibration, Option, Policy, Verdict, load_calibration
from bot.retrieval import (
    Evidence,
    LexicalRetriever,
    NeighbourRetriever,
    Query,
    SemanticRetriever,
    TopicRetriever,
    make_queries,
    make_query,
    merge,
)
from bot.semantic import Embedder, UseEmbedder
from bot.text import Normaliser, Vocabulary, has_letters
from bot.topics import load_topics
from bot.triage import Triage, load_urgency
from bot.tuning import TUNING, Tuning

Kind = Literal["answer", "clarify", "fallback", "urgent", "smalltalk"]
KINDS: tuple[Kind, ...] = ("answer", "clarify", "fallback", "urgent", "smalltalk")


# Smalltalk that opens a chat: greeting, asking who the bot is, asking how it works. Not a
# thanks or a goodbye, which can be a farewell the learned triage signal must still weigh.
OPENINGS = ("greeting", "who", "help")


@dataclass(frozen=True, slots=True)
class Decision:
    """What the engine decided, with everything a reply needs."""

    kind: Kind
    lang: str
    entry: Entry | None = None
    score: float = 0.0  # 0-100: the calibrated confidence
    options: tuple[Option, ...] = ()  # answer: the entry; clarify and fallback: the nearest
    # For smalltalk the intent, for urgent the rule ("crisis" for thoughts of suicide), for
    # fallback why: "empty" (nothing typed), "alphabet" (letters we cannot read), "vague"
    # (no content words), "unknown" (not in the leaflet).
    reason: str = ""
    # A fallback's better place to ask: "costs" (the insurer or the hospital), "medicine"
    # (the pharmacy or the huisarts), or None (the huisarts).
    referral: str | None = None


@dataclass(frozen=True, slots=True, repr=False)  # its repr would print every vector
class Engine:
    faq: Faq
    lexicon: Lexicon
    embedder: Embedder
    lexical: LexicalRetriever
    semantic: SemanticRetriever
    topics: TopicRetriever
    neighbours: NeighbourRetriever
    triage: Triage
    policy: Policy

    @classmethod
    def build(
        cls,
        faq: Faq,
        embedder: Embedder | None = None,
        *,
        cache_dir: Path | None = None,
        calibration: Calibration | None = None,
        tuning: Tuning = TUNING,
        learned: bool = True,
    ) -> Engine:
        """Everything one FAQ needs; the FAQ's and the triage bank's vectors come from
        `cache_dir` when it holds them for this model and these texts. `learned=False`
        leaves out the signals fitted on the labelled sets (the topic model, the nearest
        labelled questions and the learned triage signal): for fitting them."""
        lexicon = load_lexicon()
        embedder = embedder or UseEmbedder.load()
        calibration = calibration or load_calibration()
        if calibration.model != embedder.name:
            raise ModelError(
                f"bot/calibration.json was fitted for {calibration.model}, the model is "
                f"{embedder.name}: run `make calibrate`"
            )
        normaliser = Normaliser.build(lexicon, Vocabulary.of(faq, lexicon), faq.synonyms, tuning)
        return cls(
            faq,
            lexicon,
            embedder,
            LexicalRetriever(normaliser, Matcher.build(faq, normaliser), lexicon),
            SemanticRetriever.build(faq, embedder, cache_dir),
            TopicRetriever(
                faq, load_topics(embedder.name) if learned else None, normaliser.topic_words
            ),
            NeighbourRetriever(faq, load_bank(embedder.name) if learned else None),
            Triage.build(
                lexicon,
                embedder,
                calibration.triage,
                cache_dir,
                load_urgency(embedder.name) if learned else None,
            ),
            Policy(faq, calibration),
        )

    def with_faq(self, faq: Faq, cache_dir: Path | None = None) -> Engine:
        """The same model and calibration for a new FAQ (a reload): only its texts are
        embedded again."""
        return Engine.build(
            faq,
            self.embedder,
            cache_dir=cache_dir,
            calibration=self.policy.calibration,
            learned=self.topics.model is not None,
        )

    @property
    def normaliser(self) -> Normaliser:
        return self.lexical.normaliser

    def query(self, text: str) -> Query:
        return make_query(text, self.embedder, self.normaliser.respell)

    def queries(self, texts: Sequence[str]) -> list[Query]:
        """The queries of a batch of messages, embedded in one go (`ask --json`)."""
        return make_queries(texts, self.embedder, self.normaliser.respell)

    def ask(self, text: str, lang: str | None = None) -> Decision:
        """Decide on one message; `lang` is the language to use when the text does not say."""
        return self.decide(self.query(text), lang)

    def decide(self, query: Query, lang: str | None = None) -> Decision:
        """Decide on a message made ready by `query` or `queries`."""
        lang = self.language(query, lang)
        screened = self.screen(query, lang)
        if screened is not None:
            return screened
        return self.search(query, lang)

    def language(self, query: Query, lang: str | None) -> str:
        default = lang if lang == "en" else "nl"
        return self.lexical.normaliser.language(query.cleaned, default=default)

    def screen(self, query: Query, lang: str) -> Decision | None:
        """Everything before the FAQ is searched: nothing readable, triage, smalltalk.
        None when the FAQ must be searched."""
        if not query.cleaned.strip():
            reason = "alphabet" if has_letters(query.text) else "empty"
            return Decision("fallback", lang, reason=reason)
        intent, rest = self.lexicon.smalltalk_intent(query.cleaned)
        bare = intent is not None and not self.lexical.normaliser.terms(rest)
        # A message that only opens a chat ("goedemiddag, ik ben Els en heb een paar vragen")
        # tells of no emergency: the rules and the bank still look, the learned signal not.
        learned = not (bare and intent in OPENINGS)
        urgent = self.triage.check(query.cleaned, query.vectors, learned)
        if urgent is not None:
            return Decision("urgent", lang, reason=urgent)
        if intent is not None and (bare or self.lexicon.is_closing(intent, query.text, rest)):
            return Decision("smalltalk", lang, reason=intent)
        return None

    def evidence(self, query: Query) -> Evidence:
        return merge(
            self.lexical.evidence(query),
            self.semantic.evidence(query),
            self.topics.evidence(query),
            self.neighbours.evidence(query),
        )

    def search(self, query: Query, lang: str) -> Decision:
        """Search the FAQ and let the calibrated policy decide."""
        evidence = self.evidence(query)
        referral = self.lexicon.referral(query.cleaned)
        return settle(evidence, self.policy.decide(evidence), lang, referral)


def settle(evidence: Evidence, verdict: Verdict, lang: str, referral: str | None) -> Decision:
    """The Decision for the policy's verdict; "vague" when the message has no content word."""
    if not evidence.question.get("terms"):
        return Decision("fallback", lang, reason="vague")
    score = round(100 * verdict.confidence, 2)
    if verdict.kind == "answer":
        return Decision("answer", lang, verdict.options[0].entry, score, verdict.options)
    if verdict.kind == "clarify":
        return Decision("clarify", lang, score=score, options=verdict.options)
    return Decision(
        "fallback", lang, score=score, options=verdict.options, reason="unknown", referral=referral
    )
