"""Immutable segments: the vectors, chunk and article records and BM25 of one batch of articles.

    s-<UTC timestamp>/
      vectors.npy      (chunks, dimension) float32, unit length; read memory-mapped
      rows.npy         (chunks, 3) int32: each chunk's article (its line in articles.jsonl),
                       start and end in that article's text (the chunk's text is that span)
      chunks.jsonl     one record per vector: article_id, start, end, text (for tools; the
                       index reads rows.npy)
      articles.jsonl   cleaned article text and metadata, one article a line
      headers.jsonl    the same records without their text, each with "at": [byte offset,
                       length] of its line in articles.jsonl: a text is read when a question
                       needs it, not held in memory
      bm25-v1/         BM25 over the chunks (lexical.SAVED, bm25s's own format)
      search.faiss     the vectors' search structure when the segment is large (search.py);
                       none below SEARCH_FLAT_MAX_ROWS rows: those are searched exactly
      segment.json     rows, dimension and search kind; written last: the segment is whole

A segment is written once (into a staging folder, renamed into place) and never changed; an
article deleted or changed later is listed in the version's manifest (memory.SegmentRef), not
removed from the segment. A merge writes a new segment and stops listing the old ones.
Segments written before rows.npy and headers.jsonl existed are read from their JSON Lines, and
searched exactly.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import weakref
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

from assistant.errors import IndexCorruptError, IndexWriteError
from assistant.indexing import search
from assistant.indexing.files import read_jsonl, write_array, write_jsonl, write_text
from assistant.indexing.lexical import LexicalIndex
from assistant.ingest.articles import Article, from_record
from assistant.ingest.chunking import Chunk

PREFIX = "s-"
STRUCTURE = "search.faiss"
FILES = ("segment.json", "vectors.npy", "chunks.jsonl", "articles.jsonl")


class Shelf:
    """Where a segment's article texts are: its articles.jsonl, read a line at a time (through
    a descriptor kept open, so a segment merged away and deleted still answers the questions
    in flight), or the texts themselves for an index not yet saved."""

    def __init__(self, path: Path | None = None, spans: np.ndarray | None = None,
                 texts: list[str] | None = None) -> None:  # fmt: skip
        self.texts, self.spans, self.descriptor = texts, spans, None
        if path is not None:
            self.descriptor = os.open(path, os.O_RDONLY)
            weakref.finalize(self, os.close, self.descriptor)

    def text(self, number: int) -> str:
        """The text of the segment's article number (its line)."""
        if self.texts is not None:
            return self.texts[number]
        offset, length = (int(v) for v in self.spans[number])
        return json.loads(os.pread(self.descriptor, length, offset))["text"]


@dataclass(frozen=True)
class Segment:
    """One segment as an index holds it: article records without their text (read on demand
    from the shelf), each chunk's article and span, and the vectors (memory-mapped)."""

    name: str
    headers: tuple[Article, ...]  # the segment's articles, text ""
    rows: np.ndarray  # (chunks, 3) int32: article number, start, end
    vectors: np.ndarray  # (chunks, dimension) float32
    shelf: Shelf
    ids: tuple[str, ...]  # article id by number: the headers', then (unsaved) chunks' others
    chunks: tuple[Chunk, ...] | None = None  # an unsaved index's chunks, as they were given
    structure: faiss.Index | None = None  # search.py's; None: searched exactly
    reader: Reader | None = None  # reads single rows of a large segment's vectors

    def article(self, number: int) -> Article:
        return replace(self.headers[number], text=self.shelf.text(number))

    def take(self, rows: np.ndarray) -> np.ndarray:
        """The vectors of some rows (of a large segment: read, not paged in)."""
        return self.vectors[rows] if self.reader is None else self.reader.take(rows)


class Reader:
    """Single rows of a vectors.npy, read with pread. Through the memory map, reading 2,000
    scattered rows of a 1.5 GB file (one question's candidates at 1M rows) made 1.4 GB of it
    resident (the kernel maps whole folios around each row; MADV_RANDOM did not stop it):
    read, they cost 15 ms here against 5 and leave nothing mapped."""

    def __init__(self, path: Path, offset: int, dimension: int) -> None:
        self.descriptor, self.offset = os.open(path, os.O_RDONLY), offset
        self.size, self.dimension = dimension * 4, dimension
        weakref.finalize(self, os.close, self.descriptor)

    def take(self, rows: np.ndarray) -> np.ndarray:
        size, read = self.size, os.pread
        data = b"".join(read(self.descriptor, size, self.offset + int(r) * size) for r in rows)
        return np.frombuffer(data, dtype=np.float32).reshape(len(rows), self.dimension)


