"""Follow-ups ("And how many howitzers?", "Und wie weit reichen die?") get the earlier turn."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from assistant.indexing.store import Index
from assistant.qa.evidence import Evidence

MAX_CHAIN = 3  # earlier turns a follow-up is searched with: its full question, the latest two
_OPENERS = re.compile(
    r"^(and|und|also|so|what about|how about|und was ist mit|was ist mit|und wie|und wo|und wer|"
    r"und wann|und warum|und welche)\b",
    re.IGNORECASE,
)
_BACK_REFERENCES = re.compile(
    r"\b(they|them|those|these|it|its|their|he|him|she|his|her|there|that one|"
    r"sie|ihnen|ihre|ihr|er|es|ihn|ihm|dort|davon|dafür|darüber|dazu|deren|dessen|denen|diese|"
    r"dieser|diesen)\b",
    re.IGNORECASE,
)
_TRAILING_PRONOUN = re.compile(r"\b(die|der|das|den|dem)\s*[?.!]*$", re.IGNORECASE)


def is_follow_up(question: str) -> bool:
    """True if the question leans on an earlier turn (opener, pronoun, or few words)."""
    words = question.split()
    if _OPENERS.match(question.strip()) or _TRAILING_PRONOUN.search(question):
        return True
    return len(words) <= 6 and bool(_BACK_REFERENCES.search(question))


def context_for(question: str, earlier: list[str]) -> str | None:
    """The earlier questions that a follow-up refers to (the chain back to a full question)."""
    if not earlier or not is_follow_up(question):
        return None
    chain = [earlier[-1]]
    for previous in reversed(earlier[:-1]):
        if not is_follow_up(chain[0]):
            break
        chain.insert(0, previous)
    # A long run of follow-ups keeps its full question (the topic) and the latest turns, so
    # that the new follow-up is not drowned in the whole conversation.
    if len(chain) > MAX_CHAIN:
        chain = chain[:1] + chain[1 - MAX_CHAIN :]
    return " ".join(chain)


def drift(index: Index, evidence: Evidence, query: np.ndarray, context_query: np.ndarray) -> float:
    """How much closer the evidence is to the earlier turns alone than to the conversation with
    the follow-up: above 0, it answers the earlier turns rather than the follow-up.

    query embeds the conversation with the follow-up, context_query the earlier turns alone.
    """
    rows = index.rows_within(evidence.article_id, evidence.start, evidence.end)
    if not rows:
        return 0.0
    vectors = index.vectors[rows]
    return float((vectors @ context_query).max() - (vectors @ query).max())


def discount_earlier(
    index: Index, ranked: list[Evidence], query: np.ndarray, context_query: np.ndarray
) -> list[Evidence]:
    """A follow-up's evidence, re-ranked: less the similarity that only the earlier turns give.

    After "How many soldiers are near Kursk?", "And how many of them were killed?" finds the
    soldiers' sentence again: it answers the earlier turn, not the follow-up. Its score drops
    by its drift, so it leads only if it still beats the abstention threshold and the passages
    that the follow-up's own words pull up.
    """
    rescored = [
        replace(e, score=e.score - max(0.0, drift(index, e, query, context_query))) for e in ranked
    ]
    return sorted(rescored, key=lambda e: -e.score)


def pulled_by_follow_up(
    index: Index, chosen: list[Evidence], query: np.ndarray, context_query: np.ndarray
) -> list[Evidence]:
    """The quotes that the follow-up pulls toward, or else the best one: not those that answer
    only the earlier turn ("bis zu 12.000 Mann" beside "knapp 50 schwere Haubitzen")."""
    pulled = [e for e in chosen if drift(index, e, query, context_query) <= 0]
    return pulled or chosen[:1]
