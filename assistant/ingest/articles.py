"""Load article files from folders: decode, clean boilerplate, read title, date and author."""

from __future__ import annotations

import codecs
import hashlib
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from assistant import logs
from assistant.config import MAX_FEED_BYTES, MAX_FILE_BYTES
from assistant.errors import ArticleError
from assistant.ingest.cleaning import clean_text
from assistant.ingest.metadata import Metadata, read_metadata
from assistant.ingest.sources import Document, read_feed, read_html

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
FEED_SUFFIXES = (".jsonl",)
_WORD = re.compile(r"[^\W\d_]{2,}")  # two letters in a row, in any script


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    date: str | None  # ISO "YYYY-MM-DD" or None when the text gives no date
    date_note: str  # where the date comes from, and why it may be uncertain
    author: str | None
    text: str  # cleaned text; every quote is a span of it
    sha256: str  # of the file's bytes
    path: str
    # "--MM-DD" (ISO 8601 without a year) when the text gives a day and month but no year.
    # Nothing is inferred from other articles: an article's date depends on itself alone.
    month_day: str | None = None


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass
class Collection:
    """The articles of one or more folders, and the files that were skipped (with reasons)."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def load_folders(
    folders: list[Path],
    indexed: frozenset[str] = frozenset(),
    known: Mapping[str, Article] | None = None,
) -> Collection:
    """Read every article file of the folders; unreadable files and duplicates are skipped.

    Of two files with the same content, the one whose id is already indexed stays.
    known: articles read before (the index's), by id; a file whose bytes are unchanged is
    not cleaned and parsed again (an update of a large folder reads, but parses only what
    is new).
    """
    by_path = {a.path: a for a in (known or {}).values()}
    collection = Collection()
    candidates: list[Article] = []
    for folder in folders:
        if not folder.is_dir():
            raise ArticleError(
                f"Articles folder {str(folder)!r} does not exist or is not a folder. "
                "Pass an existing folder with --articles DIR."
            )
        for path in sorted(folder.iterdir()):
            if not path.is_file() or path.suffix.lower() not in ARTICLE_SUFFIXES + FEED_SUFFIXES:
                continue
            try:
                candidates += read_path(path, by_path)
            except (ArticleError, OSError) as err:
                _skip(collection, str(path), str(err))
    seen_ids: dict[str, str] = {}
    seen_hashes: dict[str, str] = {}
    for article in sorted(candidates, key=lambda a: a.id not in indexed):  # stable: indexed first
        if article.id in seen_ids:
            _skip(
                collection,
                article.path,
                f"article id {article.id!r} also comes from {seen_ids[article.id]}",
            )
        elif article.sha256 in seen_hashes:
            _skip(collection, article.path, f"same content as {seen_hashes[article.sha256]}")
        else:
            seen_ids[article.id] = article.path
            seen_hashes[article.sha256] = article.path
            collection.articles.append(article)
    collection.articles.sort(key=lambda a: a.path)
    return collection


def _skip(collection: Collection, path: str, reason: str) -> None:
    collection.skipped.append(Skipped(path, reason))
    logs.event(logger, "skip", logging.WARNING, path=path, reason=reason)


def read_path(path: Path, known: Mapping[str, Article] | None = None) -> list[Article]:
    """The article of a .txt/.md/.html file, or the articles of a .jsonl feed.

    known: articles read before, by path; one whose file bytes are unchanged is returned as is.
    """
    suffix = path.suffix.lower()
    limit = MAX_FEED_BYTES if suffix in FEED_SUFFIXES else MAX_FILE_BYTES
    size = path.stat().st_size
    if size > limit:
        raise ArticleError(f"{size:,} bytes is over the {limit:,}-byte limit for this kind of file")
    raw = path.read_bytes()
    before = (known or {}).get(str(path))
    if before is not None and before.sha256 == hashlib.sha256(raw).hexdigest():
        return [before]
    if suffix in FEED_SUFFIXES:
        documents, problems = read_feed(decode(raw, path.name))
        for problem in problems:
            logs.event(logger, "skip", logging.WARNING, path=str(path), reason=problem)
        return [_article(d, f"{path}#{d.id}", d.text.encode("utf-8")) for d in documents]
    if suffix in (".html", ".htm"):
        return [_article(read_html(path.stem, decode(raw, path.name)), str(path), raw)]
    return [parse_article(path, raw)]


def parse_article(path: Path, raw: bytes) -> Article:
    """Turn one text file's bytes into an Article, or raise ArticleError saying why not."""
    if len(raw) > MAX_FILE_BYTES:
        raise ArticleError(
            f"{len(raw):,} bytes is over the {MAX_FILE_BYTES:,}-byte limit for one article"
        )
    return _article(Document(path.stem, decode(raw, path.name)), str(path), raw)


def _article(document: Document, path: str, raw: bytes) -> Article:
    """Clean a document's text and fill in what its container did not state."""
    text = clean_text(document.text)
    if not text.strip():
        raise ArticleError("no text left after cleaning (empty or only boilerplate)")
    if not _WORD.search(text):
        raise ArticleError("no words in it (only digits, punctuation or symbols)")
    meta: Metadata = read_metadata(text, fallback_title=document.id)
    stated_date = _iso_prefix(document.date)
    return Article(
        id=document.id,
        title=document.title or meta.title,
        date=stated_date or meta.date,
        date_note="stated by the page or feed" if stated_date else meta.date_note,
        author=document.author or meta.author,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        path=path,
        month_day=None
        if stated_date or not meta.month_day
        else "--{:02d}-{:02d}".format(*meta.month_day),
    )


def _iso_prefix(value: str | None) -> str | None:
    """YYYY-MM-DD from the start of an ISO date or timestamp, else None."""
    if value and len(value) >= 10 and value[4] == "-" and value[7] == "-" and value[:4].isdigit():
        return value[:10]
    return None


def decode(raw: bytes, name: str) -> str:
    """UTF-8 first; otherwise the encoding charset-normalizer detects; binary is refused."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")  # Windows editors save "Unicode" text like this
        except UnicodeDecodeError as err:
            raise ArticleError(f"{name} starts like UTF-16 but is not valid UTF-16") from err
    if b"\x00" in raw[:8192]:
        raise ArticleError(f"{name} looks binary (it contains NUL bytes), not a text article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or best.chaos > 0.3:
        raise ArticleError(
            f"{name} is not valid UTF-8 and its encoding could not be detected; "
            "save it as UTF-8 and add it again"
        )
    logger.info("decoded %s as %s (not UTF-8)", name, best.encoding)
    return str(best)


def from_record(record: dict) -> Article:
    """An Article from its index record; records of indexes built before dates stopped being
    inferred from other articles get the date their own text states (nothing is re-read)."""
    record = dict(record)
    if record.pop("date_certain", True) is False and record.get("date"):
        record["month_day"] = "--" + record["date"][5:]
        record["date"] = None
        record["date_note"] = record["date_note"].split("; year ")[0]
    return Article(**record)
