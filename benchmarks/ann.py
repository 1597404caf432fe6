"""Vector search structures at size: build time, memory, one-query latency, recall@10 vs exact.

    .venv/bin/python benchmarks/ann.py                          # 12k real, 100k and 1M
    .venv/bin/python benchmarks/ann.py --sizes 100000 --kinds flat hnsw

Every structure is searched through assistant/indexing/search.py (candidates, then exact
cosines from the memory-mapped float32 vectors), one query at a time, k=50 (TOP_K).

Data sets:
  real       the chunk vectors of seeds+gnad (12,172 chunks of 1,030 German news articles,
             onnx engine), from benchmarks/cache/seeds+gnad (made by benchmarks/quality.py).
  real-like  (--sizes) each row a real chunk vector (drawn at random) plus Gaussian noise
             shaped by the real vectors' own covariance, scaled so that its cosine to that real
             vector is the real data's median nearest-neighbour cosine; then renormalised.
  random     (--sizes) uniform random unit vectors, queries too (latency only: no structure).
Queries (real and real-like): real questions embedded as the app embeds them ("query: "
prefix, the bundled model, onnx): tests/data/close-questions.jsonl (62, close to gnad passages
they do not answer), tests/data/seeds-questions.jsonl (72), XQuAD-de dev (1,264, other topics),
cached in benchmarks/cache/ann-queries.npy. Recall@10: the share of the exact top 10 (numpy
over every row) among the structure's top 10, averaged over --recall-queries queries.
Bytes: the structure serialised (faiss.serialize_index), i.e. what it adds in RAM beside the
mmapped vectors; "flat" adds nothing. hnsw, sq8 and ivf run only up to --slow-max rows (100k): at
1M, HNSW's build takes tens of minutes on 2 cores, and sq8's scan or ivf's probes of half
the lists cost about a flat scan (see the results note).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import faiss
import numpy as np

from assistant.indexing import search as ann

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "benchmarks" / "cache"
QUESTIONS = [
    ROOT / "tests" / "data" / "close-questions.jsonl",
    ROOT / "tests" / "data" / "seeds-questions.jsonl",
    ROOT.parent / "shared" / "data" / "xquad-de-dev" / "questions.jsonl",
]
K = 50


def real_vectors() -> np.ndarray:
    found = sorted((CACHE / "seeds+gnad").glob("s-*/vectors.npy"))
    if not found:
        sys.exit("No benchmarks/cache/seeds+gnad: run .venv/bin/python benchmarks/quality.py first")
    return np.load(found[0], mmap_mode="r")


def real_queries() -> np.ndarray:
    """Every question of QUESTIONS embedded as the app embeds a question (cached)."""
    path = CACHE / "ann-queries.npy"
    if not path.exists():
        from assistant.indexing.embedding import embed_query, load_model

        model = load_model()
        texts = [
            json.loads(line)["question"]
            for p in QUESTIONS
            for line in p.read_text(encoding="utf-8").splitlines()
            if line.strip()
        ]
        np.save(path, np.stack([embed_query(model, t) for t in texts]).astype(np.float32))
    return np.load(path)


def real_like(real: np.ndarray, rows: int, rng: np.random.Generator) -> tuple[np.ndarray, str]:
    """rows vectors: real ones plus covariance-shaped noise (see the module docstring)."""
    real = np.asarray(real, dtype=np.float32)
    sims = real @ real.T
    np.fill_diagonal(sims, -1)
    target = float(np.median(sims.max(1)))
    del sims
    centred = real - real.mean(0)
    chol = np.linalg.cholesky(np.cov(centred.T) + 1e-6 * np.eye(real.shape[1]))
    scale = np.sqrt((1 / target**2 - 1) / np.trace(chol @ chol.T))
    out = np.empty((rows, real.shape[1]), dtype=np.float32)
    for start in range(0, rows, 100_000):
        n = min(100_000, rows - start)
        base = real[rng.integers(0, len(real), n)]
        noisy = base + scale * (rng.standard_normal((n, real.shape[1]), np.float32) @ chol.T)
        out[start : start + n] = noisy / np.linalg.norm(noisy, axis=1, keepdims=True)
        if start == 0:
            got = float(np.median(np.sum(out[:n] * base, axis=1)))
    return out, f"median NN cosine of the real vectors {target:.3f}; copy-to-source {got:.3f}"


def random_unit(rows: int, dim: int, rng: np.random.Generator) -> np.ndarray:
    out = np.empty((rows, dim), dtype=np.float32)
    for start in range(0, rows, 100_000):
        n = min(100_000, rows - start)
        block = rng.standard_normal((n, dim), np.float32)
        out[start : start + n] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def exact_top10(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    """The exact top 10 rows per query, by blocks of rows."""
    best_s = np.full((len(queries), 0), -np.inf, dtype=np.float32)
    best_r = np.zeros((len(queries), 0), dtype=np.int64)
    for start in range(0, len(vectors), 200_000):
        s = queries @ np.asarray(vectors[start : start + 200_000]).T
        top = np.argpartition(-s, 10, axis=1)[:, :10]
        best_s = np.hstack([best_s, np.take_along_axis(s, top, 1)])
        best_r = np.hstack([best_r, top + start])
        keep = np.argsort(-best_s, axis=1)[:, :10]
        best_s, best_r = np.take_along_axis(best_s, keep, 1), np.take_along_axis(best_r, keep, 1)
    return best_r


def measure(vectors, kind, queries, truth, latency_queries, settings) -> list[str]:
    """One structure: build once, then a line per search setting."""
    start = time.perf_counter()
    structure = ann.build(vectors, kind)
    built = time.perf_counter() - start
    size = 0 if structure is None else len(faiss.serialize_index(structure))
    lines = []
    for label, apply in settings:
        apply()
        recall = 1.0  # flat is exact_top10's own computation: not searched again 300 times
        if structure is not None:
            recall = statistics.mean(
                len(set(ann.search(vectors, structure, q, K)[1][:10]) & set(t)) / 10
                for q, t in zip(queries, truth, strict=True)
            )
        times = []
        for q in latency_queries:
            t0 = time.perf_counter()
            ann.search(vectors, structure, q, K)
            times.append((time.perf_counter() - t0) * 1000)
        lines.append(
            f"  {kind + ' ' + label:<28} build {built:7.1f} s  RAM {size / 2**20:7.1f} MiB  "
            f"p50 {statistics.median(times):7.2f} ms  recall@10 {recall:.4f}"
        )
        print(lines[-1], flush=True)
    return lines


def settings_of(kind: str, rows: int) -> list:
    """(label, apply) pairs: the search settings tried for one built structure."""

    def setter(name, value):
        return lambda: setattr(ann, name, value)

    if kind == "pq":
        return [(f"cand{c}", setter("SEARCH_PQ_CANDIDATES", c)) for c in (1000, 2000, 4000)]
    if kind == "hnsw":
        return [(f"ef{e}", setter("SEARCH_HNSW_EF_SEARCH", e)) for e in (128, 256, 512)]
    if kind == "ivf":
        lists = max(1, rows // ann.SEARCH_IVF_ROWS_PER_LIST)  # as build() makes them
        probes = sorted({max(1, lists // f) for f in (16, 4, 2)})
        return [(f"nprobe{p}/{lists}", setter("SEARCH_IVF_NPROBE", p)) for p in probes]
    return [("", lambda: None)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--kinds", nargs="*", default=list(ann.KINDS))
    parser.add_argument("--slow-max", type=int, default=100_000,
                        help="hnsw, sq8 and ivf only up to this many rows")  # fmt: skip
    parser.add_argument("--recall-queries", type=int, default=300)
    parser.add_argument("--latency-queries", type=int, default=30)
    parser.add_argument("--no-real", action="store_true", help="skip the 12k real set")
    parser.add_argument("--scratch", type=Path, default=None)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    real, questions = real_vectors(), real_queries()
    sample = questions[rng.permutation(len(questions))[: args.recall_queries]]
    print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load average "
          f"{os.getloadavg()[0]:.1f}; faiss {faiss.__version__}, {faiss.omp_get_max_threads()} "
          f"threads; k={K}, refine x{ann.SEARCH_REFINE}", flush=True)  # fmt: skip
    sets = [] if args.no_real else [("real", len(real))]
    sets += [(name, n) for n in args.sizes for name in ("real-like", "random")]
    with tempfile.TemporaryDirectory(dir=args.scratch) as scratch:
        for name, rows in sets:
            note = ""
            if name == "real":
                vectors = real
            else:
                made = (
                    real_like(real, rows, rng)
                    if name == "real-like"
                    else (random_unit(rows, real.shape[1], rng), "")
                )
                path = Path(scratch) / f"{name}-{rows}.npy"
                np.save(path, made[0])
                note, made = made[1], None
                vectors = np.load(path, mmap_mode="r")  # searched as a segment is: mmapped
            queries = sample if name != "random" else random_unit(len(sample), 384, rng)
            truth = exact_top10(vectors, queries)
            print(f"{name} {rows:,} rows ({len(queries)} queries) {note}", flush=True)
            latency = queries[: args.latency_queries]
            for kind in args.kinds:
                if kind in ("hnsw", "sq8", "ivf") and rows > args.slow_max:
                    print(f"  {kind} skipped above --slow-max {args.slow_max:,} rows", flush=True)
                    continue
                measure(vectors, kind, queries, truth, latency, settings_of(kind, rows))
            del vectors


if __name__ == "__main__":
    main()
