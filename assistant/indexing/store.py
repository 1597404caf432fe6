"""The index on disk: versions that list immutable segments, switched with one atomic rename.

    v-<UTC timestamp>/   manifest.json (how it was built, its segments, what each one has had
                         deleted since) and background.npy (hard-linked while unchanged)
    s-<UTC timestamp>/   one segment (segments.py)
    CURRENT              the name of the active version

An update writes one segment for what is new or changed and a new version that lists it and
the deletions: what it writes grows with the new text, not with the index.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from dataclasses import asdict, fields, replace
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from assistant.errors import (
    IndexMismatchError,
    IndexWriteError,
)
from assistant.indexing import search, segments
from assistant.indexing.embedding import dimension, engine_name, same_vectors
from assistant.indexing.files import remove_old_versions, write_array, write_text
from assistant.indexing.lexical import LexicalIndex
from assistant.indexing.memory import FORMAT_VERSION, Index, Manifest, SegmentRef, new_manifest
from assistant.indexing.reading import (
    CURRENT,
    current_version,
    load,
    load_records,
    read_manifest,
    rebuild_hint,
)
from assistant.ingest.articles import Article

__all__ = [  # what the rest of the package uses as store.*
    "CURRENT", "FORMAT_VERSION", "Index", "Manifest", "SegmentRef", "current_version", "load",
    "load_records", "new_manifest", "read_manifest", "rebuild_hint",
]  # fmt: skip

logger = logging.getLogger(__name__)


def save(index: Index, folder: Path) -> Path:
    """Write the whole index as one segment and a version listing only it, then switch
    CURRENT to it (a build, a rebuild, a conversion). The index then reads from what it saved."""
    _make(folder)
    lexical = index.lexical if not index.parts else None  # a loaded one is rebuilt whole
    name = segments.write(folder, list(index.articles.values()), list(index.chunks),
                          np.asarray(index.vectors), lexical if isinstance(lexical, LexicalIndex)
                          else None)  # fmt: skip
    manifest = replace(index.manifest, segments=(_ref(name, len(index.chunks)),))
    version = _switch(folder, manifest, index.background, None, {name})
    segment = segments.read(folder, name, manifest.dimension, rebuild_hint(folder))
    index.settle(manifest, [(segment, frozenset())], index.background, version.name, folder)
    if isinstance(lexical, LexicalIndex):
        index._lexical = lexical  # what was just saved: no question waits for its load
    tidy(folder, version.name)
    logger.info("saved index version %s (%d chunks, one segment)", version.name, manifest.chunks)
    return version


def append(
    previous: Index, folder: Path, manifest: Manifest, articles: list[Article],
    chunks: list, vectors: np.ndarray, deleted: set[str],
) -> Index:  # fmt: skip
    """previous, less the deleted article ids, plus articles (new and changed ones) with their
    chunks and vectors: one new segment and a new version; the index in force, in memory
    (previous's segments shared, not copied). manifest: the new one's settings, feeds and
    articles (its segments are set here)."""
    _make(folder)
    gone = {a for a in deleted if a in previous.articles}
    where = {a: previous.articles.segment_of(a) for a in gone}
    refs = [
        replace(ref, deleted=tuple(sorted({*ref.deleted, *(
            a for a in gone if where[a] == ref.name)})))
        for ref in previous.manifest.segments
    ]  # fmt: skip
    name = segments.write(folder, articles, chunks, vectors) if articles else None
    if name is not None:
        refs.append(_ref(name, len(chunks)))
    dropped = sum(len(previous.chunks.of(a)) for a in gone)
    manifest = replace(manifest, chunks=len(previous.chunks) - dropped + len(chunks),
                       segments=tuple(refs))  # fmt: skip
    link = folder / previous.version if previous.version else None
    version = _switch(folder, manifest, previous.background, link, {name} - {None})
    kept = previous.segments
    if name is not None:
        kept.append(segments.read(folder, name, manifest.dimension, rebuild_hint(folder)))
    pieces = [(segment, frozenset(ref.deleted)) for segment, ref in zip(kept, refs, strict=True)]
    index = Index.over(manifest, pieces, previous.background, version.name, folder)
    tidy(folder, version.name)
    logger.info("saved index version %s (%d chunks, %d segments)", version.name,
                manifest.chunks, len(refs))  # fmt: skip
    return index


def fold(index: Index, folder: Path, first: int) -> Index:
    """The segments from position first on written again as one, without their deleted rows
    (a merge); the index in force, in memory (the same rows in the same order)."""
    refs = index.manifest.segments
    articles, chunks, vectors = index.tail(first)
    name = segments.write(folder, articles, chunks, vectors)
    merged = _ref(name, len(chunks))
    manifest = replace(index.manifest, segments=(*refs[:first], merged))
    version = _switch(folder, manifest, index.background, folder / index.version, {name})
    segment = segments.read(folder, name, manifest.dimension, rebuild_hint(folder))
    pieces = [(s, frozenset(ref.deleted)) for s, ref in zip(
        index.segments[:first], refs[:first], strict=True)]  # fmt: skip
    folded = Index.over(manifest, [*pieces, (segment, frozenset())], index.background,
                        version.name, folder)  # fmt: skip
    tidy(folder, version.name)
    logger.info("merged %d segments into %s (%d chunks)", len(refs) - first, name, merged.chunks)
    return folded


def _ref(name: str, rows: int) -> SegmentRef:
    """A new segment's entry in the manifest, with the search kind segments.write chose."""
    return SegmentRef(name, rows, search=search.kind_for(rows))


def _make(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise IndexWriteError.from_os(folder, err) from err


def _switch(folder: Path, manifest: Manifest, background: np.ndarray, link: Path | None,
            written: set[str]) -> Path:  # fmt: skip
    """Write a version folder for manifest and make it CURRENT with one rename. On failure
    the segments just written are removed, and the index in force is unchanged."""
    version = folder / f"v-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    staging = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
        try:  # the abstention baseline only changes with the model: shared, not copied
            os.link(link / "background.npy", staging / "background.npy")
        except (OSError, TypeError):
            write_array(staging / "background.npy", background.astype(np.float16))
        # Not asdict(): it deep-copies every article hash (1.2 s at 85,000 articles), and the
        # segments' articles.jsonl hold them anyway: a version does not list them again.
        record = {f.name: getattr(manifest, f.name) for f in fields(manifest)}
        del record["articles"]
        record["segments"] = [asdict(ref) for ref in manifest.segments]
        # The manifest goes last: a version folder with a manifest is complete.
        write_text(staging / "manifest.json", json.dumps(record, indent=1))
        os.replace(staging, version)
        write_text(folder / (CURRENT + ".tmp"), version.name)
        os.replace(folder / (CURRENT + ".tmp"), folder / CURRENT)
    except OSError as err:
        if _active_name(folder) != version.name:
            shutil.rmtree(version, ignore_errors=True)  # never switched to: not a version
            for name in written:
                shutil.rmtree(folder / name, ignore_errors=True)
        raise IndexWriteError.from_os(folder, err) from err
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return version


def tidy(folder: Path, keep: str) -> None:
    """Remove versions older than the one before keep, and the segments no kept version
    lists (only the lock holder calls this)."""
    remove_old_versions(folder, keep)
    used: set[str] = set()
    for version in folder.glob("v-*"):
        try:
            record = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
            used |= {ref["name"] for ref in record.get("segments", [])}
        except (OSError, ValueError, TypeError, KeyError):
            if version.name == keep or (version / "manifest.json").exists():
                return  # a version we cannot read might need any segment: keep them all
    segments.remove_unused(folder, used)


def _active_name(folder: Path) -> str | None:
    try:
        return (folder / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def check_compatible(manifest: Manifest, model_name: str, model, folder: Path) -> None:
    """Raise IndexMismatchError when the index was built with another model, or by an engine
    whose vectors differ (embedding.same_vectors)."""
    size = dimension(model)
    if manifest.model != model_name or manifest.dimension != size:
        raise IndexMismatchError(
            f"The index in {str(folder)!r} was built with model {manifest.model!r} "
            f"({manifest.dimension} dimensions), but model {model_name!r} ({size} dimensions) "
            f"is in use. Either use --model {manifest.model!r}, or rebuild with the new model: "
            f"assistant index build --index {folder} --model {model_name!r}"
        )
    engine = engine_name(model)
    if not same_vectors(manifest.engine, engine):
        raise IndexMismatchError(
            f"The index in {str(folder)!r} was built by the {manifest.engine} engine, whose "
            f"vectors differ from the {engine} engine's. Either use --engine "
            f"{manifest.engine}, or rebuild: assistant index build --index {folder} "
            f"--engine {engine}"
        )
