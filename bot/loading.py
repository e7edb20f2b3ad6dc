"""Load a leaflet's FAQ from a YAML file or text, validated (bot/validation.py).

Every defect is collected as a Problem naming the file, the entry and what to do, so that
`leafletbot check` can list them all and start-up can stop with the first one.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.errors import FaqError, Problem
from bot.faq import Faq
from bot.validation import Validator

# libyaml's safe loader where PyYAML was built with it (the wheels are): the FAQ is read in
# 7 ms instead of 100 ms, at every start and /reload. Same data, same error marks.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_faq(path: str | Path) -> Faq:
    """Read and validate one FAQ file; raise FaqError listing every defect."""
    return _valid(*read_faq(path))


def parse_faq(text: str, path: str = "<faq>") -> Faq:
    """Validate FAQ YAML text; raise FaqError listing every defect."""
    return _valid(*read_faq_text(text, path))


def _valid(faq: Faq | None, problems: list[Problem]) -> Faq:
    if faq is None or problems:
        raise FaqError(problems)
    return faq


def read_faq(path: str | Path) -> tuple[Faq | None, list[Problem]]:
    """Every defect in one FAQ file, and the FAQ as far as it could be read (None when the
    file cannot be read as a YAML mapping): `leafletbot check` lints what was read too."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, [Problem(str(path), "file", "not found: check FAQ_PATH or the path given")]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Problem(str(path), "file", f"cannot be read: {exc}")]
    return read_faq_text(text, str(path))


def read_faq_text(text: str, path: str = "<faq>") -> tuple[Faq | None, list[Problem]]:
    """As read_faq, for YAML text."""
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Problem(path, "YAML syntax", f"{problem}: fix the file", line)]
    if not isinstance(data, Mapping):
        hint = "give it `leaflet:`, `sections:` and `entries:` as faq/osteopenie.yaml does"
        return None, [Problem(path, "file", f"is not a YAML mapping: {hint}")]
    validator = Validator(path)
    return validator.faq(data), validator.problems
