"""Questions about an article itself: when it was published, who wrote it.

Their answer is the article's own date line or byline, quoted verbatim like any evidence.
"""

from __future__ import annotations

import re

from assistant.indexing.store import Index
from assistant.ingest.metadata import author_span, date_span
from assistant.qa.evidence import MAX_QUOTE_CHARS, Evidence

_ARTICLE = r"(?:article|report|story|piece|artikel|bericht|beitrag|meldung|text)"
_PUBLISHED = re.compile(
    r"\b(?:published|released|veröffentlicht|erschienen|publiziert)\b"
    rf"|\bwhat date (?:is|was) the {_ARTICLE}\b"
    rf"|\b(?:date|datum) (?:of|des|der) (?:the )?{_ARTICLE}",
    re.IGNORECASE,
)
_AUTHOR = re.compile(
    r"\b(?:who wrote|who is the author|written by|author|wer hat\b.*\bgeschrieben|wer schrieb"
    r"|autor(?:in)?|verfasst)\b",
    re.IGNORECASE,
)


def topic(question: str) -> str | None:
    """'published' or 'author' when the question asks about the article, else None."""
    if _AUTHOR.search(question):
        return "author"
    if _PUBLISHED.search(question):
        return "published"
    return None


def evidence(index: Index, article_id: str, kind: str, score: float) -> Evidence | None:
    """The line of the article that states its date or its author, with that as the key."""
    article = index.articles[article_id]
    if kind == "author":
        key = author_span(article.text, article.author)
    else:
        key = date_span(article.text) if article.date else None
    if key is None:
        return None
    start = article.text.rfind("\n", 0, key[0]) + 1
    end = article.text.find("\n", key[1])
    end = len(article.text) if end < 0 else end
    start, end = max(start, key[0] - MAX_QUOTE_CHARS // 2), min(end, key[1] + MAX_QUOTE_CHARS // 2)
    return Evidence(article_id, start, end, score, key[0], key[1])
