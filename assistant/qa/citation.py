"""A cited quote: the verbatim span of one article that an answer rests on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Citation:
    n: int
    article_id: str
    title: str
    date: str | None  # ISO "YYYY-MM-DD", or None when the article states no full date
    quote: str  # == article.text[start:end]
    start: int
    end: int
    score: float
    key: str | None = None  # the part of the quote that answers (a number, a date)
    # False: an LLM's quote that is not verbatim in the passage it cites; then quote is the
    # LLM's text and start/end are that passage's bounds. Extractive quotes are verbatim.
    verified: bool = True
    month_day: str | None = None  # "--MM-DD": the article gives day and month, not the year
