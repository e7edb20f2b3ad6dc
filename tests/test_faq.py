from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import FaqError
from bot.faq import MAX_ID_BYTES
from bot.loading import load_faq, parse_faq
from tests.conftest import FIXTURES

FAQ_FIXTURES = FIXTURES / "faq"


def test_valid_fixture_loads() -> None:
    faq = load_faq(FAQ_FIXTURES / "valid.yaml")
    assert [e.id for e in faq.entries] == ["eerste", "tweede"]
    first = faq.entries[0]
    assert first.answer.get("en") == "Cheese is tasty."
    assert first.answer.get("nl") == "Kaas is lekker."
    assert first.related == ("tweede",)
    assert faq.link("site").url == "https://example.org"


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        pytest.param("yaml-syntax", "YAML syntax", id="yaml-syntax"),
        pytest.param("missing-answer", "`answer` is missing", id="missing-field"),
        pytest.param("empty-label", "`nl` is missing or empty", id="empty-field"),
        pytest.param("unknown-section", "unknown section 'drie'", id="unknown-section"),
        pytest.param("duplicate-id", "used twice", id="duplicate-id"),
        pytest.param("unknown-link", "unknown link 'nergens'", id="unknown-link"),
        pytest.param("unknown-related", "unknown related entry 'derde'", id="unknown-related"),
        pytest.param("id-too-long", f"over {MAX_ID_BYTES} bytes", id="id-too-long"),
        pytest.param("duplicate-phrasing", "is also in entry 'eerste'", id="duplicate-phrasing"),
        pytest.param("uncovered-section", "section 'drie': has no entry", id="uncovered-section"),
    ],
)
def test_each_broken_fixture_names_its_problem(fixture: str, expected: str) -> None:
    path = FAQ_FIXTURES / f"broken-{fixture}.yaml"
    with pytest.raises(FaqError) as caught:
        load_faq(path)
    problems = [str(p) for p in caught.value.problems]
    assert any(expected in p for p in problems), problems
    # One line, naming the file: what start-up prints.
    assert str(caught.value).startswith(str(path))
    assert "\n" not in str(caught.value)


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(FaqError) as caught:
        load_faq(FAQ_FIXTURES / "broken-yaml-syntax.yaml")
    problem = caught.value.problems[0]
    assert problem.line is not None
    assert f"broken-yaml-syntax.yaml:{problem.line}:" in str(problem)


def test_missing_file_says_where_to_look(tmp_path: Path) -> None:
    with pytest.raises(FaqError, match="not found: check FAQ_PATH"):
        load_faq(tmp_path / "none.yaml")


@pytest.mark.parametrize("text", ["", "- a list\n", "just text\n"])
def test_not_a_mapping_is_one_clear_error(text: str) -> None:
    with pytest.raises(FaqError, match="mapping"):
        parse_faq(text)


def test_yaml_is_read_safely() -> None:
    with pytest.raises(FaqError, match="YAML syntax"):
        parse_faq("leaflet: !!python/object/apply:os.system ['true']\n")
