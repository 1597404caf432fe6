"""Read saved web pages (.html via trafilatura) and JSON Lines feeds into (id, text, metadata)."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass

from assistant.errors import ArticleError
from assistant.ingest.decoding import scrub

logger = logging.getLogger(__name__)

_ID = re.compile(r"^[\w.-]{1,120}$")


@dataclass(frozen=True)
class Document:
    """One article's text before cleaning, with what the container stated about it."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None
    author: str | None = None


def read_html(name: str, html: str) -> Document:
    """Main text, title, date and author of a saved news page."""
    import trafilatura

    text = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not text or not text.strip():
        raise ArticleError("no article text found in the HTML page")
    meta = trafilatura.extract_metadata(html)
    return Document(
        id=name,
        text=text,
        title=getattr(meta, "title", None) or None,
        date=getattr(meta, "date", None) or None,
        author=getattr(meta, "author", None) or None,
    )


def read_feed(text: str) -> tuple[list[Document], list[str]]:
    """Articles of a JSON Lines feed (id, title, date, url, text), and one problem per bad line."""
    documents, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            article_id, body = str(record["id"]), record["text"]
        except (ValueError, KeyError, TypeError) as err:
            problems.append(f"line {number}: not an article record ({err})")
            continue
        if not _ID.match(article_id) or not isinstance(body, str):
            problems.append(f"line {number}: id {article_id!r} is not a usable file-like name")
            continue
        fields = (_field(record, "title"), _field(record, "date"), _field(record, "author"))
        documents.append(Document(article_id, scrub(body), *fields))
    return documents, problems


def _field(record: dict, name: str) -> str | None:
    """A record's text field; a number, list or object there is not a title, date or author."""
    value = record.get(name)
    return scrub(value) if isinstance(value, str) and value.strip() else None
