"""Many chat sessions at once through the app's API, with an index update in the middle.

    .venv/bin/python benchmarks/load.py                       # 32 sessions for 60 s
    .venv/bin/python benchmarks/load.py --sessions 8 --seconds 20 --no-update

Serves the real app (seeds copied to a temporary folder) on 127.0.0.1, starts --sessions
gradio_client sessions that ask the seeds question set in turn for --seconds, and halfway
adds an article to the folder and runs the app's re-scan (an index update while questions are
in flight). Prints throughput, latency p50/p95 and errors (0 expected).
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from gradio_client import Client  # noqa: E402

from assistant.app.evaluation import load_questions  # noqa: E402
from assistant.app.server import create_app, launch  # noqa: E402
from assistant.config import Config  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ROOT / "tests" / "data" / "seeds-questions.jsonl"
ARRIVING = ROOT / "tests" / "data" / "gnad-sample" / "gnad-0180-international.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session(url: str, questions: list[str], start: int, until: float, results: list) -> None:
    """One user: ask questions one after another until the time is up."""
    client = Client(url, verbose=False)
    i = start
    while time.monotonic() < until:
        question = questions[i % len(questions)]
        began = time.perf_counter()
        try:
            history, _ = client.predict(question, api_name="/chat")
            reply = str(history[-1]["content"])
            error = None if reply and "⚠️" not in reply else f"bad reply: {reply[:80]}"
        except Exception as err:  # noqa: BLE001 - every failure is counted and shown
            error = f"{type(err).__name__}: {err}"
        results.append((time.perf_counter() - began, error))
        i += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--no-update", action="store_true", help="no index update mid-run")
    args = parser.parse_args()
    questions = [q.question for q in load_questions(QUESTIONS)]
    work = Path(tempfile.mkdtemp(prefix="bench-load-"))
    try:
        shutil.copytree(ROOT / "seeds", work / "articles")
        config = Config(articles=[work / "articles"], index=work / "index", port=free_port())
        app, page = create_app(config)
        launch(page, config, block=False)
        url = f"http://127.0.0.1:{config.port}/"
        results: list[tuple[float, str | None]] = []
        began = time.monotonic()
        until = began + args.seconds
        users = [
            threading.Thread(target=session, args=(url, questions, 7 * n, until, results))
            for n in range(args.sessions)
        ]
        for user in users:
            user.start()
        update = "none"
        if not args.no_update:
            time.sleep(args.seconds / 2)
            shutil.copy(ARRIVING, work / "articles")
            report, _ = app.rescan(progress=lambda *a, **k: None)
            update = f"{report.splitlines()[-1]} at {time.monotonic() - began:.0f} s"
        for user in users:
            user.join()
        elapsed = time.monotonic() - began
        page.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    seconds = sorted(s for s, _ in results)
    errors = [e for _, e in results if e]
    print(f"sessions {args.sessions} · {elapsed:.0f} s · index update mid-run: {update}")
    print(f"questions answered: {len(results) - len(errors)} · errors: {len(errors)}")
    print(f"throughput: {len(results) / elapsed:.2f} questions/s")
    if seconds:
        p95 = seconds[min(len(seconds) - 1, int(0.95 * len(seconds)))]
        print(f"latency per question: p50 {statistics.median(seconds):.2f} s · p95 {p95:.2f} s")
    for error in sorted(set(errors))[:10]:
        print(f"  error: {error}")


if __name__ == "__main__":
    main()
