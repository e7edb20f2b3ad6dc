from __future__ import annotations

import logging
from pathlib import Path

import pytest

from benchmarks.deid import KINDS, MUST_STAY, Message, caught, load_messages, recall
from bot.scrub import Deidentifier, scrub

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def deid() -> Deidentifier:
    return Deidentifier.load()


# (text, the personal detail, the placeholder it becomes), per kind.
DETAILS = [
    # ages said of a person, with or without a name: a quasi-identifier, never needed
    pytest.param("ik ben 67 jaar", "67", "[leeftijd]", id="age-self"),
    pytest.param("mijn moeder is 82 en valt vaak", "82", "[leeftijd]", id="age-kin-is"),
    pytest.param("mijn vader van 84 valt vaak", "84", "[leeftijd]", id="age-kin-van"),
    pytest.param("she is 91 and has osteopenia", "91", "[leeftijd]", id="age-english"),
    pytest.param("een 79-jarige vrouw", "79", "[leeftijd]", id="age-jarige"),
    pytest.param("hij is 88 jaar oud", "88", "[leeftijd]", id="age-jaar-oud"),
    # names
    pytest.param("ik heet Fatima en heb vragen", "Fatima", "[naam]", id="name-ik-heet"),
    pytest.param("mijn naam is Piet Jansen", "Jansen", "[naam]", id="name-mijn-naam-is"),
    pytest.param("Ik ben Jan de Vries, 67 jaar", "Vries", "[naam]", id="name-ik-ben"),
    pytest.param("my name is John Smith", "Smith", "[naam]", id="name-english"),
    pytest.param("dit is mevrouw Bakker", "Bakker", "[naam]", id="name-title"),
    pytest.param("mijn dochter marieke zegt van wel", "marieke", "[naam]", id="name-kin-lower"),
    pytest.param("my husband Robert fell", "Robert", "[naam]", id="name-kin-english"),
    pytest.param("dokter van den Berg zei dat", "Berg", "[naam]", id="name-particles"),
    pytest.param("Annie hier, mag ik koffie?", "Annie", "[naam]", id="name-hier"),
    pytest.param("Mehmet heeft pijn in zijn rug", "Mehmet", "[naam]", id="name-opens"),
    pytest.param("mijn schoonzus ayse valt vaak", "ayse", "[naam]", id="name-other-origin"),
    pytest.param("mag ik koffie? Groetjes, Willemijn", "Willemijn", "[naam]", id="name-greet"),
    pytest.param("Wat moet ik doen? Karin Dekker", "Dekker", "[naam]", id="name-signature"),
    pytest.param("t.a.v. J.P. Smit", "Smit", "[naam]", id="name-initials"),
    pytest.param("de zoon van Jos de Ruiter hier", "Ruiter", "[naam]", id="name-zoon-van"),
    # addresses
    pytest.param("ik woon op de Kerkstraat 12", "Kerkstraat", "[adres]", id="street"),
    pytest.param("Laan van Meerdervoort 100, Den Haag", "Meerdervoort", "[adres]", id="laan-van"),
    pytest.param("Stationsweg 4a-2 in Zeist", "4a", "[adres]", id="street-addition"),
    pytest.param("Brink 4, 3985 RE Werkhoven", "Brink", "[adres]", id="street-no-suffix"),
    # towns
    pytest.param("ik woon in Nieuwegein", "Nieuwegein", "[plaats]", id="town"),
    pytest.param("een scan in 's-Hertogenbosch", "Hertogenbosch", "[plaats]", id="town-s"),
    pytest.param("ik kom uit Bergen op Zoom", "Zoom", "[plaats]", id="town-words"),
    # postcodes
    pytest.param("ik woon in 3584 CX", "3584", "[postcode]", id="postcode"),
    pytest.param("postcode 3584cx", "3584", "[postcode]", id="postcode-lower"),
    # numbers
    pytest.param("mijn bsn is 123456789", "123456789", "[nummer]", id="bsn"),
    pytest.param("bsn 1234.56.782", "1234", "[nummer]", id="bsn-dotted"),
    pytest.param("BSN: 162 275 869", "275", "[nummer]", id="bsn-spaced"),
    pytest.param("patiëntnummer 12345", "12345", "[nummer]", id="patient-short"),
    pytest.param("pat.nr. Z-4471203", "4471203", "[nummer]", id="patient-letter"),
    pytest.param("rekening NL91 ABNA 0417 1643 00", "0417", "[nummer]", id="long-digits"),
    # dates
    pytest.param("geboren 12-03-1950", "1950", "[datum]", id="date-dashes"),
    pytest.param("scan op 3/4/24 gehad", "3/4/24", "[datum]", id="date-slashes"),
    pytest.param("sinds 1950-03-12", "1950", "[datum]", id="date-iso"),
    pytest.param("op 3 maart 2024 gevallen", "maart", "[datum]", id="date-words"),
    pytest.param("born on March 3rd, 1950", "1950", "[datum]", id="date-english"),
    pytest.param("ik ben geboren in 1948", "1948", "[datum]", id="birth-year"),
    # phones
    pytest.param("bel 06-12345678 aub", "12345678", "[telefoon]", id="mobile"),
    pytest.param("bel +31 6 1234 5678", "5678", "[telefoon]", id="international"),
    pytest.param("bel +31 (0)6-2384 7710", "7710", "[telefoon]", id="plus-zero"),
    pytest.param("bel 0031 6 5521 0987", "0987", "[telefoon]", id="double-zero"),
    pytest.param("bel (030) 609 1111", "609", "[telefoon]", id="landline"),
    pytest.param("bel 06 38 29 17 55", "38 29", "[telefoon]", id="pairs"),
    pytest.param("ring +44 20 7946 0958", "7946", "[telefoon]", id="uk"),
    pytest.param("bel +32 470 12 34 56", "470", "[telefoon]", id="belgian"),
    # e-mail, links
    pytest.param("mail me: jan.devries@gmail.com", "jan.devries", "[e-mail]", id="email"),
    pytest.param("zie https://example.org/x?y=1", "example", "[link]", id="url"),
    pytest.param("op www.beweegclub.nl staat", "beweegclub", "[link]", id="www"),
    pytest.param("kijk op beweegclub.nl/info", "beweegclub", "[link]", id="bare-domain"),
    # ages beside names
    pytest.param("mijn man Willem (81) valt", "81", "[leeftijd]", id="age-parens"),
    pytest.param("mijn vader Henk van 79 is", "79", "[leeftijd]", id="age-van"),
    pytest.param("oma Lies, 87 jaar, wil", "87", "[leeftijd]", id="age-jaar"),
]


