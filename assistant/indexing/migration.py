"""Indexes of format 3 (one whole version: vectors.faiss, chunks.jsonl, articles.jsonl) become
format 4 (segments) on the next update, their vectors kept: a big archive is not re-embedded."""

from __future__ import annotations

import json
import logging
from dataclasses import fields
from pathlib import Path

import faiss
import numpy as np

from assistant.errors import IndexCorruptError
from assistant.indexing import store
from assistant.indexing.files import read_jsonl
from assistant.indexing.memory import FORMAT_VERSION, Index, Manifest
from assistant.indexing.reading import CURRENT, rebuild_hint
from assistant.ingest.articles import from_record
from assistant.ingest.chunking import Chunk

logger = logging.getLogger(__name__)

SINGLE_VERSION = 3  # the last format without segments


def convert(folder: Path) -> bool:
    """Rewrite a format-3 index in folder as one segment, vectors and records as they are;
    True if it did. The caller holds the index lock."""
    pointer = folder / CURRENT
    if not pointer.is_file():
        return False
    version = folder / pointer.read_text(encoding="utf-8").strip()
    try:
        data = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False  # not readable: the update's own load says why
    if data.get("format_version") != SINGLE_VERSION:
        return False
    try:
        flat = faiss.read_index(str(version / "vectors.faiss"))
        vectors = flat.reconstruct_n(0, flat.ntotal).astype(np.float32)
        chunks = [Chunk(**record) for record in read_jsonl(version / "chunks.jsonl")]
        articles = [from_record(record) for record in read_jsonl(version / "articles.jsonl")]
        background = np.load(version / "background.npy").astype(np.float32)
    except (RuntimeError, ValueError, TypeError, KeyError, OSError, EOFError) as err:
        raise IndexCorruptError(
            f"Index {str(version)!r} (format 3) cannot be read to convert it ({err}). "
            f"{rebuild_hint(folder)}"
        ) from err
    if len(vectors) != len(chunks):
        raise IndexCorruptError(f"Index {str(version)!r} has {len(vectors)} vectors and "
                                f"{len(chunks)} chunks. {rebuild_hint(folder)}")  # fmt: skip
    names = {f.name for f in fields(Manifest)}
    settings = {k: v for k, v in data.items() if k in names and k != "segments"}
    manifest = Manifest(**{**settings, "format_version": FORMAT_VERSION})
    store.save(Index(manifest, {a.id: a for a in articles}, chunks, vectors, background), folder)
    logger.info("converted the index in %s to segments: %d chunks, vectors kept", folder,
                len(chunks))  # fmt: skip
    return True
