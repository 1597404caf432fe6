"""When the articles do not answer: the best evidence must stand out, or the assistant abstains.

Two references tell a real answer from a merely related sentence. Ordinary news text
(assistant/data/background.txt): the evidence must beat the question's similarity to it by a
margin. And the corpus itself: a question that one passage answers has a best chunk that
stands out from its 10th best; an unanswerable one meets many similar chunks, and needs more
margin. A German question also needs more margin when few of its words occur in the article
of the best evidence; an English one needs less when the best quote states most of its words
through the dictionary. The weights were fitted on XQuAD-de dev with each question's own
paragraph hidden (benchmarks/abstention.py); values and their measurements: assistant/tuning.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.indexing.background import background_score
from assistant.indexing.store import Index
from assistant.qa import stated
from assistant.qa.evidence import Evidence
from assistant.qa.question import Query
from assistant.text.words import FRAMING, lexical_overlap
from assistant.tuning import (
    COVERAGE_WEIGHT,
    GAP_WEIGHT,
    MAX_RELIEF,
    PEAK_RANK,
    STATED_RELIEF,
    STATED_SHARE,
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
    # English questions of two or more asked words: the share of them the best quote states
    stated: float | None = None

    def required_margin(self, min_margin: float, relief: bool = True) -> float:
        """The margin over the background that the best evidence needs for an answer;
        relief=False: without the credit for an English question's stated words."""
        shift = TOP_WEIGHT * (self.top - TYPICAL_TOP) - GAP_WEIGHT * (self.gap - TYPICAL_GAP)
        missing = 0.0 if self.coverage is None else max(0.0, TYPICAL_COVERAGE - self.coverage)
        stated = relief and (self.stated or 0.0) >= STATED_SHARE
        return (
            min_margin
            + max(-MAX_RELIEF, shift)
            + COVERAGE_WEIGHT * missing
            - (STATED_RELIEF if stated else 0.0)
        )

    def threshold(self, min_margin: float, relief: bool = True) -> float:
        """The evidence score below which the assistant abstains. relief=False: the one a
        missing word is measured from (qa/stated.py): the credit for the words a quote states
        says nothing of the word it lacks."""
        return self.background + self.required_margin(min_margin, relief)


def signals(
    index: Index,
    query: Query,
    best_article: str | None,
    scores: np.ndarray | None = None,
    best: Evidence | None = None,
) -> Signals:
    """The query's similarity to ordinary news, how its best chunk stands out, (German
    questions) how many of its words the article of the best evidence has and (English ones)
    how many of its asked words the best quote states.

    scores: the search vector's cosine with every chunk, if already known (default: its
    PEAK_RANK best from the index, which keeps them from the question's retrieval).
    best: the best quote, for an English question's stated share (of a question asking for a
    figure, date, name or place, only when the quote holds one).
    """
    coverage = None
    if best_article is not None and query.german:
        coverage = lexical_overlap(query.words, index.articles[best_article].text)
    share = None
    quote = "" if best is None else index.articles[best.article_id].text[best.start : best.end]
    # Of a figure, date, name or place, the quote must hold one: "Ende des Konflikts … Ukraine"
    # states the words of "When will the war in Ukraine end?" but no date.
    if (
        quote
        and not query.german
        and len(query.asked) >= 2
        and (query.kind is None or best.key_start is not None)  # qa/evidence.py found one
    ):
        # A word the dictionary does not know ("ctenohore") counts as not stated.
        known = {part for t in query.asked for part in t.english.split()}
        unknown = {w for w in query.words if w not in FRAMING and w not in known}
        share = stated.share(query, quote) * len(query.asked) / (len(query.asked) + len(unknown))
    vector = query.search.vector
    scores = index.top_scores(vector, PEAK_RANK) if scores is None else scores
    return Signals(background_score(index.background, vector), *peak(scores), coverage, share)


def peak(scores: np.ndarray) -> tuple[float, float]:
    """The best chunk score, and how far it is above the PEAK_RANK-th best."""
    if len(scores) == 0:
        return 0.0, 0.0
    k = min(PEAK_RANK, len(scores))
    nearest = np.sort(np.partition(scores, -k)[-k:])
    return float(nearest[-1]), float(nearest[-1] - nearest[0])
