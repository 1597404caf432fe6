"""Load article files from folders: decode, clean boilerplate, read title, date and author."""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from assistant import logs
from assistant.config import MAX_FEED_BYTES, MAX_FILE_BYTES
from assistant.errors import ArticleError
from assistant.ingest.cleaning import clean_text
from assistant.ingest.decoding import decode, printable, scrub
from assistant.ingest.feeds import by_feed, unchanged
from assistant.ingest.feeds import state as feed_state
from assistant.ingest.folders import article_files
from assistant.ingest.metadata import Metadata, read_metadata
from assistant.ingest.sources import Document, read_feed, read_html
from assistant.tuning import READ_REPORT_ARTICLES

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md", ".html", ".htm")
FEED_SUFFIXES = (".jsonl",)
OUTSIDE = "a symbolic link to a file outside the articles folder; not read"
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
    feeds: dict[str, dict] = field(default_factory=dict)  # feed path -> feeds.state()


def load_folders(
    folders: list[Path],
    indexed: frozenset[str] = frozenset(),
    known: Mapping[str, Article] | None = None,
    feeds: Mapping[str, dict] | None = None,
    read: Callable[[int], None] | None = None,
) -> Collection:
    """Read every article file of the folders; unreadable files and duplicates are skipped.

    Of two files with the same content, the one whose id is already indexed stays.
    known: articles read before (the index's), by id; a file whose bytes are unchanged is
    not cleaned and parsed again (an update of a large folder reads, but parses only what
    is new). feeds: what the index recorded of each feed file; an unchanged one is not parsed.
    read: told the number of articles read so far, after each file and along a big feed.
    """
    known = known or {}
    by_path = {a.path: a for a in known.values()}
    reuse = Reuse(by_path, feeds or {}, by_feed(by_path.values()), known)
    collection = Collection()
    candidates: list[Article] = []
    count = 0

    def tick(more: int) -> None:
        nonlocal count
        count += more
        if read is not None:
            read(count)

    for folder in folders:
        files, outside = article_files(folder, ARTICLE_SUFFIXES + FEED_SUFFIXES)
        for path in outside:
            _skip(collection, str(path), OUTSIDE)
        for path in files:
            try:
                candidates += read_path(path, reuse, collection.feeds, tick)
            except (ArticleError, OSError) as err:
                _skip(collection, str(path), str(err))

    def rank(article: Article) -> int:
        """Who keeps an id that two sources give: 0, the source the index has it from; then
        1, another source of an indexed id; 2, a file; 3, a feed's line (path feed.jsonl#id)."""
        before = known.get(article.id)
        if before is not None and before.path == article.path:
            return 0
        if article.id in indexed:
            return 1
        return 3 if "#" in article.path else 2

    seen_ids: dict[str, str] = {}
    seen_hashes: dict[str, str] = {}
    for article in sorted(candidates, key=rank):  # stable: an id stays with its source
        if article.id in seen_ids:
            _skip(
                collection,
                article.path,
                f"article id {article.id!r} is already taken by {printable(seen_ids[article.id])}"
                "; this one is not indexed (give it another id or file name)",
            )
        elif article.sha256 in seen_hashes:
            first = printable(seen_hashes[article.sha256])
            _skip(collection, article.path, f"same content as {first}")
        else:
            seen_ids[article.id] = article.path
            seen_hashes[article.sha256] = article.path
            collection.articles.append(article)
    collection.articles.sort(key=lambda a: a.path)
    return collection


def _skip(collection: Collection, path: str, reason: str) -> None:
    collection.skipped.append(Skipped(printable(path), reason))
    logs.event(logger, "skip", logging.WARNING, path=printable(path), reason=reason)


@dataclass(frozen=True)
class Reuse:
    """What was read before: articles by path, and the feeds' recorded states and articles."""

    by_path: Mapping[str, Article]
    feeds: Mapping[str, dict]
    feed_articles: Mapping[str, list[Article]]
    by_id: Mapping[str, Article] = field(default_factory=dict)  # a file moved keeps its id


