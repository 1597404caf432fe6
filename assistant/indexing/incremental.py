"""An update as one new segment: chunk and embed only the new and changed articles."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from assistant.indexing import store
from assistant.indexing.batches import Progress, embed_chunks
from assistant.indexing.changes import Changes
from assistant.indexing.embedding import dimension, engine_name
from assistant.indexing.resume import Checkpoint
from assistant.ingest.articles import Collection
from assistant.ingest.chunking import chunk_article

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
    if gone:  # one pass over the chunks, only when an article changed or left
        for row, chunk in enumerate(previous.chunks):
            if chunk.article_id in gone:
                known[chunk.sha256] = previous.vectors[row]
    kept = checkpoint.load() if checkpoint is not None else {}
    resumed = len({c.sha256 for c in chunks if c.sha256 in kept and c.sha256 not in known})
    known = {**kept, **known}
    todo = list({c.sha256: c.text for c in chunks if c.sha256 not in known}.items())
    keep = None
    if checkpoint is not None:
        keep = lambda rows, vectors: checkpoint.add([todo[r][0] for r in rows], vectors)  # noqa: E731
    vectors = embed_chunks(model, [text for _, text in todo], progress, model_name, ray, keep)
    known.update(zip([sha for sha, _ in todo], vectors, strict=True))
    dim = dimension(model)
    matrix = np.array([known[c.sha256] for c in chunks], dtype=np.float32).reshape(-1, dim)
    if checkpoint is not None:
        checkpoint.flush()  # a kill while saving keeps every vector
    progress("saving", 0, 0)
    manifest = store.new_manifest(
        model_name, dim, chunk_size, chunk_overlap, collection.articles, 0, collection.feeds,
        engine_name(model),
    )  # fmt: skip  # chunks: counted by store.append
    index = store.append(previous, index_dir, manifest, fresh, chunks, matrix, gone)
    return index, len(todo), resumed
