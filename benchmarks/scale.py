"""The index at archive sizes: save, update, load, memory and question times on synthetic indexes.

    .venv/bin/python benchmarks/scale.py                       # 10k and 100k chunks
    .venv/bin/python benchmarks/scale.py --sizes 10000 100000 1000000

Each index is real gnad text repeated under new article ids (chunked as a build chunks it)
with random unit vectors, so no embedding is needed: what is measured is the store, not the
model. Per size: writing the whole index; an update that adds 10 articles (their vectors
given, as after embedding), its time and the bytes it writes; then, in a fresh process, the
load time, the peak RSS, the first question (BM25 loaded from the version, and built again
as an index without a saved BM25 must) and the warm question p50 (search + BM25 + evidence,
the whole answer, with its query embedding, ~15 ms at any size). Scratch space:
--scratch (default: a temporary folder; 1M chunks needs ~4 GB).
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from assistant.config import DEFAULT_MODEL, Config
from assistant.indexing import store
from assistant.indexing.background import SHIPPED
from assistant.indexing.lexical import SAVED
from assistant.ingest.articles import load_folders
from assistant.ingest.chunking import chunk_article

GNAD = Path(__file__).resolve().parents[2] / "shared" / "data" / "gnad-1028" / "articles"
QUESTIONS = ["Wie viele Soldaten sind bei Kursk?", "Wer regiert in Österreich?",
             "Was kostet die Wohnung in Wien?", "Wann beginnt die Saison?"]  # fmt: skip


def synthetic(size: int, seed: int = 0) -> store.Index:
    """An index of about size chunks: gnad articles repeated under new ids, random vectors."""
    config = Config()
    originals = load_folders([GNAD]).articles
    per_article = [chunk_article(a, config.chunk_size, config.chunk_overlap) for a in originals]
    articles, chunks, copy = {}, [], 0
    while len(chunks) < size:
        for article, pieces in zip(originals, per_article, strict=True):
            new_id = f"{article.id}-{copy}"
            articles[new_id] = replace(article, id=new_id, path=f"{new_id}.txt")
            chunks += [replace(c, article_id=new_id) for c in pieces]
            if len(chunks) >= size:
                break
        copy += 1
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((len(chunks), 384), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    manifest = store.new_manifest(
        DEFAULT_MODEL, 384, config.chunk_size, config.chunk_overlap, list(articles.values()),
        len(chunks), engine="onnx",
    )  # fmt: skip
    background = np.load(SHIPPED[DEFAULT_MODEL]).astype(np.float32)
    return store.Index(manifest, articles, chunks, vectors, background)


def with_ten_more(index: store.Index) -> store.Index:
    """index plus 10 new articles (copies of the first under new ids) and their vectors."""
    first = next(iter(index.articles.values()))
    pieces = [c for c in index.chunks if c.article_id == first.id]
    articles, chunks = dict(index.articles), list(index.chunks)
    for k in range(10):
        new_id = f"new-{k}"
        articles[new_id] = replace(first, id=new_id, path=f"{new_id}.txt")
        chunks += [replace(c, article_id=new_id) for c in pieces]
    extra = np.random.default_rng(1).standard_normal((len(chunks) - len(index.chunks), 384))
    extra = (extra / np.linalg.norm(extra, axis=1, keepdims=True)).astype(np.float32)
    vectors = np.concatenate([index.vectors, extra])
    manifest = replace(index.manifest, articles={a.id: a.sha256 for a in articles.values()},
                       chunks=len(chunks))  # fmt: skip
    return store.Index(manifest, articles, chunks, vectors, index.background)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def worker(folder: Path, questions: int) -> dict:
    """In a fresh process: load, RSS, first question with the saved BM25 and without, p50."""
    from assistant.indexing.embedding import load_model
    from assistant.qa.pipeline import Assistant

    model = load_model(DEFAULT_MODEL)
    began = time.perf_counter()
    index = store.load(folder)
    loaded = time.perf_counter() - began
    assistant = Assistant(index, model, Config(index=folder))

    def ask(question: str) -> float:
        began = time.perf_counter()
        assistant.ask(question)
        return time.perf_counter() - began

    first = ask(QUESTIONS[0])
    warm = [ask(QUESTIONS[i % len(QUESTIONS)]) for i in range(questions)]
    version = store.current_version(folder)
    shutil.rmtree(version / SAVED)  # as an index without a saved BM25
    assistant.index = store.load(folder)
    rebuilt = ask(QUESTIONS[0])
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    return {"load_s": loaded, "first_s": first, "first_rebuilt_s": rebuilt,
            "warm_p50_ms": statistics.median(warm) * 1000, "rss_gb": rss}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--scratch", type=Path)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.questions)))
        return
    print(f"{'chunks':>9} {'articles':>9} {'save s':>7} {'MB':>7} {'update s':>9} {'upd MB':>7} "
          f"{'load s':>7} {'RSS GB':>7} {'1st q s':>8} {'1st q, BM25 built s':>20} "
          f"{'warm p50 ms':>12}")  # fmt: skip
    for size in args.sizes:
        with tempfile.TemporaryDirectory(dir=args.scratch) as scratch:
            folder = Path(scratch) / "index"
            index = synthetic(size)
            began = time.perf_counter()
            store.save(index, folder)
            saved = time.perf_counter() - began
            whole = folder_bytes(folder)
            bigger = with_ten_more(index)
            del index
            began = time.perf_counter()
            store.save(bigger, folder)
            updated = time.perf_counter() - began
            written = folder_bytes(store.current_version(folder))
            del bigger
            command = [sys.executable, __file__, "--worker", str(folder),
                       "--questions", str(args.questions)]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            m = json.loads(done.stdout.strip().splitlines()[-1])
            articles = len(store.load_records(folder)[1])
            print(f"{size:>9} {articles:>9} {saved:7.1f} {whole / 1e6:7.0f} {updated:9.1f} "
                  f"{written / 1e6:7.0f} {m['load_s']:7.1f} {m['rss_gb']:7.2f} "
                  f"{m['first_s']:8.2f} {m['first_rebuilt_s']:20.2f} "
                  f"{m['warm_p50_ms']:12.0f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