def in_memory(name: str, articles: list[Article], chunks: list[Chunk],
              vectors: np.ndarray) -> Segment:  # fmt: skip
    """A segment of an index built in memory, not yet saved (a test's chunks may belong to
    no article it was given: they keep their own text)."""
    headers = tuple(replace(a, text="") for a in articles)
    ids = [a.id for a in articles]
    given = set(ids)
    ids += [i for i in dict.fromkeys(c.article_id for c in chunks) if i not in given]
    shelf = Shelf(texts=[a.text for a in articles])
    rows = _rows(ids, chunks)
    return Segment(name, headers, rows, vectors, shelf, tuple(ids), tuple(chunks))


def _rows(ids: list[str], chunks: list[Chunk]) -> np.ndarray:
    number = {article_id: n for n, article_id in enumerate(ids)}
    rows = np.array([(number[c.article_id], c.start, c.end) for c in chunks], dtype=np.int32)
    return rows.reshape(-1, 3)


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
        write_array(staging / "rows.npy", _rows([a.id for a in articles], chunks))
        # vars(), not asdict(): the records are flat, and asdict's deep copies were half the
        # time of saving an update.
        write_jsonl(staging / "chunks.jsonl", (vars(c) for c in chunks))
        sizes = write_jsonl(staging / "articles.jsonl", (vars(a) for a in articles))
        offsets = np.cumsum([0, *sizes[:-1]]) if sizes else []
        write_jsonl(staging / "headers.jsonl", (
            {**{k: v for k, v in vars(a).items() if k != "text"}, "at": [int(o), n]}
            for a, o, n in zip(articles, offsets, sizes, strict=True)))  # fmt: skip
        (lexical or LexicalIndex([c.text for c in chunks])).save(staging)
        kind = search.kind_for(len(chunks))
        structure = search.build(np.asarray(vectors, dtype=np.float32), kind)
        if structure is not None:
            search.write(structure, staging / STRUCTURE)
        meta = {"chunks": len(chunks), "dimension": int(vectors.shape[1]), "search": kind}
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
        headers, spans = _headers(path)
        if (path / "rows.npy").is_file():
            rows = np.load(path / "rows.npy")
        else:  # written before rows.npy
            chunks = [Chunk(**record) for record in read_jsonl(path / "chunks.jsonl")]
            rows = _rows([a.id for a in headers], chunks)
        shelf = Shelf(path / "articles.jsonl", spans)
        structure = reader = None
        if meta.get("search", "flat") != "flat":
            structure = search.read(path / STRUCTURE)
            reader = Reader(path / "vectors.npy", vectors.offset, dimension)
    except (ValueError, TypeError, KeyError, OSError, EOFError, RuntimeError) as err:
        raise IndexCorruptError(
            f"Index segment {str(path)!r} cannot be read ({err}). {hint}"
        ) from err
    shape = (meta.get("chunks"), meta.get("dimension"))
    wide = rows.ndim == 2 and rows.shape[1] == 3
    numbers = rows[:, 0] if wide and len(rows) else np.zeros(0, np.int32)
    outside = len(numbers) and not 0 <= numbers.min() <= numbers.max() < len(headers)
    if vectors.ndim != 2 or vectors.shape != (len(rows), dimension) or shape != vectors.shape \
            or not wide or outside:  # fmt: skip
        raise IndexCorruptError(
            f"Index segment {str(path)!r} has vectors of shape {vectors.shape}, "
            f"{len(rows)} chunk records for {len(headers)} articles and {dimension} "
            f"dimensions in the manifest. {hint}"
        )
    if structure is not None and structure.ntotal != len(rows):
        raise IndexCorruptError(f"Index segment {str(path)!r} has a search structure of "
                                f"{structure.ntotal} rows for {len(rows)}. {hint}")  # fmt: skip
    ids = tuple(a.id for a in headers)
    return Segment(name, headers, rows, vectors, shelf, ids, structure=structure, reader=reader)


def _headers(path: Path) -> tuple[tuple[Article, ...], np.ndarray]:
    """A segment's article records without their text, and where each line of articles.jsonl
    is (byte offset, length): from headers.jsonl, or (written before it) articles.jsonl."""
    if (path / "headers.jsonl").is_file():
        records = read_jsonl(path / "headers.jsonl")
        spans = [r.pop("at") for r in records]
        headers = [from_record({**r, "text": ""}) for r in records]
    else:
        headers, spans, offset = [], [], 0
        with open(path / "articles.jsonl", "rb") as handle:
            for line in handle:
                if line.strip():
                    headers.append(replace(from_record(json.loads(line)), text=""))
                    spans.append((offset, len(line)))
                offset += len(line)
    return tuple(headers), np.array(spans, dtype=np.int64).reshape(-1, 2)


def read_headers(folder: Path, name: str, hint: str) -> list[Article]:
    """The article records of one segment without their text (no vectors, no chunks)."""
    try:
        return list(_headers(folder / name)[0])
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
