"""What the repository itself must hold to: no secrets tracked, every dependency pinned."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from bot.config import TOKEN_PATTERN
from tests.conftest import ROOT
from tests.helpers import FAKE_TOKEN


def tracked_files() -> list[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing is tracked to check")
    listing = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    return [name for name in listing.decode().split("\0") if name]


def test_env_is_ignored_and_never_tracked() -> None:
    files = tracked_files()
    assert ".env.example" in files
    assert not [f for f in files if f == ".env" or f.endswith("/.env")]
    ignored = subprocess.run(["git", "check-ignore", "-q", ".env"], cwd=ROOT, check=False)
    assert ignored.returncode == 0, ".env must be in .gitignore"


def test_no_bot_token_in_any_tracked_file() -> None:
    shape = re.compile(TOKEN_PATTERN.pattern.strip("^$").replace("\\d{5,12}", r"\b\d{5,12}"))
    found = []
    for name in tracked_files():
        path = ROOT / name
        if "node_modules" in name or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="ignore")
        found += [(name, m) for m in shape.findall(text) if m != FAKE_TOKEN]
    assert found == []


def test_every_dependency_is_pinned_in_the_constraints_make_test_uses() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"]]
    for extra in project["optional-dependencies"].values():
        wanted += extra
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not pinned with =="
            pins[canonicalize_name(name)] = version
    for spec in wanted:
        requirement = Requirement(spec)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement.name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(pins[name]), f"{name}=={pins[name]} vs {spec}"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "-c constraints.txt" in makefile
    assert "npm ci" in makefile and (ROOT / "tests" / "e2e" / "package-lock.json").is_file()
