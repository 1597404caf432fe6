"""The article library: what is indexed (title, date, file, passages), searchable, and the
removal of an article's file, kept aside so that nothing is lost."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.indexing.store import Index
from assistant.ingest.articles import FEED_SUFFIXES
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
    path = Path(article.path)
    inside = any(folder.resolve() in path.resolve().parents for folder in folders)
    if not inside or not path.is_file():
        return f"The file of {article_id} ({path}) is not in the articles folders; not removed."
    if path.suffix.lower() in FEED_SUFFIXES:
        return (
            f"{article_id} is a record of the feed {path.name}; remove it from that file "
            "(removing the feed would remove all its articles)."
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
