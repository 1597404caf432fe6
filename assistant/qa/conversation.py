"""Follow-ups ("And how many howitzers?"): evidence that answers only the earlier turn loses.

A follow-up is recognised and searched as the conversation in qa/question.py; here its
evidence is weighed against the earlier turns alone.
"""

from __future__ import annotations

from dataclasses import replace

from assistant.indexing.store import Index
from assistant.qa.evidence import Evidence
from assistant.qa.question import Query


def drift(index: Index, evidence: Evidence, query: Query) -> float:
    """How much closer the evidence is to the earlier turns alone than to the conversation with
    the follow-up: above 0, it answers the earlier turns rather than the follow-up."""
    rows = index.rows_within(evidence.article_id, evidence.start, evidence.end)
    if not rows or query.context_vector is None:
        return 0.0
    vectors = index.vectors[rows]
    return float((vectors @ query.context_vector).max() - (vectors @ query.search.vector).max())


def discount_earlier(index: Index, ranked: list[Evidence], query: Query) -> list[Evidence]:
    """A follow-up's evidence, re-ranked: less the similarity that only the earlier turns give.

    After "How many soldiers are near Kursk?", "And how many of them were killed?" finds the
    soldiers' sentence again: it answers the earlier turn, not the follow-up. Its score drops
    by its drift, so it leads only if it still beats the abstention threshold and the passages
    that the follow-up's own words pull up.
    """
    rescored = [replace(e, score=e.score - max(0.0, drift(index, e, query))) for e in ranked]
    return sorted(rescored, key=lambda e: -e.score)


def pulled_by_follow_up(index: Index, chosen: list[Evidence], query: Query) -> list[Evidence]:
    """The quotes that the follow-up pulls toward, or else the best one: not those that answer
    only the earlier turn ("bis zu 12.000 Mann" beside "knapp 50 schwere Haubitzen")."""
    pulled = [e for e in chosen if drift(index, e, query) <= 0]
    return pulled or chosen[:1]
