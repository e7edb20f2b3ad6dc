"""The lexical engine as it was before the semantic stage, as a baseline.

Its code comes from git (`git archive LEGACY bot benchmarks`) into a temporary folder,
beside a copy of today's FAQ, so that both engines answer from the same FAQ. It runs in
processes of its own: its `ask --json` for quality, its benchmark worker for speed.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# The last commit of the lexical engine: the one before the semantic stage (issue 10).
LEGACY = "12de101"


@contextmanager
def legacy_tree() -> Iterator[Path]:
    """A folder with the lexical engine's bot/ and benchmarks/, and today's faq/."""
    archive = subprocess.run(
        ["git", "archive", LEGACY, "bot", "benchmarks"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tree, filter="data")
        shutil.copytree(ROOT / "faq", tree / "faq")
        yield tree


def environment(tree: Path) -> dict[str, str]:
    """The environment that makes `import bot` find the legacy package, not today's."""
    return {**os.environ, "PYTHONPATH": str(tree), "PYTHONSAFEPATH": ""}


def ask(tree: Path, questions: list[str]) -> list[dict[str, Any]]:
    """The legacy engine's `ask --json` records for the questions, in order."""
    out = subprocess.run(
        [sys.executable, "-m", "bot", "--faq", str(tree / "faq/osteopenie.yaml"), "ask", "--json"],
        input="\n".join(questions) + "\n",
        capture_output=True,
        text=True,
        check=True,
        cwd=tree,
        env=environment(tree),
    )
    return [json.loads(line) for line in out.stdout.splitlines()]
