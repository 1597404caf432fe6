"""Embedding here against embedding on a local Ray cluster with the same cores: the overhead.

    .venv/bin/python benchmarks/ray_embed.py                  # 400 gnad chunks, 3 runs
    .venv/bin/python benchmarks/ray_embed.py --chunks 1000 --runs 5

Both sides run the default engine on the same chunks with this machine's cores: "here" is
`embed_chunks` in this process; "ray" is the same call with a Ray cluster of the same CPUs
(`ray.init(num_cpus=...)`, started once), so each run pays what an `index update --ray` pays:
Ray Data's planning, starting the actor pool and loading one model per actor, moving the
texts and vectors. Runs alternate; medians; the ratio is ray's rate over here's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from engines import chunks  # noqa: E402  (the same gnad chunks as the engines benchmark)

from assistant.config import DEFAULT_MODEL  # noqa: E402
from assistant.indexing.batches import embed_chunks  # noqa: E402
from assistant.indexing.embedding import engine_name, load_model  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=400)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpus", type=int, default=len(os.sched_getaffinity(0)))
    args = parser.parse_args()
    import ray

    texts = chunks(args.chunks)
    model = load_model(DEFAULT_MODEL)
    began = time.perf_counter()
    ray.init(num_cpus=args.cpus, include_dashboard=False, log_to_driver=False)
    started = time.perf_counter() - began
    seconds: dict[str, list[float]] = {"here": [], "ray": []}
    vectors = {}
    embed_chunks(model, texts[:16], None)  # warm up
    for _ in range(args.runs):
        for side, address in (("here", None), ("ray", "auto")):
            began = time.perf_counter()
            vectors[side] = embed_chunks(model, texts, None, DEFAULT_MODEL, address)
            seconds[side].append(time.perf_counter() - began)
    ray.shutdown()
    here, on_ray = (statistics.median(seconds[side]) for side in ("here", "ray"))
    print(
        f"{len(texts)} gnad chunks, engine {engine_name(model)}, {args.cpus} CPUs; median of "
        f"{args.runs} runs; ray.init took {started:.1f} s (once, not counted)"
    )
    print(f"here   {here:7.2f} s  {len(texts) / here:6.1f} chunks/s")
    print(f"ray    {on_ray:7.2f} s  {len(texts) / on_ray:6.1f} chunks/s  "
          f"rate vs here: {here / on_ray:.2f}x  (runs: "
          f"{', '.join(f'{s:.1f}' for s in seconds['ray'])} s)")  # fmt: skip
    difference = np.abs(vectors["ray"] - vectors["here"]).max()
    print(f"largest difference between the two sides' vectors: {difference:.2e}")


if __name__ == "__main__":
    main()
