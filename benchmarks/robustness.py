"""Kill -9 during updates and uploads, and chat users while a big feed imports.

    .venv/bin/python benchmarks/robustness.py                      # 100 + 100 trials, 32 users
    .venv/bin/python benchmarks/robustness.py --trials 20 --users 8 --records 2000

1. update: an `index update` process (articles added and removed at random) is killed with
   SIGKILL after a random delay; then the index must load (unloadable otherwise), a normal
   update must finish, and every article file must be in the index (lost otherwise).
2. upload: a process storing uploads is killed with SIGKILL; every stored file must be whole
   (its bytes one of the sources'), and the next upload must succeed.
3. chat: --users sessions ask the seeds questions through the app's API while the app imports
   a feed of --records articles in the background (serve's start-up update).
4. questions: model tokens and embedding time of 2,000-character questions (the token limit).
Prints trials, failures, lost articles, leftover folders/files and the chat's p95 latency.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "tests" / "data" / "gnad-sample"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
UPLOADER = """
import sys, itertools
from pathlib import Path
from assistant.app.uploads import store_upload
sources = [Path(p) for p in sys.argv[2:]]
for n in itertools.count():
    store_upload(sources[n % len(sources)], "same.txt", Path(sys.argv[1]))
"""


def update_trials(trials: int, work: Path, max_delay: float) -> dict:
    from assistant.config import Config
    from assistant.indexing import store
    from assistant.indexing.embedding import load_model
    from assistant.ingest.articles import load_folders
    from assistant.qa.pipeline import ensure_index, update_index

    articles, index = work / "articles", work / "index"
    shutil.copytree(ROOT / "seeds", articles)
    config = Config(articles=[articles], index=index)
    model = load_model(config.model)
    ensure_index(config, model)
    counts = {"trials": trials, "killed": 0, "killed_after_switch": 0, "unloadable": 0,
              "failed": 0, "lost": 0, "leftover": 0}  # fmt: skip
    rng = random.Random(19)
    for _ in range(trials):
        for path in rng.sample(sorted(SAMPLE.iterdir()), 3):  # change the folder
            target = articles / path.name
            if target.exists():
                target.unlink()
            else:
                shutil.copy(path, target)
        command = [sys.executable, "-m", "assistant", "index", "update",
                   "--articles", str(articles), "--index", str(index)]  # fmt: skip
        process = subprocess.Popen(command, env=ENV, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        before = store.current_version(index).name
        time.sleep(rng.uniform(0, max_delay))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            counts["killed"] += 1
            # killed after the switch to its new version (before its clean-up, maybe)
            counts["killed_after_switch"] += store.current_version(index).name != before
        process.wait()
        try:
            store.load(index)
        except Exception:  # noqa: BLE001 - counted
            counts["unloadable"] += 1
        try:
            update_index(config, model)
        except Exception:  # noqa: BLE001 - counted
            counts["failed"] += 1
            continue
        on_disk = {a.id for a in load_folders([articles]).articles}
        counts["lost"] += len(on_disk - set(store.load(index).articles))
        versions = [p for p in index.iterdir() if p.name.startswith(("v-", ".staging-"))]
        counts["leftover"] += max(0, len(versions) - 2)
    return counts


def upload_trials(trials: int, work: Path, max_delay: float) -> dict:
    from assistant.app.uploads import store_upload

    folder, sources = work / "uploads", []
    folder.mkdir()
    for n in range(3):
        source = work / f"source-{n}.txt"
        source.write_bytes((f"Upload {n} says the council met. " * 60_000).encode())
        sources.append(source)
    whole = {s.read_bytes() for s in sources}
    counts = {"trials": trials, "killed": 0, "stored_before_kill": 0, "broken": 0,
              "failed": 0, "leftover": 0}  # fmt: skip
    rng = random.Random(19)
    for _ in range(trials):
        command = [sys.executable, "-c", UPLOADER, str(folder), *map(str, sources)]
        process = subprocess.Popen(command, env=ENV, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.5, 0.5 + max_delay))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            counts["killed"] += 1
        process.wait()
        stored = [p for p in folder.iterdir() if not p.name.startswith(".")]
        counts["stored_before_kill"] += len(stored)
        counts["broken"] += len([p for p in stored if p.read_bytes() not in whole])
        try:
            store_upload(sources[0], "after.txt", folder)
        except Exception:  # noqa: BLE001 - counted
            counts["failed"] += 1
        for path in stored:
            path.unlink()
    # Temporary files of killed uploads: hidden, skipped by the loader, removed after an hour.
    counts["leftover"] = len(list(folder.glob(".upload-*.part")))
    return counts


def chat_during_import(users: int, records: int, seconds: float, work: Path) -> dict:
    from gradio_client import Client

    from assistant.app.evaluation import load_questions
    from assistant.app.server import create_app, launch
    from assistant.config import Config
    from assistant.indexing.embedding import load_model
    from assistant.qa.pipeline import ensure_index

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from load import free_port

    questions = [q.question for q in load_questions(ROOT / "tests/data/seeds-questions.jsonl")]
    articles = work / "chat-articles"
    shutil.copytree(ROOT / "seeds", articles)
    config = Config(articles=[articles], index=work / "chat-index", port=free_port())
    ensure_index(config, load_model(config.model))
    with open(articles / "big.jsonl", "w", encoding="utf-8") as feed:
        for n in range(records):
            text = (
                f"Meldung {n}: Der Rat von Ort{n} beschloss {n} neue Wohnungen. "
                f"Die Kosten betragen {n * 7} Millionen Euro. Die Opposition ist dagegen."
            )
            feed.write(json.dumps({"id": f"feed-{n}", "text": text}) + "\n")
    began = time.monotonic()
    app, page = create_app(config, background=True)
    launch(page, config, block=False)
    port_open = time.monotonic() - began
    url = f"http://127.0.0.1:{config.port}/"
    results: list[tuple[float, str | None]] = []
    until = time.monotonic() + seconds

    def session(start: int) -> None:
        client = Client(url, verbose=False)
        i = start
        while time.monotonic() < until:
            t0 = time.perf_counter()
            try:
                history, _ = client.predict(questions[i % len(questions)], [], api_name="/chat")
                reply = str(history[-1]["content"])
                error = None if reply and "⚠️" not in reply else reply[:80]
            except Exception as err:  # noqa: BLE001 - counted
                error = f"{type(err).__name__}: {err}"
            results.append((time.perf_counter() - t0, error))
            i += 1

    threads = [threading.Thread(target=session, args=(7 * n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    progress = app.update_job.describe()
    app.update_job.cancel()
    app.update_job.finished.wait(120)
    page.close()
    latencies = sorted(s for s, _ in results)
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else None
    return {"users": users, "records": records, "port_open_s": round(port_open, 1),
            "questions": len(results), "failures": len([e for _, e in results if e]),
            "p95_s": round(p95, 2) if p95 else None, "import_progress": progress}  # fmt: skip


def question_cost(repeats: int = 3) -> dict:
    """Model tokens and embedding time (best of repeats) of 2,000-character questions."""
    from assistant.config import DEFAULT_MODEL
    from assistant.indexing.embedding import embed_query, load_model, query_tokens

    model = load_model(DEFAULT_MODEL)
    german = "Wie viele nordkoreanische Soldaten sind nach Angaben der Dienste bei Kursk? "
    questions = {
        "normal": "Wie viele nordkoreanische Soldaten sind bei Kursk?",
        "german-2000": (german * 30)[:2000],
        "chinese-2000": ("库尔斯克附近有多少朝鲜士兵" * 160)[:2000],
        "emoji-2000": ("🤔🇰🇵" * 700)[:2000],
    }
    result = {}
    for name, question in questions.items():
        seconds = []
        for _ in range(repeats):
            began = time.perf_counter()
            embed_query(model, question)
            seconds.append(time.perf_counter() - began)
        result[name] = {"tokens": query_tokens(model, question), "embed_s": round(min(seconds), 3)}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trials", type=int, default=100)
    parser.add_argument("--users", type=int, default=32)
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--max-delay", type=float, default=30.0, help="latest kill, seconds")
    parser.add_argument(
        "--parts", nargs="+", default=["update", "upload", "chat", "questions"],
        choices=["update", "upload", "chat", "questions"],
    )  # fmt: skip
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-robustness-"))
    try:
        if "update" in args.parts:
            print("update kill -9:", update_trials(args.trials, work, args.max_delay), flush=True)
        if "upload" in args.parts:
            print("upload kill -9:", upload_trials(args.trials, work, 4.0), flush=True)
        if "chat" in args.parts:
            result = chat_during_import(args.users, args.records, args.seconds, work)
            print("chat during a big import:", result, flush=True)
        if "questions" in args.parts:
            print("question cost:", question_cost(), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
