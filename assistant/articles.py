"""Load article files from folders: decode, clean boilerplate, read title, date and author."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from assistant.cleaning import clean_text
from assistant.errors import ArticleError
from assistant.metadata import Metadata, infer_missing_years, read_metadata

logger = logging.getLogger(__name__)

ARTICLE_SUFFIXES = (".txt", ".md")
MAX_FILE_BYTES = 5_000_000


@dataclass(frozen=True)
class Article:
    id: str
    title: str
    date: str | None  # ISO "YYYY-MM-DD" or None when the text gives no date
    date_note: str  # where the date comes from, and why it may be uncertain
    date_certain: bool  # False when part of the date is inferred, not stated
    author: str | None
    text: str  # cleaned text; every quote is a span of it
    sha256: str  # of the file's bytes
    path: str


@dataclass(frozen=True)
class Skipped:
    path: str
    reason: str


@dataclass
class Collection:
    """The articles of one or more folders, and the files that were skipped (with reasons)."""

    articles: list[Article] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def load_folders(folders: list[Path]) -> Collection:
    """Read every .txt/.md file of the folders; unreadable files are skipped and logged."""
    collection = Collection()
    seen_ids: dict[str, str] = {}
    seen_hashes: dict[str, str] = {}
    for folder in folders:
        if not folder.is_dir():
            raise ArticleError(
                f"Articles folder {str(folder)!r} does not exist or is not a folder. "
                "Pass an existing folder with --articles DIR."
            )
        for path in sorted(folder.iterdir()):
            if path.suffix.lower() not in ARTICLE_SUFFIXES or not path.is_file():
                continue
            try:
                raw = path.read_bytes()
                article = parse_article(path, raw)
            except ArticleError as err:
                collection.skipped.append(Skipped(str(path), str(err)))
                logger.warning("skipped %s: %s", path, err)
                continue
            if article.id in seen_ids:
                reason = f"article id {article.id!r} already comes from {seen_ids[article.id]}"
                collection.skipped.append(Skipped(str(path), reason))
                logger.warning("skipped %s: %s", path, reason)
                continue
            if article.sha256 in seen_hashes:
                reason = f"same content as {seen_hashes[article.sha256]}"
                collection.skipped.append(Skipped(str(path), reason))
                logger.warning("skipped %s: %s", path, reason)
                continue
            seen_ids[article.id] = str(path)
            seen_hashes[article.sha256] = str(path)
            collection.articles.append(article)
    collection.articles = infer_missing_years(collection.articles)
    return collection


def parse_article(path: Path, raw: bytes) -> Article:
    """Turn one file's bytes into an Article, or raise ArticleError saying why not."""
    if len(raw) > MAX_FILE_BYTES:
        raise ArticleError(
            f"{len(raw):,} bytes is over the {MAX_FILE_BYTES:,}-byte limit for one article"
        )
    text = clean_text(decode(raw, path.name))
    if not text.strip():
        raise ArticleError("no text left after cleaning (empty or only boilerplate)")
    meta: Metadata = read_metadata(text, fallback_title=path.stem)
    return Article(
        id=path.stem,
        title=meta.title,
        date=meta.date,
        date_note=meta.date_note,
        date_certain=meta.date is not None,
        author=meta.author,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        path=str(path),
    )


def decode(raw: bytes, name: str) -> str:
    """UTF-8 first; otherwise the encoding charset-normalizer detects; binary is refused."""
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
