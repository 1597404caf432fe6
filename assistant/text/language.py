"""Tell German questions from English ones by their function words."""

from __future__ import annotations

import re

GERMAN_WORDS = re.compile(
    r"\b(der|die|das|und|ist|sind|wie|viele|was|wer|wo|wann|warum|welche[rsnm]?|nicht|"
    r"mit|von|bei|nach|hat|haben|wurde|werden|ein|eine|dem|den|des|für|über|gibt|es)\b",
    re.IGNORECASE,
)
ENGLISH_WORDS = re.compile(
    r"\b(the|and|is|are|how|many|much|what|who|where|when|why|which|not|with|of|by|to|"
    r"has|have|was|were|a|an|does|did|for|about|there)\b",
    re.IGNORECASE,
)


def is_german(text: str) -> bool:
    """More German than English function words ("Wie viele … sind …")."""
    return len(GERMAN_WORDS.findall(text)) > len(ENGLISH_WORDS.findall(text))
