"""Questions about an article itself: when it was published, who wrote it.

Their answer is the article's own date line or byline, quoted verbatim like any evidence
(qa/question.py tells such questions by their words: Query.topic).
"""

from __future__ import annotations

from assistant.indexing.store import Index
from assistant.ingest.metadata import author_span, date_span
from assistant.qa.evidence import Evidence
from assistant.tuning import MAX_QUOTE_CHARS


def evidence(index: Index, article_id: str, topic: str, score: float) -> Evidence | None:
    """The line of the article that states its date ("published") or its author ("author"),
    with that as the key."""
    article = index.articles[article_id]
    if topic == "author":
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
