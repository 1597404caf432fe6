"""What an update would add, change and delete; and the guard against deleting a whole folder."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from assistant.errors import ArticleError
from assistant.ingest.articles import Article, load_folders
from assistant.ingest.decoding import printable


@dataclass(frozen=True)
class Changes:
    """Article ids that are new, changed or deleted on disk compared with an index."""

    added: list[str]
    changed: list[str]
    deleted: list[str]

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.deleted)


def changes(indexed: Mapping[str, str], on_disk: Mapping[str, str]) -> Changes:
    """The difference of two {article id: sha256} maps, each list sorted."""
    return Changes(
        added=sorted(set(on_disk) - set(indexed)),
        changed=sorted(i for i in on_disk if i in indexed and on_disk[i] != indexed[i]),
        deleted=sorted(set(indexed) - set(on_disk)),
    )


def pending_changes(folders: list[Path], manifest, articles: Mapping[str, Article]) -> Changes:
    """What an update of an index (its store.Manifest and articles) from the folders would add,
    change and delete; unchanged files and feeds are not parsed."""
    on_disk = load_folders(
        folders, frozenset(manifest.articles), known=articles, feeds=manifest.feeds
    )
    return changes(manifest.articles, {a.id: a.sha256 for a in on_disk.articles})


def check_not_emptied(
    folders: list[Path], indexed: Mapping[str, Article], found: list[Article]
) -> None:
    """Refuse an update that would delete every indexed article of a folder: a folder that is
    empty now was more likely unmounted, moved or emptied by mistake than cleared on purpose.
    ArticleError names the folder and the command that deletes them on purpose (--prune)."""
    for folder in folders:
        gone = len([a for a in indexed.values() if _in_folder(a, folder)])
        if gone and not any(_in_folder(a, folder) for a in found):
            raise ArticleError(
                f"The articles folder {printable(str(folder))!r} has no articles now, but the "
                f"index holds {gone} from it; nothing was deleted. If you removed them on "
                "purpose, run: assistant index update --prune"
            )


def _in_folder(article: Article, folder: Path) -> bool:
    file = article.path.split("#", 1)[0]  # a feed's articles: feed.jsonl#id
    return os.path.dirname(os.path.abspath(file)) == os.path.abspath(folder)
