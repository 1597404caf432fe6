"""An index's segments seen as one: its live articles, chunks and vectors, read on demand.

Row i of the index is the i-th live row of its segments in order (the rows of deleted articles
are skipped). Nothing here copies a segment: vectors stay memory-mapped, article texts stay on
disk until asked for (a few hundred are kept), and a chunk is its article's span.
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict
from collections.abc import Iterator, Mapping, Sequence

import numpy as np

from assistant.indexing.segments import Segment
from assistant.ingest.articles import Article
from assistant.ingest.chunking import Chunk
from assistant.tuning import TEXTS_KEPT


class Layout:
    """Which segment row each index row is: per segment, its live rows (None: all) and live
    article numbers, from the article ids deleted from it."""

    def __init__(self, segments: list[tuple[Segment, frozenset[str]]]) -> None:
        self.pieces: list[tuple[Segment, np.ndarray | None]] = []
        self.numbers: list[list[int]] = []  # per segment: its live articles' numbers
        self.masks: list[np.ndarray | None] = []  # per segment: live or not, per row
        for segment, deleted in segments:
            gone = [n for n, a in enumerate(segment.headers) if a.id in deleted]
            live = mask = None
            if gone:
                mask = ~np.isin(segment.rows[:, 0], gone)
                live = np.flatnonzero(mask)
            self.pieces.append((segment, live))
            self.masks.append(mask)
            self.numbers.append(sorted(set(range(len(segment.headers))) - set(gone)))
        counts = [len(s.rows) if live is None else len(live) for s, live in self.pieces]
        self.starts = np.concatenate([[0], np.cumsum(counts, dtype=np.int64)])
        self.total = int(self.starts[-1])

    def locate(self, rows: np.ndarray) -> Iterator[tuple[int, np.ndarray, np.ndarray]]:
        """Per segment n holding some of rows: (n, their positions in rows, segment rows)."""
        rows = np.asarray(rows, dtype=np.int64).reshape(-1)
        if len(rows) and (rows.min() < 0 or rows.max() >= self.total):
            raise IndexError(f"row out of range 0..{self.total - 1}")
        owner = np.searchsorted(self.starts, rows, side="right") - 1
        for n in np.unique(owner):
            where = np.flatnonzero(owner == n)
            local = rows[where] - self.starts[n]
            live = self.pieces[n][1]
            yield int(n), where, (local if live is None else live[local])

    def rows(self, n: int, local: np.ndarray) -> np.ndarray:
        """The index rows of segment n's live rows local."""
        live = self.pieces[n][1]
        position = local if live is None else np.searchsorted(live, local)
        return self.starts[n] + position


class Articles(Mapping[str, Article]):
    """The live articles by id, each read with its text when asked for."""

    def __init__(self, layout: Layout) -> None:
        self.layout = layout
        self.where: dict[str, tuple[int, int]] = {}  # id -> (segment, article number)
        for n, (segment, _) in enumerate(layout.pieces):
            for number in layout.numbers[n]:
                self.where[segment.headers[number].id] = (n, number)
        self._kept: OrderedDict[str, Article] = OrderedDict()
        self._lock = threading.Lock()

    def __getitem__(self, article_id: str) -> Article:
        with self._lock:
            if article_id in self._kept:
                self._kept.move_to_end(article_id)
                return self._kept[article_id]
        n, number = self.where[article_id]
        article = self.layout.pieces[n][0].article(number)
        with self._lock:
            self._kept[article_id] = article
            while len(self._kept) > TEXTS_KEPT:
                self._kept.popitem(last=False)
        return article

    def __iter__(self) -> Iterator[str]:
        return iter(self.where)

    def __len__(self) -> int:
        return len(self.where)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self.where

    def header(self, article_id: str) -> Article:
        """The article's record without its text (nothing read from disk)."""
        n, number = self.where[article_id]
        return self.layout.pieces[n][0].headers[number]

    def headers(self) -> Iterator[Article]:
        """Every live article's record without its text, in order."""
        for n, number in self.where.values():
            yield self.layout.pieces[n][0].headers[number]

    def segment_of(self, article_id: str) -> str:
        return self.layout.pieces[self.where[article_id][0]][0].name


