"""Remove personal details from a question before its text is kept.

    scrub("Ik ben Jan de Vries, bel 06-12345678")  ->  "Ik ben [naam], bel [telefoon]"

Kept texts help the FAQ writers see what the leaflet does not answer; they need the
question, never who asked it. Each detector below finds spans of one kind; overlapping
spans merge and every span becomes its placeholder:

    e-mail, link            regular expressions
    phone                   Google's phonenumbers (PhoneNumberMatcher, region NL)
    date, postcode, number  regular expressions (BSN, patient numbers, any run of 6+ digits)
    street                  a Dutch street word (…straat, …laan, Brink) with a house number
    town                    Faker's list of Dutch places; a capitalised word after "woon in",
                            "uit", "from", or after a postcode
    name                    context: kinship words, introductions, greetings, titles, the
                            start and the end of a message; then Faker's name lists; a name
                            grows over particles and capitalised surnames ("Jan van der Berg")
    age                     a number next to a name: "Willem (81)", "Henk van 79"

What must stay (doses, T-scores, "ik ben bang", "ik ben 70") is guarded in
tests/test_scrub.py; recall per kind and over-scrubbing are measured by benchmarks/deid.py
on the labelled messages in tests/data/pii-*.jsonl.

scrub() never returns a text it could not de-identify: on any error it logs one warning
and returns "", and the store keeps nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import phonenumbers
from wordfreq import zipf_frequency

from bot.gazetteer import Gazetteer, load_gazetteer

log = logging.getLogger(__name__)

PLACEHOLDERS: dict[str, str] = {
    "email": "[e-mail]",
    "url": "[link]",
    "phone": "[telefoon]",
    "date": "[datum]",
    "postcode": "[postcode]",
    "id": "[nummer]",
    "number": "[nummer]",
    "street": "[adres]",
    "town": "[plaats]",
    "name": "[naam]",
    "age": "[leeftijd]",
}

# --- shapes ----------------------------------------------------------------------------
_UP = r"[A-ZÀ-ÖØ-ÞĀ-Ž]"  # a capital, accents and Turkish letters included
_WORD = r"[^\W\d_](?:[^\W_]|['’-](?=[^\W\d_]))*"
_CAP_WORD = rf"(?:{_UP}[^\W\d_]*(?:['’-][^\W\d_]+)*|{_UP}\.)"  # "Jansen-de", "P."
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|'t|in|op|el|al|bin|da|di|du|le|la|von|zu)"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_TLD = r"(?:nl|com|org|net|eu|be|de|info|nu|uk|fr|io|gov|edu)"
_URL = re.compile(
    rf"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.{_TLD}\b(?:/\S*)?", re.IGNORECASE
)
_MONTHS = (
    r"jan(?:uari|uary)?|feb(?:ruari|ruary)?|maart|mrt|march|apr(?:il)?|mei|may|juni?|june|"
    r"juli?|july|aug(?:ustus|ust)?|sep(?:t(?:ember)?)?|okt(?:ober)?|oct(?:ober)?|nov(?:ember)?|"
    r"dec(?:ember)?"
)
_DATES = (
    re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}\b|\b(?:19|20)\d{2}-\d{1,2}-\d{1,2}\b"),
    re.compile(
        rf"\b\d{{1,2}}(?:st|nd|rd|th|e|ste|de)?\s+(?:of\s+)?(?:{_MONTHS})\b\.?(?:,?\s+\d{{4}}\b)?",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b", re.I),
    re.compile(rf"\b(?:{_MONTHS})\.?\s+(?:19|20)\d{{2}}\b", re.I),  # "maart 1950"
    # Day and month without a year, after "op" or "on": "op 12-3", "on 4/8".
    re.compile(r"(?<=\b(?:op|on) )(?:[12]\d|3[01]|0?[1-9])[-/.](?:1[0-2]|0?[1-9])\b(?![-/.,]\d)"),
    # A year after a birth word: "geboren in 1948", "born 1950", "geb. 1944".
    re.compile(
        r"\b(?:geboren|geb\.|born|geboortejaar|dob)\s+(?:in\s+|op\s+)?((?:19|20)\d{2})\b",
        re.IGNORECASE,
    ),
)
_UNITS = {
    "mg", "ml", "kg", "cm", "mm", "km", "ie", "iu", "ug", "eh", "jr", "st", "gr", "mcg",
    "en", "in", "of", "op", "al", "is", "te", "je", "me", "we", "ze", "na", "om", "ik", "er",
    "nu", "zo", "ja", "an", "at", "on", "or", "to", "by", "mi", "uu", "pm", "am", "x",
}  # fmt: skip
_UPPER_UNITS = {"mg", "ml", "kg", "ie", "iu", "ug", "eh"}
_POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)([A-Za-z]{2})\b")
# Six or more digits, perhaps in groups: BSN, patient and policy numbers, bank accounts.
_DIGITS = re.compile(r"(?<![\d,])\d(?:[ .-]?\d){5,}(?![\d,])")
# A shorter number right after a word that says it is an identifier.
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{4}(?:\s?\d){7,10}\b")
_ID_WORD = (
    r"(?:bsn|burgerservicenummer|pati[eë]nt(?:en)?(?:nummer|nr)|pat\.?\s?nr|dossiernummer|"
    r"ziekenhuisnummer|registratienummer|klantnummer|polisnummer|relatienummer|nummer|nr|"
    r"hospital number|patient number|patient id|mrn|id)"
)
_ID = re.compile(rf"\b{_ID_WORD}[\s.:]*(?:is\s+)?([A-Z]{{0,3}}[-\s]?\d(?:[ .-]?\d){{2,}})", re.I)
_STREET_WORDS = (
    r"straat|straatweg|laan|weg|plein|gracht|kade|singel|dijk|dreef|hof|pad|steeg|ring|park|"
    r"markt|wal|baan|boulevard|plantsoen|erf|veld|hoeve|weide|akker|dam|burg|haven|oord|"
    r"zijde|kamp|hoek|hout|polder|rade|stede|vaart|tuin|berg|dal|brink|lei|wijk|straatje|"
    r"pleintje|steegje|laantje|allee|promenade|kwartier|kerkhof|eiland"
)
_HOUSE_NUMBER = r"\d{1,5}(?:\s?(?:[a-zA-Z]|bis|hs|zw|rd|I{1,3}|-[A-Za-z\d]{1,3}|-?hoog))?\b"
_STREET = re.compile(
    rf"\b(?:(?:{_CAP_WORD}|{_PARTICLE})\s+){{0,3}}"
    rf"(?:{_UP}[\w'’-]*(?:{_STREET_WORDS})|"
    rf"(?i:{_STREET_WORDS})\s+(?:van\s+(?:de\s+|der\s+|den\s+|het\s+)?)?{_CAP_WORD}|Brink|"
    rf"[a-zà-ÿ]{{3,}}(?:{_STREET_WORDS}))(?:\s+{_HOUSE_NUMBER})",
    re.UNICODE,
)
# Any capitalised words with a house number when a postcode or "adres" is near.
_ADDRESS = re.compile(
    rf"(?:(?<=\badres:\s)|(?<=\badres\s)|(?<=\bwoon op\s)|(?<=\bwoon aan\s)|(?<=\bwoont op\s)|"
    rf"(?<=\bwoont aan\s)|(?<=\bat\s)|(?<=\bop\s)|(?<=\baan\s)|(?<=\bde\s)|(?<=\bnaar\s)|"
    rf"(?<=,\s)|(?<=\(mevr\.\s)|^)"
    rf"(?:{_CAP_WORD}\s+){{1,3}}{_HOUSE_NUMBER}(?=,?\s+[1-9]\d{{3}}\s?[A-Za-z]{{2}}\b|,\s+{_UP}[a-z])"
)

_KIN = (
    r"man|vrouw|zoon|dochter|moeder|vader|broer|zus|zuster|oma|opa|kleinzoon|kleindochter|"
    r"schoonmoeder|schoonvader|schoonzoon|schoondochter|partner|echtgenoot|echtgenote|"
    r"vriend|vriendin|buurvrouw|buurman|neef|nicht|tante|oom|mams|moeke|mama|papa|pa|ma|"
    r"kind|kleinkind|collega|mantelzorger|husband|wife|son|daughter|mother|mum|mom|father|"
    r"dad|brother|sister|grandmother|grandfather|grandma|grandpa|grandson|granddaughter|"
    r"friend|neighbour|neighbor|aunt|uncle|cousin|partner|carer|patiënt|patient|cliënt|client"
)
_TITLE = (
    r"mevrouw|mevr\.?|mw\.?|meneer|mijnheer|mnr\.?|dhr\.?|de heer|heer|fam\.?|familie|"
    r"dokter|dr\.?|drs\.?|prof\.?|professor|huisarts|zuster|verpleegkundige|"
    r"mrs\.?|mr\.?|ms\.?|miss|doctor|t\.a\.v\.?|ter attentie van|namens|sister|nurse"
)
_GREETING = (
    r"groet(?:en|jes)?|gr\.?|grt\.?|mvg|m\.v\.g\.?|vriendelijke groet(?:en)?|"
    r"hartelijke groet(?:en)?|"
    r"met vriendelijke groet(?:en)?|liefs|dank(?:je|jewel|u)?(?: wel)?|bedankt|alvast bedankt|"
    r"met dank|regards|kind regards|best wishes|best|thanks|thank you|cheers|sincerely|"
    r"yours|love|groetjes van|vraag van|namens|signed"
)
_INTRO = (
    r"ik heet|mijn naam is|naam is|naam:|my name is|i am called|this is|dit is|hier is|"
    r"je spreekt met|u spreekt met|hoi met|hallo met|goedemorgen met|goedemiddag met|^met|"
    r"his name is|her name is|zijn naam is|haar naam is|heet|ik ben|i am|i'm"
)
_AMBIGUOUS_PARTICLES = ("in", "op", "de", "het", "te", "van", "al")
_HIER = re.compile(rf"({_CAP_WORD}(?:\s+{_CAP_WORD}|\s+{_PARTICLE}){{0,3}})\s+(?:hier|here)\b")
_AGE_AFTER = re.compile(
    r"\s*(?:,\s*|\(\s*|van\s+|is\s+|aged\s+|age\s+)?(\d{1,3})(?=\s*\)|\s*(?:jaar|jr|years?|yrs?)\b)"
    r"|\s*(?:,\s*|\(\s*|van\s+|aged\s+)(\d{1,3})\b(?!\s*(?:mg|ml|kg|ie|iu|keer|x|%|uur|min))"
)
_AGE_BEFORE = re.compile(r"\b(\d{1,3})-?jarige\s*$")
_SENTENCE_END = re.compile(r"(?:^|[.!?:;\n]|\(\s*)\s*$")


@dataclass(frozen=True, slots=True)
class Span:
    """Characters [start, end) of the text hold a personal detail of one kind."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class Deidentifier:
    """The rules with the lists they need; build it once with `load()`."""

    gazetteer: Gazetteer
    common: frozenset[str]

    @classmethod
    def load(cls) -> Deidentifier:
        """Read the lists (Faker's, stopwords-iso's): about 0.2 s once per process."""
        import stopwordsiso

        words: set[str] = set()
        for lang in ("nl", "en"):
            words |= {word.lower() for word in stopwordsiso.stopwords(lang)}
        return cls(gazetteer=load_gazetteer(), common=frozenset(words | _COMMON_EXTRA))

    def spans(self, text: str) -> list[Span]:
        """Every personal detail found, merged: no two spans overlap."""
        found = [
            *_regex_spans(text),
            *_phone_spans(text),
            *self._town_spans(text),
        ]
        names = list(self._name_spans(text, found))
        found += names
        found += _age_spans(text, names)
        return _merge(found)

    def scrub(self, text: str) -> str:
        """The text with every detail replaced by its placeholder."""
        out: list[str] = []
        at = 0
        for span in self.spans(text):
            out.append(text[at : span.start])
            out.append(PLACEHOLDERS[span.kind])
            at = span.end
        out.append(text[at:])
        return "".join(out)

    # --- names -----------------------------------------------------------------------
    def _is_common(self, word: str) -> bool:
        return word.lower().strip(".") in self.common

    def _may_be_name(self, word: str, lower_ok: bool) -> bool:
        """A word that can be (part of) a name: capitalised or known, not a stop word."""
        bare = word.strip(".")
        if re.fullmatch(rf"{_UP}\.", word):
            return True  # an initial
        if not bare or self._is_common(bare) or bare.lower() in _NEVER_NAME:
            return False
        if bare[0].isupper():
            return True
        return lower_ok and self._lower_name(bare.lower())

    def _proper_noun(self, word: str) -> bool:
        """A capitalised word that is no acronym, medicine or common English word."""
        lower = word.lower()
        return (
            len(word) >= 3
            and not word.isupper()
            and word.isalpha()
            and lower not in _NEVER_NAME
            and zipf_frequency(lower, "en", wordlist="small") < _RARE_ZIPF
        )

    def _lower_name(self, word: str) -> bool:
        """A lower-case word after "mijn moeder" or "ik ben" that is a first name: a known
        one, or a rare word that is not a verb ("slikt": "slik" is a word) nor a number."""
        if word in self.gazetteer.first_names:
            return True
        if len(word) < 3 or not word.isalpha() or word in _NOT_LOWER_NAME:
            return False
        rare = all(
            zipf_frequency(word, lang, wordlist="small") < _RARE_ZIPF for lang in ("nl", "en")
        )
        stem = word[:-1]
        verb = word.endswith("t") and any(
            zipf_frequency(infinitive, "nl", wordlist="small") >= 2.5
            for infinitive in (stem + "en", stem + stem[-1] + "en", stem[:-2] + stem[-1] + "en")
        )
        english_past = word.endswith("ed") and any(
            zipf_frequency(stem, "en", wordlist="small") >= 3.0
            for stem in (word[:-1], word[:-2], word[:-3])
        )
        return rare and not verb and not english_past

    def _grow(self, text: str, start: int, end: int) -> tuple[int, int]:
        """Widen a name over particles, initials and capitalised surnames on either side."""
        tail = re.compile(
            rf"(?:\s+{_PARTICLE})*\s+({_CAP_WORD})|-({_CAP_WORD}|{_PARTICLE})|(?<=\.)\s?({_UP}\.)"
        )
        while True:
            match = tail.match(text, end)
            if not match:
                break
            word = match.group(1) or match.group(2) or match.group(3)
            initial = re.fullmatch(rf"{_UP}\.", word) is not None
            if self._is_common(word) and not initial and not re.fullmatch(_PARTICLE, word):
                break
            if word.lower() in _NEVER_NAME:
                break
            end = match.end()
        # Initials and particles just before: "P. Smit", "van Leeuwen", "A. Meijer".
        head = re.compile(rf"(?:\b(?:{_UP}\.\s?)+|\b(?i:{_PARTICLE})\s+)$")
        while (match := head.search(text, 0, start)) and match.end() == start:
            before = text[: match.start()]
            # "dokter van Leeuwen" yes; "in Houten" no: such particles only after a title.
            if match.group(0).strip().lower() in _AMBIGUOUS_PARTICLES and not re.search(
                rf"(?:{_TITLE})\s*$", before, re.I
            ):
                break
            start = match.start()
        return start, end

    def _name_spans(self, text: str, found: list[Span]) -> Iterator[Span]:
        # A town may turn out to be a name ("oma Lies"): only other kinds block a name.
        taken = [(span.start, span.end) for span in found if span.kind != "town"]

        def free(start: int, end: int) -> bool:
            return all(end <= a or start >= b for a, b in taken)

        word = re.compile(_WORD + r"\.?")

        particles = re.compile(rf"(?:{_PARTICLE}\s+)+(?={_CAP_WORD})", re.I)

        def first_word(at: int, lower_ok: bool) -> tuple[int, int] | None:
            match = re.compile(r"[\s,:(]*").match(text, at)
            at = match.end() if match else at
            lead = particles.match(text, at)  # "mevrouw De Wit", "dokter van Leeuwen"
            hit = word.match(text, lead.end() if lead else at)
            if hit and self._may_be_name(hit.group(0), lower_ok) and free(*hit.span()):
                initial = re.fullmatch(rf"{_UP}\.", hit.group(0)) is not None
                end = hit.end() - (1 if hit.group(0).endswith(".") and not initial else 0)
                return (lead.start() if lead else hit.start()), end
            return None

        contexts = (
            (
                re.compile(
                    rf"\b(?:mijn|mn|m'n|onze|ons|my|our|haar|zijn|his|her)\s+(?:{_KIN})\b,?", re.I
                ),
                True,
            ),
            (re.compile(rf"\b(?:{_KIN})\s+van\b", re.I), False),
            (re.compile(rf"\b(?:{_KIN})\b,?", re.I), False),  # "oma Lies", "Opa Kees"
            (re.compile(rf"(?:^|[\s(,])(?:{_TITLE})(?=[\s,])", re.I), True),
            (re.compile(rf"\b(?:{_INTRO})(?!\w)", re.I | re.M), True),
            (re.compile(rf"(?:^|[.!?\n,;-]\s*)(?:{_GREETING})[,:!]?(?=\s)", re.I | re.M), True),
        )
        for pattern, lower_ok in contexts:
            for match in pattern.finditer(text):
                span = first_word(match.end(), lower_ok)
                if span:
                    start, end = self._grow(text, *span)
                    taken.append((start, end))
                    yield Span(start, end, "name")
        for match in _HIER.finditer(text):
            if self._may_be_name(match.group(1).split()[0], False):
                yield Span(*self._grow(text, *match.span(1)), "name")
        # Known first names and surnames, and pairs of capitalised words mid-sentence.
        towns = [(span.start, span.end) for span in found if span.kind == "town"]
        for hit in re.finditer(rf"\b{_CAP_WORD}", text):
            token = hit.group(0).rstrip(".")
            lower = token.lower()
            in_town = any(a <= hit.start() < b for a, b in towns)
            if in_town or not free(*hit.span()) or self._is_common(token) or lower in _NEVER_NAME:
                continue
            sentence_start = bool(_SENTENCE_END.search(text, 0, hit.start()))
            known = lower in self.gazetteer.first_names or lower in self.gazetteer.surnames
            grown = self._grow(text, hit.start(), hit.start() + len(token))
            several = grown[1] > hit.start() + len(token) + 1
            # Dutch capitalises no common nouns: a capital mid-sentence is a proper noun.
            proper = not sentence_start and self._proper_noun(token)
            if (known and (not sentence_start or several)) or (
                (several or proper) and not sentence_start
            ):
                # A first name just before a known surname: "Wim Koster" after a full stop.
                before = re.search(rf"({_CAP_WORD})\s+$", text[: grown[0]])
                if before and free(*before.span(1)) and not self._is_common(before.group(1)):
                    grown = (before.start(1), grown[1])
                taken.append(grown)
                yield Span(*grown, "name")
        # A signature: the last words after a comma, full stop or dash, capitalised.
        last = re.search(
            rf"(?:[.!?,\n–-]|^)\s*((?:{_CAP_WORD})(?:\s+(?:{_CAP_WORD}|{_PARTICLE})){{0,4}})[\s.!]*$",
            text,
        )
        if last and free(*last.span(1)) and not any(a <= last.start(1) < b for a, b in towns):
            words = last.group(1).split()
            if all(not self._is_common(w) or re.fullmatch(_PARTICLE, w) for w in words) and (
                not self._is_common(words[0]) and words[0].lower() not in _NEVER_NAME
            ):
                yield Span(*last.span(1), "name")

    # --- towns -----------------------------------------------------------------------
    def _town_spans(self, text: str) -> Iterator[Span]:
        towns = self.gazetteer.towns
        words = list(re.finditer(r"'?[^\W_](?:[^\W_]|['’-](?=[^\W_]))*", text))
        i = 0
        while i < len(words):
            for size in range(min(self.gazetteer.longest_town, len(words) - i), 0, -1):
                group = words[i : i + size]
                name = " ".join(w.group(0).replace("-", " ") for w in group).lower()
                first = re.sub(r"^'[st][- ]?", "", group[0].group(0))
                usable = not self._is_common(first) and name not in _NEVER_NAME
                if name in towns and first[:1].isupper() and usable:
                    yield Span(group[0].start(), group[-1].end(), "town")
                    i += size - 1
                    break
            i += 1
        # After words that say where someone lives or comes from, and after a postcode.
        context = re.compile(
            rf"(?:\b(?:woon|woont|wonen|woonachtig|wonend|lives|living|live)\s+(?:in|te|at)\s+"
            rf"|\b(?:uit|from|te|near|buurt van)\s+|[1-9]\d{{3}}\s?[A-Za-z]{{2}},?\s+)"
            rf"((?:(?:de|den|het|'s|'t)\s+)?{_UP}[\w'’-]*(?:\s+(?:aan|op|bij|in)\s+(?:de|den)\s+{_UP}\w*)?(?:\s+{_UP}\w+)?)",
        )
        for match in context.finditer(text):
            head = match.group(1).split()[-1]
            if not self._is_common(head) and head.lower() not in _NEVER_NAME:
                yield Span(*match.span(1), "town")


