"""Follow-ups ("And how many howitzers?", "Und wie weit reichen die?") get the earlier turn."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np

from assistant.evidence import Evidence
from assistant.store import Index

_OPENERS = re.compile(
    r"^(and|und|also|so|what about|how about|und was ist mit|was ist mit|und wie|und wo|und wer|"
    r"und wann|und warum|und welche)\b",
    re.IGNORECASE,
)
_BACK_REFERENCES = re.compile(
    r"\b(they|them|those|these|it|its|their|he|she|his|her|there|that one|"
    r"sie|ihnen|ihre|ihr|er|es|ihn|dort|davon|dafür|deren|dessen|diese|dieser|diesen)\b",
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
    return " ".join(chain)


def discount_earlier(
    index: Index, ranked: list[Evidence], query: np.ndarray, context_query: np.ndarray
) -> list[Evidence]:
    """A follow-up's evidence, re-ranked: less the similarity that only the earlier turns give.

    query embeds the conversation with the follow-up, context_query the earlier turns alone.
    Evidence closer to the earlier turns alone answers them, not the follow-up: after "How
    many soldiers are near Kursk?", "And how many of them were killed?" finds the soldiers'
    sentence again. Its score drops by that difference, so it leads only if it still beats the
    abstention threshold and the passages that the follow-up's own words pull up.
    """
    result = []
    for e in ranked:
        rows = index.rows_within(e.article_id, e.start, e.end)
        if rows:
            vectors = index.vectors[rows]
            drift = float((vectors @ context_query).max() - (vectors @ query).max())
            e = replace(e, score=e.score - max(0.0, drift))
        result.append(e)
    return sorted(result, key=lambda e: -e.score)
