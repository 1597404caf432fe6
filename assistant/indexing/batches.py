"""Embedding many chunks: in batches in this process or on a Ray cluster, with progress."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import numpy as np

from assistant.indexing.embedding import dimension, embed_passages, engine_name
from assistant.tuning import EMBED_BATCH

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# (stage, done, total): ("reading", articles read so far, 0), then ("embedding", chunks
# embedded so far, chunks to embed), then ("saving", 0, 0).
Progress = Callable[[str, int, int], None]


def embed_chunks(
    model: SentenceTransformer, texts: list[str], progress: Progress | None,
    model_name: str = "", ray: str | None = None, keep=None,
) -> np.ndarray:  # fmt: skip
    """Embed in batches, here or on the Ray cluster at address ray, reporting progress after
    each batch and handing it to keep(rows, vectors) (the resume checkpoint)."""
    vectors = np.zeros((len(texts), dimension(model)), np.float32)
    if progress is not None and texts:
        progress("embedding", 0, len(texts))  # known before the first batch takes its time
    if ray and texts:
        from assistant.indexing.ray_embedding import embed_on_ray

        batches = embed_on_ray(texts, ray, model_name, engine_name(model))
    else:
        batches = _embed_here(model, texts)
    done = 0
    for rows, batch in batches:
        vectors[rows] = batch
        if keep is not None:
            keep(rows, batch)
        done += len(rows)
        if progress is not None:
            progress("embedding", done, len(texts))
    return vectors


def _embed_here(model: SentenceTransformer, texts: list[str]) -> Iterator[tuple]:
    """(rows, vectors) of texts in batches of EMBED_BATCH, in this process."""
    for start in range(0, len(texts), EMBED_BATCH):
        rows = np.arange(start, min(start + EMBED_BATCH, len(texts)))
        yield rows, embed_passages(model, texts[start : start + EMBED_BATCH])