_COMMON_EXTRA = frozenset(
    """
    hallo hoi hi hello hey beste dear goedemorgen goedemiddag goedenavond dag
    groet groeten groetjes bedankt dank thanks regards vraag vraagje graag alvast
    oma opa moeder vader zoon dochter ik mijn dokter huisarts
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Words that are never (the first word of) a name here, capitalised or not: the leaflet's
# own words, medicines, scans, days and months, languages.
_NEVER_NAME = frozenset(
    """
    osteopenie osteoporose osteopenia osteoporosis dexa dexa-scan scan calcium calcichew
    vitamine vitamin prolia fosamax alendroninezuur alendronaat risedronaat denosumab
    zoledroninezuur aclasta forteo teriparatide evenity romosozumab prednison prednisolon
    calciumcarbonaat cholecalciferol devaron d-vitamine zuivel t-score z-score ie iu mg
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag monday tuesday wednesday
    thursday friday saturday sunday januari februari maart april mei juni juli augustus
    september oktober november december january february march may june july august
    october nederlands engels turks arabisch dutch english turkish arabic nederland
    netherlands holland umc ziekenhuis hospital gp nhs pdf sms whatsapp facebook google
    ramadan kerst pasen ik i we wij hij zij ze u jij je she he they it its het de een
    nordic walking tai chi pilates yoga zumba fitness diakonessenhuis antonius
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# Lower-case words after "ik ben" and kinship words that are not names.
_NOT_LOWER_NAME = frozenset(
    """
    bang moe benieuwd gevallen vergeten ongerust bezorgd lactose intolerant diabeet allergisch
    zwanger vegetariër veganist gestopt begonnen geschrokken verdrietig duizelig misselijk
    onzeker zelf alleen erg heel nog net pas ook niet wel al zo 'n een
    heeft had is was wil wilde mag moet kan kon gebruikt slikt krijgt kreeg valt viel zegt
    zei woont wordt werd gaat ging doet deed loopt liep denkt dacht vraagt vroeg
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
_RARE_ZIPF = 4.0


def _regex_spans(text: str) -> Iterator[Span]:
    for match in _EMAIL.finditer(text):
        yield Span(*match.span(), "email")
    for match in _URL.finditer(text):
        yield Span(
            match.start(),
            match.end() - len(match.group(0)) + len(match.group(0).rstrip(".,;:!?)")),
            "url",
        )
    for pattern in _DATES:
        for match in pattern.finditer(text):
            yield Span(*match.span(match.lastindex or 0), "date")
    for match in _POSTCODE.finditer(text):
        letters = match.group(1)
        units = _UPPER_UNITS if letters.isupper() else _UNITS
        if letters.lower() not in units and (letters.isupper() or letters.islower()):
            yield Span(*match.span(), "postcode")
    for match in _ID.finditer(text):
        yield Span(*match.span(1), "id")
    for match in _IBAN.finditer(text):
        yield Span(*match.span(), "id")
    for match in _DIGITS.finditer(text):
        if not re.fullmatch(r"\d{1,3}(?:\.\d{3})+", match.group(0)) or len(match.group(0)) > 7:
            yield Span(*match.span(), "number")
    for match in _STREET.finditer(text):
        yield Span(*match.span(), "street")
    for match in _ADDRESS.finditer(text):
        yield Span(*match.span(), "street")


def _phone_spans(text: str) -> Iterator[Span]:
    for match in phonenumbers.PhoneNumberMatcher(
        text, "NL", leniency=phonenumbers.Leniency.POSSIBLE
    ):
        yield Span(match.start, match.end, "phone")


def _age_spans(text: str, names: list[Span]) -> Iterator[Span]:
    """An age right after or before a name: "Willem (81)", "Henk van 79", "67-jarige Jan"."""
    for name in names:
        after = _AGE_AFTER.match(text, name.end)
        if after:
            group = 1 if after.group(1) else 2
            yield Span(*after.span(group), "age")
        before = _AGE_BEFORE.search(text, 0, name.start)
        if before:
            yield Span(*before.span(1), "age")


_PRIORITY = (
    *("email", "url", "date", "id", "phone", "postcode", "number", "street", "age"),
    *("name", "town"),
)


def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one, of the kind that ranks first in _PRIORITY."""
    merged: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if span.start >= span.end:
            continue
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            kind = min(last.kind, span.kind, key=_PRIORITY.index)
            merged[-1] = Span(last.start, max(last.end, span.end), kind)
        else:
            merged.append(span)
    return merged


@cache
def _default() -> Deidentifier:
    return Deidentifier.load()


def scrub(text: str) -> str:
    """The text with names, addresses, towns, postcodes, numbers, dates, phone numbers,
    e-mail addresses, links and ages beside names replaced by [placeholders]; "" when
    the text cannot be de-identified, so that a failure drops the text, never keeps it."""
    try:
        return _default().scrub(text)
    except Exception:  # any failure at all must drop the text rather than keep it raw
        log.warning("de-identification failed: the text is dropped", exc_info=False)
        return ""
