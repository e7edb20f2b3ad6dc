"""The semantic stage: the cache (hit, miss, damaged), the model's checks, bounded time."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

from bot.engine import Engine
from bot.errors import ModelError
from bot.semantic import MAX_EMBED_CHARS, EmbeddingIndex, UseEmbedder, Vectors

TEXTS = [("a", "hoeveel calcium"), ("a", "kalk per dag"), ("b", "wat is een dexa scan")]


@dataclass
class CountingEmbedder:
    """Vectors from a hash of each text; counts how many texts it embedded."""

    name: str = "fake/1"
    calls: list[int] = field(default_factory=list)

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(len(texts))
        rows = []
        for t in texts:
            seed = int(hashlib.sha256(t.encode()).hexdigest()[:8], 16)
            v = np.random.default_rng(seed).normal(size=8).astype(np.float32)
            rows.append(v / np.linalg.norm(v))
        return np.array(rows, dtype=np.float32).reshape(len(texts), 8)


def test_the_cache_is_used_when_it_holds_these_texts(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    first = EmbeddingIndex.build(embedder, TEXTS, tmp_path)
    second = EmbeddingIndex.build(embedder, TEXTS, tmp_path)
    assert embedder.calls == [3]  # the second build embedded nothing
    assert np.array_equal(first.vectors, second.vectors)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda t: [*t, ("c", "nieuwe vraag")], id="a-text-added"),
        pytest.param(lambda t: [(o, s.upper()) for o, s in t], id="a-text-changed"),
        pytest.param(lambda t: [("b", s) for _, s in t], id="an-owner-changed"),
    ],
)
def test_a_changed_faq_misses_the_cache(tmp_path: Path, change) -> None:  # type: ignore[no-untyped-def]
    embedder = CountingEmbedder()
    EmbeddingIndex.build(embedder, TEXTS, tmp_path)
    EmbeddingIndex.build(embedder, change(TEXTS), tmp_path)
    assert len(embedder.calls) == 2


def test_another_model_misses_the_cache(tmp_path: Path) -> None:
    EmbeddingIndex.build(CountingEmbedder(), TEXTS, tmp_path)
    other = CountingEmbedder(name="fake/2")
    EmbeddingIndex.build(other, TEXTS, tmp_path)
    assert other.calls == [3]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"not a numpy file at all", id="garbage"),
        pytest.param(None, id="truncated"),
    ],
)
def test_a_damaged_cache_is_rebuilt_never_trusted(tmp_path: Path, damage: bytes | None) -> None:
    embedder = CountingEmbedder()
    good = EmbeddingIndex.build(embedder, TEXTS, tmp_path)
    (cached,) = tmp_path.glob("embeddings-*.npz")
    data = cached.read_bytes()
    cached.write_bytes(data[: len(data) // 2] if damage is None else damage)
    rebuilt = EmbeddingIndex.build(embedder, TEXTS, tmp_path)
    assert embedder.calls == [3, 3]
    assert np.array_equal(good.vectors, rebuilt.vectors)
    # and the rebuilt cache is sound again
    EmbeddingIndex.build(embedder, TEXTS, tmp_path)
    assert embedder.calls == [3, 3]


def test_a_cache_with_wrong_vectors_is_rebuilt(tmp_path: Path) -> None:
    embedder = CountingEmbedder()
    EmbeddingIndex.build(embedder, TEXTS, tmp_path)
    (cached,) = tmp_path.glob("embeddings-*.npz")
    with np.load(cached) as data:
        key = data["key"]
    with cached.open("wb") as handle:
        np.savez(handle, key=key, vectors=np.full((3, 8), np.nan, dtype=np.float32))
    EmbeddingIndex.build(embedder, TEXTS, tmp_path)
    assert embedder.calls == [3, 3]


def test_best_gives_each_owner_its_nearest_text() -> None:
    index = EmbeddingIndex.build(CountingEmbedder(), TEXTS)
    best = index.best(index.vectors[1:2])
    assert best["a"] == pytest.approx(1.0, abs=1e-5)
    assert best["b"] < 1.0


def test_a_missing_model_stops_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.semantic.util.find_spec", lambda name: None)
    with pytest.raises(ModelError, match="not installed: run `make install`"):
        UseEmbedder.load()


def test_a_damaged_model_file_stops_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(UseEmbedder.load.__globals__["USE_FILES"], "sp.model", "0" * 64)
    with pytest.raises(ModelError, match="damaged"):
        UseEmbedder.load()


def test_a_wrong_model_version_stops_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.semantic.metadata.version", lambda name: "9.9")
    with pytest.raises(ModelError, match=r"9\.9 is installed"):
        UseEmbedder.load()


def test_a_calibration_for_another_model_stops_start_up(engine: Engine) -> None:
    with pytest.raises(ModelError, match="make calibrate"):
        Engine.build(engine.faq, CountingEmbedder())


def test_a_long_message_is_embedded_from_a_bounded_prefix(engine: Engine) -> None:
    long = "calcium " * 2000
    cut = long[:MAX_EMBED_CHARS]
    assert np.allclose(engine.embedder.embed([long]), engine.embedder.embed([cut]))
