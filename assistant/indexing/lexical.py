"""BM25 over chunks with German-aware tokens: folded case and umlauts, light stems, word heads."""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path

import bm25s
import numpy as np

from assistant.text.words import STOPWORDS, fold
from assistant.tuning import (
    COMPOUND_HEAD_CHARS,
    COMPOUND_MIN_CHARS,
    STEM_KEEP_CHARS,
    STEM_MIN_CHARS,
)

logger = logging.getLogger(__name__)

# A version folder keeps its BM25 under this name, written by the update that made it, so that
# no question waits for a rebuild after a swap. The number changes whenever tokens() does: a
# BM25 of other tokens is not loaded but built again.
SAVED = "bm25-v1"
_WORD = re.compile(r"\w+", re.UNICODE)
_SUFFIXES = ("ungen", "ern", "en", "er", "es", "em", "e", "n", "s")


def stem(word: str) -> str:
    """Strip one common German/English inflection suffix from a longer word."""
    if len(word) >= STEM_MIN_CHARS:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= STEM_KEEP_CHARS:
                return word[: -len(suffix)]
    return word


def tokens(text: str) -> list[str]:
    """Stems of the content words; long compounds also give their head (last 6 letters)."""
    result = []
    for word in _WORD.findall(fold(text)):
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        stemmed = stem(word)
        result.append(stemmed)
        if len(stemmed) >= COMPOUND_MIN_CHARS:  # "artilleriegeschutz" also gives "~schutz"
            result.append("~" + stemmed[-COMPOUND_HEAD_CHARS:])
    return result


class LexicalIndex:
    """BM25 scores of every chunk for a question."""

    def __init__(self, texts: list[str]) -> None:
        self.size = len(texts)
        self.bm25 = bm25s.BM25()
        if texts:
            self.bm25.index([tokens(t) or ["~empty"] for t in texts], show_progress=False)

    def save(self, version: Path) -> None:
        """Write it into a version folder (bm25s's own format)."""
        if self.size:
            self.bm25.save(str(version / SAVED), show_progress=False)

    @classmethod
    def load(cls, version: Path, size: int) -> LexicalIndex | None:
        """The BM25 a version folder keeps for its size chunks (memory-mapped), or None when it
        has none or it cannot be read (then it is built again, as for an older index)."""
        folder = version / SAVED
        if not folder.is_dir():
            return None
        try:
            bm25 = bm25s.BM25.load(str(folder), mmap=True, show_progress=False)
            rows = int(bm25.scores["num_docs"])
        except (OSError, ValueError, KeyError, TypeError) as err:
            logger.warning("building BM25 again: %s cannot be read (%s)", folder, err)
            return None
        if rows != size:
            logger.warning("building BM25 again: %s has %d rows, not %d", folder, rows, size)
            return None
        index = cls.__new__(cls)
        index.size, index.bm25 = size, bm25
        return index

    def scores(self, question: str) -> np.ndarray:
        """(len(texts),) BM25 scores; zeros when the question has no indexed words."""
        words = tokens(question)
        if not words or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self.bm25.get_scores(words), dtype=np.float32)

    def scores_any(self, groups: list[set[str]]) -> np.ndarray:
        """(len(texts),) BM25 scores where each group of alternative tokens (an English word's
        German translations) counts once, by its best-scoring token in each text."""
        total = np.zeros(self.size, dtype=np.float32)
        if self.size == 0:
            return total
        vocab = self.bm25.vocab_dict
        for group in groups:
            ids = [vocab[t] for t in group if t in vocab]
            if ids:
                best = np.max([self.bm25.get_scores_from_ids([i]) for i in ids], axis=0)
                total += best.astype(np.float32)
        return total


@dataclass(frozen=True)
class Part:
    """One segment's saved BM25: its folder, its rows, and which of them are live."""

    folder: Path
    rows: int
    live: np.ndarray | None = None  # sorted live rows; None: all


def combine(parts: list[Part]) -> LexicalIndex | SegmentedLexical | None:
    """The segments' saved BM25s as one (None when one of them is missing or unreadable)."""
    loaded = []
    for part in parts:
        if part.rows == 0:
            continue
        index = LexicalIndex.load(part.folder, part.rows)
        if index is None:
            return None
        loaded.append((index, part.live))
    if len(loaded) == 1 and loaded[0][1] is None:
        return loaded[0][0]  # one whole segment: exactly its own BM25
    return SegmentedLexical(loaded)


def _idf(df: int, n: int) -> float:
    """bm25s's (Lucene's) inverse document frequency."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


class SegmentedLexical:
    """BM25 scores over several segments' saved indexes, as one index over their live rows.

    Each segment's saved scores carry its own IDF; every token's column is rescaled to the IDF
    over the live rows of all segments (the rows of deleted articles are not counted), so a
    rare word of a small new segment weighs what it weighs in the archive. Only the length
    normalisation stays per segment (its mean chunk length): bm25s keeps no term counts.
    """

    def __init__(self, parts: list[tuple[LexicalIndex, np.ndarray | None]]) -> None:
        self.parts = parts
        self.masks = []  # per part: live rows as a boolean mask, None when all are live
        for index, live in parts:
            mask = None
            if live is not None:
                mask = np.zeros(index.size, dtype=bool)
                mask[live] = True
            self.masks.append(mask)
        self.size = sum(index.size if live is None else len(live) for index, live in parts)

    def _columns(self, token: str) -> list[np.ndarray] | None:
        """Per part: the token's BM25 column at the IDF over every part; None if absent."""
        found = []  # per part: (token id, rows holding it, live rows holding it)
        for (index, _), mask in zip(self.parts, self.masks, strict=True):
            row = index.bm25.vocab_dict.get(token)
            if row is None:
                found.append((None, 0, 0))
                continue
            begin, end = (int(i) for i in index.bm25.scores["indptr"][row : row + 2])
            docs = index.bm25.scores["indices"][begin:end]
            live = end - begin if mask is None else int(np.count_nonzero(mask[docs]))
            found.append((row, end - begin, live))
        df = sum(live for _, _, live in found)
        if df == 0:
            return None
        idf = _idf(df, self.size)
        columns = []
        for (index, _), (row, own, _) in zip(self.parts, found, strict=True):
            if row is None or own == 0:
                columns.append(np.zeros(index.size, dtype=np.float32))
                continue
            weight = idf / _idf(own, index.size)
            columns.append(weight * index.bm25.get_scores_from_ids([row]).astype(np.float32))
        return columns

    def _live(self, columns: list[np.ndarray]) -> np.ndarray:
        lives = [live for _, live in self.parts]
        pieces = [c if live is None else c[live] for c, live in zip(columns, lives, strict=True)]
        return np.concatenate(pieces).astype(np.float32) if pieces else np.zeros(0, np.float32)

    def scores(self, question: str) -> np.ndarray:
        """(live rows,) BM25 scores; zeros when the question has no indexed words."""
        total = [np.zeros(index.size, dtype=np.float32) for index, _ in self.parts]
        for word in tokens(question):  # a repeated word counts again, as in bm25s
            columns = self._columns(word)
            for n, column in enumerate(columns or ()):
                total[n] += column
        return self._live(total)

    def scores_any(self, groups: list[set[str]]) -> np.ndarray:
        """As LexicalIndex.scores_any: each group counts once, by its best token per row."""
        total = [np.zeros(index.size, dtype=np.float32) for index, _ in self.parts]
        for group in groups:
            found = [c for c in (self._columns(t) for t in group) if c is not None]
            for n in range(len(total)):
                if found:
                    total[n] += np.max([columns[n] for columns in found], axis=0)
        return self._live(total)
