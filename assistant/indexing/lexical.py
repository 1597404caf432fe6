"""BM25 over chunks with German-aware tokens: folded case and umlauts, light stems, word heads."""

from __future__ import annotations

import re
import unicodedata

import bm25s
import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)
_SUFFIXES = ("ungen", "ern", "en", "er", "es", "em", "e", "n", "s")
STOPWORDS = frozenset(
    # German and English function words; question words stay out of the index too.
    "aber alle als also am an auch auf aus bei bin bis bist da dabei damit dann das dass dem den "
    "der des die dies diese diesem diesen dieser dieses doch dort du durch ein eine einem einen "
    "einer eines er es etwa für gegen hat hatte hatten hier ich ihr ihre im in ins ist ja jedoch "
    "kann kein keine man mehr mit nach nicht noch nun nur ob oder ohne seit sein seine sich sie "
    "sind so soll sollen über um und uns unter vom von vor war waren was wer wie wieviel viele "
    "wird wo wann warum welche welcher welches werden wurde wurden zu zum zur zwischen "
    "a about after all an and any are as at be been but by can did do does for from had has "
    "have how i if in into is it its many much of on or than that the their there these they "
    "this to was were what when where which who whom why will with would".split()
)


def fold(text: str) -> str:
    """Lowercase; ä→a, ß→ss and other accents removed, so German and English spellings meet."""
    text = text.lower().replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def stem(word: str) -> str:
    """Strip one common German/English inflection suffix from a longer word."""
    if len(word) > 5:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
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
        if len(stemmed) >= 8:  # compounds share their head: "artilleriegeschutz", "geschutz"
            result.append("~" + stemmed[-6:])
    return result


class LexicalIndex:
    """BM25 scores of every chunk for a question."""

    def __init__(self, texts: list[str]) -> None:
        self.size = len(texts)
        self.bm25 = bm25s.BM25()
        if texts:
            self.bm25.index([tokens(t) or ["~empty"] for t in texts], show_progress=False)

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
