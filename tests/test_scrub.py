from __future__ import annotations

import pytest

from bot.scrub import scrub


@pytest.mark.parametrize(
    ("text", "personal", "placeholder"),
    [
        pytest.param("mail me: jan.devries@gmail.com", "jan.devries", "[e-mail]", id="email"),
        pytest.param("bel 06-12345678 aub", "12345678", "[telefoon]", id="mobile"),
        pytest.param("bel +31 6 1234 5678", "5678", "[telefoon]", id="international"),
        pytest.param("bel (030) 609 1111", "609", "[telefoon]", id="landline"),
        pytest.param("mijn bsn is 123456789", "123456789", "[nummer]", id="bsn"),
        pytest.param("bsn 1234.56.782", "1234", "[nummer]", id="bsn-dotted"),
        pytest.param("geboren 12-03-1950", "1950", "[datum]", id="date-dashes"),
        pytest.param("scan op 3/4/24 gehad", "3/4/24", "[datum]", id="date-slashes"),
        pytest.param("sinds 1950-03-12", "1950", "[datum]", id="date-iso"),
        pytest.param("op 3 maart 2024 gevallen", "maart", "[datum]", id="date-words"),
        pytest.param("ik woon in 3584 CX", "3584", "[postcode]", id="postcode"),
        pytest.param("postcode 3584cx", "3584", "[postcode]", id="postcode-lower"),
        pytest.param("ik heet Fatima en heb vragen", "Fatima", "[naam]", id="ik-heet"),
        pytest.param("mijn naam is Piet Jansen", "Piet", "[naam]", id="mijn-naam-is"),
        pytest.param("Ik ben Jan de Vries, 67 jaar", "Vries", "[naam]", id="ik-ben-name"),
        pytest.param("my name is John Smith", "Smith", "[naam]", id="english-name"),
        pytest.param("dit is mevrouw Bakker", "Bakker", "[naam]", id="title-name"),
    ],
)
def test_personal_details_go(text: str, personal: str, placeholder: str) -> None:
    scrubbed = scrub(text)
    assert personal not in scrubbed
    assert placeholder in scrubbed


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("ik ben bang om te vallen", id="ik-ben-bang"),
        pytest.param("ik ben 67 jaar", id="age"),
        pytest.param("hoeveel calcium, 1000 tot 1200 mg per dag?", id="amount"),
        pytest.param("800 IE of 20 microgram vitamine d", id="dose"),
        pytest.param("mijn T-score is -2,5", id="t-score"),
        pytest.param("4 porties zuivel", id="portions"),
    ],
)
def test_the_question_itself_stays(text: str) -> None:
    assert scrub(text) == text
