"""When the articles do not answer: the best evidence must stand out, or the assistant abstains.

Two references tell a real answer from a merely related sentence. Ordinary news text
(assistant/data/background.txt): the evidence must beat the question's similarity to it by a
margin. And the corpus itself: a question that one passage answers has a best chunk that
stands out from its 10th best; an unanswerable one meets many similar chunks, and needs more
margin. A German question also needs more margin when few of its words occur in the article
of the best evidence. The weights were fitted on XQuAD-de dev with each question's own
paragraph hidden (benchmarks/abstention.py); values and their measurements: assistant/tuning.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.indexing.background import background_score
from assistant.indexing.store import Index
from assistant.qa.question import Query
from assistant.text.words import lexical_overlap
from assistant.tuning import (
    COVERAGE_WEIGHT,
    GAP_WEIGHT,
    MAX_RELIEF,
    PEAK_RANK,
    TOP_WEIGHT,
    TYPICAL_COVERAGE,
    TYPICAL_GAP,
    TYPICAL_TOP,
)


@dataclass(frozen=True)
class Signals:
    background: float  # mean similarity to the nearest background sentences
    top: float  # cosine of the best chunk in the whole index
    gap: float  # top minus the cosine of the PEAK_RANK-th chunk
    coverage: float | None = None  # German questions: their words found in the best article

    def required_margin(self, min_margin: float) -> float:
        """The margin over the background that the best evidence needs for an answer."""
        shift = TOP_WEIGHT * (self.top - TYPICAL_TOP) - GAP_WEIGHT * (self.gap - TYPICAL_GAP)
        missing = 0.0 if self.coverage is None else max(0.0, TYPICAL_COVERAGE - self.coverage)
        return min_margin + max(-MAX_RELIEF, shift) + COVERAGE_WEIGHT * missing

    def threshold(self, min_margin: float) -> float:
        """The evidence score below which the assistant abstains."""
        return self.background + self.required_margin(min_margin)


def signals(
    index: Index, query: Query, best_article: str | None, scores: np.ndarray | None = None
) -> Signals:
    """The query's similarity to ordinary news, how its best chunk stands out, and (German
    questions) how many of its words the article of the best evidence has.

    scores: the search vector's cosine with every chunk, if already known (default: its
    PEAK_RANK best from the index, which keeps them from the question's retrieval).
    """
    coverage = None
    if best_article is not None and query.german:
        coverage = lexical_overlap(query.words, index.articles[best_article].text)
    vector = query.search.vector
    scores = index.top_scores(vector, PEAK_RANK) if scores is None else scores
    return Signals(background_score(index.background, vector), *peak(scores), coverage)


def peak(scores: np.ndarray) -> tuple[float, float]:
    """The best chunk score, and how far it is above the PEAK_RANK-th best."""
    if len(scores) == 0:
        return 0.0, 0.0
    k = min(PEAK_RANK, len(scores))
    nearest = np.sort(np.partition(scores, -k)[-k:])
    return float(nearest[-1]), float(nearest[-1] - nearest[0])
