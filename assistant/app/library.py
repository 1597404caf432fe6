"""The article library: what is indexed (title, date, file, passages), searchable, and the
removal of an article's file, kept aside so that nothing is lost."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from assistant.errors import ArticleError
from assistant.indexing.store import Index
from assistant.ingest.articles import ARTICLE_SUFFIXES
from assistant.ingest.decoding import printable
from assistant.ingest.folders import article_files
from assistant.text.dates import readable

SHOWN = 200  # rows listed at once; the search narrows a bigger archive
COLUMNS = ["Title", "Date", "Article", "Passages"]
REMOVED = "removed-articles"  # beside the index: where removed files are kept


def rows(index: Index, search: str = "") -> tuple[list[list], str]:
    """The library's rows matching search (in the title or the article id), newest first, and
    a line saying how many there are."""
    counts = index.chunks.per_article()
    words = search.casefold().split()
    found = [
        a
        for a in index.articles.headers()  # no texts read
        if all(w in f"{a.title} {a.id}".casefold() for w in words)
    ]
    found.sort(key=lambda a: (a.date or "", a.month_day or "", a.id), reverse=True)
    table = [[a.title, readable(a.date, a.month_day), a.id, counts[a.id]] for a in found]
    total = len(index.articles)
    said = f"{len(found):,} of {total:,} articles" if words else f"{total:,} articles"
    if len(found) > SHOWN:
        said += f"; the first {SHOWN} are listed, search to narrow them"
    return table[:SHOWN], said


def remove(index: Index, article_id: str, folders: list[Path], index_dir: Path) -> str:
    """Move the article's file out of the articles folders (into INDEX/removed-articles/, to
    restore by moving it back); the update that follows drops it from the index. Returns
    what was done, or why not."""
    article = index.articles.get(article_id)
    if article is None:
        return f"No article {article_id!r} in the index (it may have been removed already)."
    if "#" in article.path:  # a feed's article: feed.jsonl#id
        return (
            f"{article_id} is a record of the feed {Path(article.path.split('#')[0]).name}; "
            "remove it from that file (removing the feed would remove all its articles)."
        )
    path = _file_of(article.id, Path(article.path), article.sha256, folders)
    if path is None:
        return (
            f"The file of {article_id} ({article.path}) is not in the articles folders; "
            "not removed."
        )
    kept = index_dir / REMOVED
    kept.mkdir(parents=True, exist_ok=True)
    target = kept / path.name
    n = 1
    while target.exists():
        n += 1
        target = kept / f"{path.stem}-{n}{path.suffix}"
    shutil.move(str(path), target)
    return f"Removed {path.name} (“{article.title}”); kept in {target}, move it back to restore."


def _file_of(article_id: str, recorded: Path, sha256: str, folders: list[Path]) -> Path | None:
    """The article's file in the folders: where the index recorded it or, when the folder was
    moved since (an unchanged article keeps the path it was indexed from), the file named by
    its id with the same bytes."""
    if recorded.is_file() and any(f.resolve() in recorded.resolve().parents for f in folders):
        return recorded
    for folder in folders:
        try:
            files = article_files(folder, ARTICLE_SUFFIXES)[0]
        except ArticleError:  # a folder that is gone holds nothing to remove
            continue
        for found in files:
            if printable(found.stem) == article_id and _sha256(found) == sha256:
                return found
    return None


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
