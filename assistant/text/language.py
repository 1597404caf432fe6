"""Tell German questions from English ones by their function words (and umlauts on a tie)."""

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
_UMLAUT = re.compile(r"[äöüß]", re.IGNORECASE)

GERMAN, ENGLISH = "German", "English"


def language(text: str) -> str | None:
    """GERMAN or ENGLISH by the function words it has more of; on a tie, German if it has an
    umlaut or ß ("Größe Kursk?"), else None (the words do not tell)."""
    german = len(GERMAN_WORDS.findall(text))
    english = len(ENGLISH_WORDS.findall(text))
    if german != english:
        return GERMAN if german > english else ENGLISH
    return GERMAN if _UMLAUT.search(text) else None


def is_german(text: str) -> bool:
    """The text reads as German ("Wie viele … sind …"); English or undecided otherwise."""
    return language(text) == GERMAN
