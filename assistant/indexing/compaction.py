"""Merging segments: automatically once there are more than MAX_SEGMENTS, and on request
(`assistant index compact`), which folds all of them and drops the rows of deleted articles."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assistant.indexing import store
from assistant.indexing.files import remove_staging
from assistant.indexing.locking import index_lock
from assistant.tuning import MAX_SEGMENTS


@dataclass(frozen=True)
class CompactReport:
    segments_before: int
    segments: int
    chunks: int  # live chunks, the same before and after
    dropped: int  # rows of deleted articles no longer stored
    version: str | None  # None when there was nothing to fold

    def summary(self) -> str:
        """One human line."""
        if self.version is None:
            return f"Already compact: one segment, {self.chunks} chunks; nothing to do."
        return (
            f"Compacted {self.segments_before} segments into {self.segments} ({self.chunks} "
            f"chunks; {self.dropped} rows of deleted or changed articles dropped)."
        )


def merge_start(index: store.Index) -> int:
    """Where a merge starts: after the first (oldest) segment, unless that one is smaller than
    the others together; then at it. So the archive's bulk is rewritten only once the new
    segments have grown as large as it (each row is rewritten O(log n) times, as in Lucene)."""
    live = [p.rows if p.live is None else len(p.live) for p in index.parts]
    return 0 if live[0] < sum(live[1:]) else 1


def merge_if_due(index: store.Index, folder: Path) -> store.Index:
    """index, with its segments merged if there are more than MAX_SEGMENTS (the lock is held)."""
    if len(index.manifest.segments) <= MAX_SEGMENTS or not index.parts:
        return index
    return store.fold(index, folder, merge_start(index))


def compact(folder: Path, wait_seconds: float = 600.0) -> CompactReport:
    """Fold every segment of the index in folder into one, without deleted rows."""
    store.current_version(folder)  # no index: say so before the lock makes the folder
    with index_lock(folder, wait_seconds):
        remove_staging(folder)
        index = store.load(folder)
        refs = index.manifest.segments
        dropped = sum(ref.chunks for ref in refs) - len(index.chunks)
        if len(refs) <= 1 and dropped == 0:
            store.tidy(folder, index.version)
            return CompactReport(len(refs), len(refs), len(index.chunks), 0, None)
        folded = store.fold(index, folder, 0)
    return CompactReport(len(refs), 1, len(folded.chunks), dropped, folded.version)
