"""The index at archive sizes: save, update, load, memory and question times on synthetic indexes.

    .venv/bin/python benchmarks/scale.py                       # 10k and 100k chunks
    .venv/bin/python benchmarks/scale.py --sizes 10000 100000 1000000

Each index is real gnad text repeated under new article ids (chunked as a build chunks it)
with random unit vectors, so no embedding is needed: what is measured is the store, not the
model. Per size: writing the whole index (one segment); --updates updates that each add 10
articles as one more segment (their vectors given, as after embedding: the store's part of an
update, including the in-memory index it hands to the server), the median time and bytes
written (new files only: the hard-linked background costs nothing); then, in a fresh process
(the index now in 1 + --updates segments), the load time, the peak RSS after the warm
questions, the first question (BM25 loaded from the segments, and built again as an index
without a saved BM25 must) and
the warm question p50 (search + BM25 + evidence, the whole answer, with its query embedding,
~15 ms at any size). Scratch space:
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


def ten_more(index: store.Index) -> tuple[list, list, np.ndarray]:
    """10 new articles (copies of the first under new ids), their chunks and vectors."""
    first = index.articles[next(iter(index.articles))]
    pieces = [index.chunks[row] for row in index.chunks.of(first.id)]
    articles, chunks = [], []
    for k in range(10):
        new_id = f"new-{k}"
        articles.append(replace(first, id=new_id, path=f"{new_id}.txt"))
        chunks += [replace(c, article_id=new_id) for c in pieces]
    extra = np.random.default_rng(1).standard_normal((len(chunks), 384))
    extra = (extra / np.linalg.norm(extra, axis=1, keepdims=True)).astype(np.float32)
    return articles, chunks, extra


def add_ten(index: store.Index, folder: Path) -> store.Index:
    """The store's part of an update that adds 10 articles (their vectors given, as after
    embedding): one new segment, a new version; the index in force in memory."""
    articles, chunks, vectors = ten_more(index)
    everything = [*index.articles.headers(), *articles]  # ids and hashes: no text read
    manifest = store.new_manifest(
        DEFAULT_MODEL, 384, index.manifest.chunk_size, index.manifest.chunk_overlap, everything,
        0, engine="onnx",
    )  # fmt: skip
    return store.append(index, folder, manifest, articles, chunks, vectors, deleted=set())


def written_since(folder: Path, before: set[int]) -> int:
    """Bytes of the files under folder that are new since before (their inodes): a hard link
    to an existing file writes nothing."""
    return sum(
        p.stat().st_size for p in folder.rglob("*") if p.is_file() and p.stat().st_ino not in before
    )


def inodes(folder: Path) -> set[int]:
    return {p.stat().st_ino for p in folder.rglob("*") if p.is_file()}


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def peak_rss_gb() -> float:
    """This process's peak resident set so far (VmHWM). Not ru_maxrss: Linux carries that over
    fork and exec, so a worker started by a parent holding a 1M-chunk index reported the
    parent's 4.7 GB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024**2
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2


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
    rss = peak_rss_gb()
    for segment in store.load(folder).manifest.segments:
        shutil.rmtree(folder / segment.name / SAVED)  # as an index without a saved BM25
    assistant.index = store.load(folder)
    rebuilt = ask(QUESTIONS[0])
    return {"load_s": loaded, "first_s": first, "first_rebuilt_s": rebuilt,
            "warm_p50_ms": statistics.median(warm) * 1000, "rss_gb": rss}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--questions", type=int, default=20)
    parser.add_argument("--updates", type=int, default=3, help="updates of 10 articles (median)")
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
            updates, written = [], []
            for _ in range(args.updates):  # each adds 10 articles as one more segment
                before = inodes(folder)
                began = time.perf_counter()
                index = add_ten(index, folder)
                updates.append(time.perf_counter() - began)
                written.append(written_since(folder, before))
            del index
            command = [sys.executable, __file__, "--worker", str(folder),
                       "--questions", str(args.questions)]  # fmt: skip
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            m = json.loads(done.stdout.strip().splitlines()[-1])
            articles = len(store.load_records(folder)[1])
            print(f"{size:>9} {articles:>9} {saved:7.1f} {whole / 1e6:7.0f} "
                  f"{statistics.median(updates):9.2f} {statistics.median(written) / 1e6:7.2f} "
                  f"{m['load_s']:7.1f} {m['rss_gb']:7.2f} "
                  f"{m['first_s']:8.2f} {m['first_rebuilt_s']:20.2f} "
                  f"{m['warm_p50_ms']:12.0f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
