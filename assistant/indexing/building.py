"""What an update embeds and writes: the whole index (build) or one segment of what is new."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from assistant.indexing import store
from assistant.indexing.background import background_vectors
from assistant.indexing.batches import Progress, embed_chunks
from assistant.indexing.changes import Changes
from assistant.indexing.embedding import dimension, engine_name, same_vectors
from assistant.indexing.resume import Checkpoint
from assistant.ingest.articles import Article, Collection
from assistant.ingest.chunking import CHUNKING_VERSION, Chunk, chunk_article

if TYPE_CHECKING:
    from pathlib import Path

    from sentence_transformers import SentenceTransformer


def append(
    collection: Collection, diff: Changes, model: SentenceTransformer, model_name: str,
    chunk_size: int, chunk_overlap: int, previous: store.Index, index_dir: Path,
    progress: Progress, ray: str | None = None, checkpoint: Checkpoint | None = None,
) -> tuple[store.Index, int, int]:  # fmt: skip
    """(the index in force, chunks embedded now, chunks resumed) after writing one segment of
    the added and changed articles and deleting the changed and deleted ones from theirs.
    Chunks of changed and deleted articles (a renamed file) give their vectors to the same
    text; so do those a killed update kept in checkpoint."""
    fresh_ids = {*diff.added, *diff.changed}
    fresh = [a for a in collection.articles if a.id in fresh_ids]
    chunks = [c for a in fresh for c in chunk_article(a, chunk_size, chunk_overlap)]
    gone = {*diff.changed, *diff.deleted}  # a renamed file is one deleted, one added
    known = {}
    for article_id in gone & set(previous.articles):  # rows found per article, not scanned
        rows = previous.chunks.of(article_id)
        for row, vector in zip(rows.tolist(), previous.vectors[rows], strict=True):
            known[previous.chunks[row].sha256] = vector
    matrix, embedded, resumed = _vectors(chunks, known, model, model_name, progress, ray,
                                         checkpoint)  # fmt: skip
    dim = dimension(model)
    if checkpoint is not None:
        checkpoint.flush()  # a kill while saving keeps every vector
    progress("saving", 0, 0)
    manifest = store.new_manifest(
        model_name, dim, chunk_size, chunk_overlap, collection.articles, 0, collection.feeds,
        engine_name(model),
    )  # fmt: skip  # chunks: counted by store.append
    index = store.append(previous, index_dir, manifest, fresh, chunks, matrix, gone)
    return index, embedded, resumed


def build(
    articles: list[Article],
    model: SentenceTransformer,
    model_name: str,
    chunk_size: int,
    chunk_overlap: int,
    previous: store.Index | None = None,
    progress: Progress | None = None,
    feeds: dict[str, dict] | None = None,
    ray: str | None = None,
    checkpoint: Checkpoint | None = None,
) -> tuple[store.Index, int, int]:
    """(new Index, chunks embedded now, chunks resumed); vectors of known chunks are reused,
    and those a killed update kept in checkpoint, which keeps the new ones as they come."""
    chunks = _chunks(articles, chunk_size, chunk_overlap, previous)
    same = previous is not None and same_vectors_as(previous, model_name, model)
    known = _known_vectors(previous) if same else {}
    vectors, embedded, resumed = _vectors(chunks, known, model, model_name, progress, ray,
                                          checkpoint)  # fmt: skip
    dim = dimension(model)
    manifest = store.new_manifest(
        model_name, dim, chunk_size, chunk_overlap, articles, len(chunks), feeds,
        engine_name(model),
    )  # fmt: skip
    if same:
        background = previous.background
    else:
        background = background_vectors(model, model_name)
    index = store.Index(manifest, {a.id: a for a in articles}, chunks, vectors, background)
    if checkpoint is not None:
        checkpoint.flush()  # a kill while saving keeps every vector
    return index, embedded, resumed


def _chunks(
    articles: list[Article], chunk_size: int, chunk_overlap: int, previous: store.Index | None
) -> list[Chunk]:
    """Chunks of all articles in order; an unchanged article keeps its chunks from before."""
    before: dict[str, list[Chunk]] = {}
    if previous is not None and same_chunking(previous.manifest, chunk_size, chunk_overlap):
        for chunk in previous.chunks:
            before.setdefault(chunk.article_id, []).append(chunk)
    result = []
    for article in articles:
        same = article.id in before and previous.articles[article.id].text == article.text
        result += before[article.id] if same else chunk_article(article, chunk_size, chunk_overlap)
    return result


def same_vectors_as(previous: store.Index, model_name: str, model) -> bool:
    """Whether the previous index's vectors come from this model (and a compatible engine)."""
    built = previous.manifest
    return built.model == model_name and same_vectors(built.engine, engine_name(model))


def _known_vectors(previous: store.Index) -> dict[str, np.ndarray]:
    """Vectors of the previous index by chunk hash."""
    return dict(zip((c.sha256 for c in previous.chunks), np.asarray(previous.vectors), strict=True))


def same_chunking(manifest: store.Manifest, chunk_size: int, chunk_overlap: int) -> bool:
    built_with = (manifest.chunk_size, manifest.chunk_overlap, manifest.chunking_version)
    return built_with == (chunk_size, chunk_overlap, CHUNKING_VERSION)


def _vectors(
    chunks: list,
    known: dict[str, np.ndarray],
    model: SentenceTransformer,
    model_name: str,
    progress: Progress | None,
    ray: str | None,
    checkpoint: Checkpoint | None,
) -> tuple[np.ndarray, int, int]:
    """(one vector per chunk, chunks embedded now, chunks resumed): known vectors reused, those
    a killed update kept in checkpoint too, one embedding per distinct new text (kept in
    checkpoint as it comes)."""
    kept = checkpoint.load() if checkpoint is not None else {}
    resumed = len({c.sha256 for c in chunks if c.sha256 in kept and c.sha256 not in known})
    known = {**kept, **known}
    todo = list({c.sha256: c.text for c in chunks if c.sha256 not in known}.items())
    keep = None
    if checkpoint is not None:
        keep = lambda rows, vectors: checkpoint.add([todo[r][0] for r in rows], vectors)  # noqa: E731
    fresh = embed_chunks(model, [text for _, text in todo], progress, model_name, ray, keep)
    known.update(zip([sha for sha, _ in todo], fresh, strict=True))
    matrix = np.array([known[c.sha256] for c in chunks], dtype=np.float32)
    return matrix.reshape(-1, dimension(model)), len(todo), resumed
