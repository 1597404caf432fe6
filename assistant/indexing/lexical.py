"""BM25 over chunks with German-aware tokens: folded case and umlauts, light stems, word heads."""

from __future__ import annotations

import logging
import re
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
