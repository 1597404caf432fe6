"""Immutable segments: the vectors, chunk and article records and BM25 of one batch of articles.

    s-<UTC timestamp>/
      vectors.npy      (chunks, dimension) float32, unit length; read memory-mapped
      chunks.jsonl     one record per vector: article_id, start, end, text
      articles.jsonl   cleaned article text and metadata
      bm25-v1/         BM25 over the chunks (lexical.SAVED, bm25s's own format)
      segment.json     rows and dimension; written last: a segment with it is complete

A segment is written once (into a staging folder, renamed into place) and never changed; an
article deleted or changed later is listed in the version's manifest (memory.SegmentRef), not
removed from the segment. A merge writes a new segment and stops listing the old ones.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from assistant.errors import IndexCorruptError, IndexWriteError
from assistant.indexing.files import read_jsonl, write_array, write_jsonl, write_text
from assistant.indexing.lexical import LexicalIndex
from assistant.ingest.articles import Article, from_record
from assistant.ingest.chunking import Chunk

PREFIX = "s-"
FILES = ("segment.json", "vectors.npy", "chunks.jsonl", "articles.jsonl")


@dataclass(frozen=True)
class Segment:
    """What one segment holds, read back."""

    name: str
    articles: list[Article]
    chunks: list[Chunk]
    vectors: np.ndarray  # (len(chunks), dimension) float32, memory-mapped


def write(
    folder: Path, articles: list[Article], chunks: list[Chunk], vectors: np.ndarray,
    lexical: LexicalIndex | None = None,
) -> str:  # fmt: skip
    """Write a new segment into folder (staging folder, then one rename); returns its name.
    lexical: the chunks' BM25 if the caller has it, else built here."""
    name = f"{PREFIX}{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    try:
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    except OSError as err:
        raise IndexWriteError.from_os(folder, err) from err
    try:
        write_array(staging / "vectors.npy", np.asarray(vectors, dtype=np.float32))
        # vars(), not asdict(): the records are flat, and asdict's deep copies were half the
        # time of saving an update.
        write_jsonl(staging / "chunks.jsonl", (vars(c) for c in chunks))
        write_jsonl(staging / "articles.jsonl", (vars(a) for a in articles))
        (lexical or LexicalIndex([c.text for c in chunks])).save(staging)
        meta = {"chunks": len(chunks), "dimension": int(vectors.shape[1])}
        write_text(staging / "segment.json", json.dumps(meta))  # last: the segment is whole
        os.replace(staging, folder / name)
    except (OSError, RuntimeError) as err:
        raise IndexWriteError.from_os(folder, err) from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return name


def read(folder: Path, name: str, dimension: int, hint: str) -> Segment:
    """Read segment name of the index in folder; IndexCorruptError (ending in hint) if it is
    missing, incomplete or does not match."""
    path = folder / name
    missing = [f for f in FILES if not (path / f).is_file()]
    if missing:
        raise IndexCorruptError(f"Index segment {str(path)!r} lacks {', '.join(missing)}. {hint}")
    try:
        meta = json.loads((path / "segment.json").read_text(encoding="utf-8"))
        vectors = np.load(path / "vectors.npy", mmap_mode="r")
        chunks = [Chunk(**record) for record in read_jsonl(path / "chunks.jsonl")]
        articles = [from_record(record) for record in read_jsonl(path / "articles.jsonl")]
    except (ValueError, TypeError, KeyError, OSError, EOFError) as err:
        raise IndexCorruptError(
            f"Index segment {str(path)!r} cannot be read ({err}). {hint}"
        ) from err
    shape = (meta.get("chunks"), meta.get("dimension"))
    if vectors.ndim != 2 or vectors.shape != (len(chunks), dimension) or shape != vectors.shape:
        raise IndexCorruptError(
            f"Index segment {str(path)!r} has vectors of shape {vectors.shape}, "
            f"{len(chunks)} chunk records and {dimension} dimensions in the manifest. {hint}"
        )
    return Segment(name, articles, chunks, vectors)


def read_articles(folder: Path, name: str, hint: str) -> list[Article]:
    """The article records of one segment (no vectors, no chunks)."""
    try:
        return [from_record(record) for record in read_jsonl(folder / name / "articles.jsonl")]
    except (ValueError, TypeError, KeyError, OSError) as err:
        raise IndexCorruptError(
            f"Index segment {str(folder / name)!r} cannot be read ({err}). {hint}"
        ) from err


def remove_unused(folder: Path, used: set[str]) -> None:
    """Delete the segments no kept version lists (merged away, or written by a killed
    update before it switched); only the lock holder calls this."""
    for path in folder.glob(PREFIX + "*"):
        if path.is_dir() and path.name not in used:
            shutil.rmtree(path, ignore_errors=True)
