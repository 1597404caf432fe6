"""Follow-ups ("And how many howitzers?", "Und wie weit reichen die?") get the earlier turn."""

from __future__ import annotations

import re

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