def read_path(
    path: Path,
    reuse: Reuse | None = None,
    feeds: dict[str, dict] | None = None,
    tick: Callable[[int], None] | None = None,
) -> list[Article]:
    """The article of a .txt/.md/.html file, or the articles of a .jsonl feed.

    reuse: what was read before; a file whose bytes are unchanged is not parsed again.
    feeds: collects the state of each feed read (feed path -> feeds.state()).
    tick: told how many more articles were read (along a feed's records as they are parsed).
    """
    tick = tick or (lambda more: None)
    suffix = path.suffix.lower()
    limit = MAX_FEED_BYTES if suffix in FEED_SUFFIXES else MAX_FILE_BYTES
    size = path.stat().st_size
    if size > limit:
        raise ArticleError(f"{size:,} bytes is over the {limit:,}-byte limit for this kind of file")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    reuse = reuse or Reuse({}, {}, {})
    if suffix in FEED_SUFFIXES:
        result = unchanged(str(path), digest, reuse.feeds, reuse.feed_articles)
        if result is None:
            result = _feed_articles(path, raw, tick)
        else:
            tick(len(result))
        if feeds is not None:
            feeds[str(path)] = feed_state(digest, len(result))
        return result
    before = reuse.by_path.get(str(path)) or reuse.by_id.get(printable(path.stem))
    tick(1)
    if before is not None and before.sha256 == digest:  # unchanged, or the same file moved
        return [before if before.path == str(path) else replace(before, path=str(path))]
    if suffix in (".html", ".htm"):
        return [_article(read_html(printable(path.stem), decode(raw, path.name)), str(path), raw)]
    return [parse_article(path, raw)]


def _feed_articles(path: Path, raw: bytes, tick: Callable[[int], None]) -> list[Article]:
    """Every usable record of a feed; a bad line or record is skipped and logged, not the feed.
    tick is told every READ_REPORT_ARTICLES records (a 150 MB feed parses for a minute)."""
    documents, problems = read_feed(decode(raw, path.name))
    articles = []
    for number, document in enumerate(documents, start=1):
        if number % READ_REPORT_ARTICLES == 0:
            tick(READ_REPORT_ARTICLES)
        try:
            articles.append(
                _article(document, f"{path}#{document.id}", document.text.encode("utf-8"))
            )
        except ArticleError as err:
            problems.append(f"record {document.id!r}: {err}")
    tick(len(documents) % READ_REPORT_ARTICLES)
    for problem in problems:
        logs.event(logger, "skip", logging.WARNING, path=printable(str(path)), reason=problem)
    return articles


def parse_article(path: Path, raw: bytes) -> Article:
    """Turn one text file's bytes into an Article, or raise ArticleError saying why not."""
    if len(raw) > MAX_FILE_BYTES:
        raise ArticleError(
            f"{len(raw):,} bytes is over the {MAX_FILE_BYTES:,}-byte limit for one article"
        )
    return _article(Document(printable(path.stem), decode(raw, path.name)), str(path), raw)


def _article(document: Document, path: str, raw: bytes) -> Article:
    """Clean a document's text and fill in what its container did not state."""
    text = clean_text(scrub(document.text))
    if not text.strip():
        if len(document.text.split()) == 1 and len(document.text) > 200:
            raise ArticleError(
                f"no text left after cleaning: it is one {len(document.text):,}-character run "
                "without spaces (base64 or other encoded data), not article text"
            )
        raise ArticleError("no text left after cleaning (empty or only boilerplate)")
    if not _WORD.search(text):
        raise ArticleError("no words in it (only digits, punctuation or symbols)")
    meta: Metadata = read_metadata(text, fallback_title=document.id)
    stated_date = _iso_prefix(document.date)
    return Article(
        id=document.id,
        title=scrub(document.title or meta.title),
        date=stated_date or meta.date,
        date_note="stated by the page or feed" if stated_date else meta.date_note,
        author=scrub(document.author) if document.author else meta.author,
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


def from_record(record: dict) -> Article:
    """An Article from its index record; records of indexes built before dates stopped being
    inferred from other articles get the date their own text states (nothing is re-read)."""
    record = dict(record)
    if record.pop("date_certain", True) is False and record.get("date"):
        record["month_day"] = "--" + record["date"][5:]
        record["date"] = None
        record["date_note"] = record["date_note"].split("; year ")[0]
    return Article(**record)