class Chunks(Sequence[Chunk]):
    """The live chunks, each its article's span."""

    def __init__(self, layout: Layout, articles: Articles) -> None:
        self.layout, self.articles = layout, articles
        self._sorted: dict[int, bool] = {}  # segment n: its rows in article order

    def __len__(self) -> int:
        return self.layout.total

    def __eq__(self, other: object) -> bool:
        """Equal to a list (or another index's chunks) of the same chunks in the same order."""
        if not isinstance(other, Chunks | list | tuple):
            return NotImplemented
        return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]

    def __getitem__(self, key):
        if isinstance(key, slice):
            return self.take(np.arange(*key.indices(len(self))))
        row = int(key) + (len(self) if int(key) < 0 else 0)
        return self.take(np.array([row]))[0]

    def take(self, rows: np.ndarray) -> list[Chunk]:
        """The chunks at rows, in that order (their segments found in one pass)."""
        result: list[Chunk] = [None] * len(rows)  # type: ignore[list-item]
        for n, where, local in self.layout.locate(rows):
            segment = self.layout.pieces[n][0]
            for i, row in zip(where.tolist(), local.tolist(), strict=True):
                result[i] = self._chunk(segment, row)
        return result

    def _chunk(self, segment: Segment, row: int) -> Chunk:
        if segment.chunks is not None:
            return segment.chunks[row]
        number, start, end = (int(v) for v in segment.rows[row])
        article = self.articles[segment.ids[number]]
        return Chunk(article.id, start, end, article.text[start:end])

    def __iter__(self) -> Iterator[Chunk]:
        return self.within(0)

    def within(self, first: int) -> Iterator[Chunk]:
        """The live chunks of the segments from position first on, in order."""
        for segment, live in self.layout.pieces[first:]:
            if segment.chunks is not None:
                rows = range(len(segment.chunks)) if live is None else live.tolist()
                yield from (segment.chunks[row] for row in rows)
                continue
            rows = segment.rows if live is None else segment.rows[live]
            number, text = -1, ""
            for article, start, end in rows.tolist():
                if article != number:
                    number, text = article, segment.shelf.text(article)
                yield Chunk(segment.ids[article], start, end, text[start:end])

    def of(self, article_id: str) -> np.ndarray:
        """Index rows of the article's chunks, in order."""
        n, number = self.articles.where[article_id]
        numbers = self.layout.pieces[n][0].rows[:, 0]
        if n not in self._sorted:  # a saved segment's are: its articles' chunks one after another
            self._sorted[n] = bool(np.all(numbers[1:] >= numbers[:-1]))
        if self._sorted[n]:  # found by bisection: a scan of a 1M-row segment is ~1 ms an article
            bounds = np.array([number, number + 1], dtype=numbers.dtype)  # no cast of numbers
            lo, hi = np.searchsorted(numbers, bounds)
            local = np.arange(lo, hi)
        else:
            local = np.flatnonzero(numbers == number)
        return self.layout.rows(n, local)

    def spans(self, rows: np.ndarray) -> np.ndarray:
        """(len(rows), 2) start and end of the chunks at rows."""
        result = np.zeros((len(rows), 2), dtype=np.int64)
        for n, where, local in self.layout.locate(rows):
            result[where] = self.layout.pieces[n][0].rows[local, 1:]
        return result

    def per_article(self) -> Counter[str]:
        """How many chunks each live article has."""
        counts: Counter[str] = Counter()
        for segment, live in self.layout.pieces:
            numbers = segment.rows[:, 0] if live is None else segment.rows[live, 0]
            found = np.bincount(numbers, minlength=len(segment.ids))
            counts.update({segment.ids[i]: int(c) for i, c in enumerate(found) if c})
        return counts


class Vectors:
    """The live rows' vectors, gathered from the segments when indexed (read-only)."""

    def __init__(self, layout: Layout, dimension: int) -> None:
        self.layout, self.dimension = layout, dimension
        self.shape = (layout.total, dimension)
        self.dtype = np.dtype(np.float32)

    def __len__(self) -> int:
        return self.layout.total

    def __getitem__(self, key) -> np.ndarray:
        if isinstance(key, slice):
            return self.take(np.arange(*key.indices(len(self))))
        rows = np.asarray(key)
        if rows.ndim == 0:
            return self.take(rows.reshape(1))[0]
        if rows.dtype == bool:
            rows = np.flatnonzero(rows)
        return self.take(rows)

    def take(self, rows: np.ndarray) -> np.ndarray:
        result = np.zeros((len(rows), self.dimension), dtype=np.float32)
        for n, where, local in self.layout.locate(rows):
            result[where] = self.layout.pieces[n][0].take(local)
        return result

    def blocks(self) -> Iterator[np.ndarray]:
        """The vectors segment by segment, in row order (memory-mapped where they can be)."""
        for segment, live in self.layout.pieces:
            yield segment.vectors if live is None else segment.vectors[live]

    def __array__(self, dtype=None, copy=None) -> np.ndarray:
        blocks = [np.asarray(b, dtype=np.float32) for b in self.blocks()]
        whole = np.concatenate(blocks) if blocks else np.zeros((0, self.dimension), np.float32)
        return whole if dtype is None else whole.astype(dtype)

    def __matmul__(self, vector: np.ndarray) -> np.ndarray:
        parts = [np.asarray(b @ vector) for b in self.blocks()]
        return np.concatenate(parts) if parts else np.zeros(0, np.float32)