@pytest.mark.parametrize(("text", "personal", "placeholder"), DETAILS)
def test_personal_details_go(
    deid: Deidentifier, text: str, personal: str, placeholder: str
) -> None:
    scrubbed = deid.scrub(text)
    assert personal not in scrubbed
    assert placeholder in scrubbed


@pytest.mark.parametrize(
    "text",
    [
        *(pytest.param(text, id=f"must-stay-{i}") for i, text in enumerate(MUST_STAY)),
        pytest.param("ik heb al 5 jaar osteopenie, 2 jaar geleden gevallen", id="durations"),
        pytest.param("ik ben 3 keer gevallen en hij is 2 cm kleiner", id="counts-lengths"),
        pytest.param("mijn vitamine D is 45 nmol/l", id="lab-value"),
        pytest.param("hoeveel calcium, 1000 tot 1200 mg per dag?", id="amount"),
        pytest.param("1000 IE of 20 microgram vitamine d", id="dose-ie"),
        pytest.param("mijn T-score is -2,5 en mijn Z-score -1,8", id="scores"),
        pytest.param("4 porties zuivel", id="portions"),
        pytest.param("elke 2 jaar een scan, 1-2 keer per week", id="ranges"),
        pytest.param("mijn moeder slikt Calcichew", id="kin-then-verb"),
        pytest.param("my mother fell on the ice", id="kin-then-english-verb"),
        pytest.param("Mag ik koffie drinken?", id="sentence-start"),
        pytest.param("sinds ik in maart begonnen ben", id="month-alone"),
        pytest.param("Is nordic walking goed?", id="capitalised-question"),
        pytest.param("ik moet 385 euro eigen risico betalen", id="euros"),
        pytest.param("bel 112 bij een val", id="emergency-number"),
    ],
)
def test_the_question_itself_stays(deid: Deidentifier, text: str) -> None:
    assert deid.scrub(text) == text


def test_scrub_is_the_store_entry_point() -> None:
    assert scrub("Ik ben Jan, bel 06-12345678") == "Ik ben [naam], bel [telefoon]"


def test_a_failure_drops_the_text(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(self: Deidentifier, text: str) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(Deidentifier, "scrub", broken)
    with caplog.at_level(logging.WARNING, logger="bot.scrub"):
        assert scrub("Jan de Vries, 06-12345678") == ""
    assert "dropped" in caplog.text
    assert "Vries" not in caplog.text  # the text itself is never logged


def test_caught_counts_tokens_outside_the_detail() -> None:
    message = Message("x", "Kerkstraat 12, al 12 jaar", ())
    assert caught(message, _detail("street", "Kerkstraat 12"), "[adres], al 12 jaar")
    assert not caught(message, _detail("street", "Kerkstraat 12"), "Kerkstraat [nummer], al 12")


def _detail(kind: str, value: str):  # type: ignore[no-untyped-def]
    from benchmarks.deid import Detail

    return Detail(kind, value)


# What the de-identifier reaches on the labelled messages (benchmarks/deid.py prints the
# table). dev was tuned on; heldout never was, so its floors are lower: they are what it
# measured when this was written, not a target. The target is 98 % of every kind.
FLOORS = {
    "dev": dict.fromkeys(KINDS, 1.0),
    "heldout": dict.fromkeys(KINDS, 1.0) | {"name": 0.89, "age": 0.8},
}  # fmt: skip


@pytest.mark.parametrize("label", ["dev", "heldout"])
def test_recall_per_kind_meets_its_floor(deid: Deidentifier, label: str) -> None:
    messages = load_messages(DATA / f"pii-{label}.jsonl")
    measured = recall(messages, {m.id: deid.scrub(m.text) for m in messages})
    below = {
        kind: f"{measured.of(kind):.0%} < {floor:.0%}"
        for kind, floor in FLOORS[label].items()
        if measured.of(kind) < floor
    }
    assert not below, below
    assert sum(measured.planted.values()) >= 60 * 2  # a labelled set of 60+ messages
