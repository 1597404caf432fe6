"""Full build of N news articles vs adding 10 more to that index: seconds and their ratio.

    .venv/bin/python benchmarks/update.py --n 200            # 5 (full build, update) pairs
    .venv/bin/python benchmarks/update.py --n 1028 --runs 1
    .venv/bin/python benchmarks/update.py --n 1028 --no-rebuilds   # one build, then 5 updates
    .venv/bin/python benchmarks/update.py --n 200 --no-rebuilds --start benchmarks/cache/seeds+gnad

Uses ../shared/data/gnad-1028/articles: the first N files in name order are built; each
run builds them from scratch and then adds a different random 10 of the remaining files
(seeded; taken from ../shared/data/xquad-de-dev/articles when N is the whole corpus), so the
median is the cost of typical articles, not of ten that happen to be long, and each ratio
compares two timings taken back to back. A last rebuild of all N + 10 articles (with the
median batch) is what the update spares. Each batch's share of the build's tokens is printed
beside its ratio, and the median share of 2,000 random batches: what embedding new articles
must cost, whatever the update does around it.

--no-rebuilds builds once and then times each update's work outside embedding (reading the
folder, chunking, writing its segment and version; the embedding is the time between the
update's first and last "embedding" progress reports): with segments it should not grow with
N. Each batch is added, timed, and deleted again (an update too).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from assistant.config import DEFAULT_MODEL  # noqa: E402
from assistant.indexing import update as indexing  # noqa: E402
from assistant.indexing.compaction import compact  # noqa: E402
from assistant.indexing.embedding import load_model  # noqa: E402
from assistant.ingest.articles import load_folders  # noqa: E402
from assistant.ingest.chunking import chunk_article  # noqa: E402
from assistant.tuning import CHUNK_OVERLAP, CHUNK_SIZE  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
CORPUS = DATA / "gnad-1028" / "articles"
MORE = DATA / "xquad-de-dev" / "articles"


def timed(function) -> tuple[float, object]:
    began = time.perf_counter()
    result = function()
    return time.perf_counter() - began, result


def tokens_by_file(model, folders: list[Path]) -> dict[str, int]:
    """Tokens the model embeds for each article file (summed over its chunks), by file name."""
    engine = model[0]  # every engine of the bundled model counts its own tokens
    collection = load_folders(folders)
    return {
        Path(a.path).name: sum(
            engine.token_count(c.text, False) for c in chunk_article(a, CHUNK_SIZE, CHUNK_OVERLAP)
        )
        for a in collection.articles
    }


def outside_embedding(update) -> tuple[float, float, object]:
    """(seconds in all, seconds outside embedding, report) of update(progress)."""
    marks: list[float] = []

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "embedding":
            marks.append(time.perf_counter())

    began = time.perf_counter()
    report = update(progress)
    seconds = time.perf_counter() - began
    embedding = marks[-1] - marks[0] if marks else 0.0
    return seconds, seconds - embedding, report


def without_rebuilds(model, files: list[Path], batches: list[list[Path]],
                     start: Path | None = None) -> None:  # fmt: skip
    """One build of files, then per batch: add it (timed) and delete it again (timed).
    start: an index that holds files (and maybe more) to start from instead of building: the
    others are deleted from a copy of it, which is then compacted into one segment."""
    work = Path(tempfile.mkdtemp(prefix="bench-update-"))
    try:
        folder, index = work / "articles", work / "index"
        folder.mkdir()
        for path in files:
            shutil.copy(path, folder)

        def update(progress=None, prune=False):
            return indexing.update([folder], index, model, DEFAULT_MODEL, CHUNK_SIZE,
                                   CHUNK_OVERLAP, progress=progress, prune=prune)  # fmt: skip

        if start is not None:
            shutil.copytree(start, index)
            build = timed(lambda: update(prune=True))
            compact(index)
            print(f"from a copy of {start}: {build[1].embedded} chunks embedded, "
                  f"{len(build[1].deleted)} articles deleted, compacted")  # fmt: skip
        else:
            build = timed(update)
        print(f"build of {len(files)} articles: {build[0]:.1f} s, {build[1].chunks} chunks")
        adds, deletes = [], []
        for run, arriving in enumerate(batches, 1):
            for path in arriving:
                shutil.copy(path, folder)
            adds.append(outside_embedding(update))
            for path in arriving:
                (folder / path.name).unlink()
            deletes.append(outside_embedding(lambda progress: update(progress, prune=True)))
            add, delete = adds[-1], deletes[-1]
            print(f"run {run}: add {len(arriving)}: {add[0]:.2f} s, {add[1]:.2f} s outside "
                  f"embedding ({add[2].embedded} chunks embedded); delete them: {delete[0]:.2f} "
                  f"s ({len(delete[2].deleted)} deleted)", flush=True)  # fmt: skip
        print(f"median over {len(batches)} runs, index of {len(files)} articles: add "
              f"{statistics.median(a[1] for a in adds):.2f} s outside embedding "
              f"({statistics.median(a[0] for a in adds):.2f} s in all), delete "
              f"{statistics.median(d[0] for d in deletes):.2f} s")  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200, help="articles in the full build")
    parser.add_argument("--added", type=int, default=10, help="articles added afterwards")
    parser.add_argument("--runs", type=int, default=5, help="(full build, update) pairs")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--no-rebuilds", action="store_true", help="one build, then updates")
    parser.add_argument(
        "--start",
        type=Path,
        help="with --no-rebuilds: an index of the corpus "
        "(e.g. benchmarks/cache/seeds+gnad) to start from instead of building",
    )
    args = parser.parse_args()

    files = sorted(args.corpus.glob("*.txt"))
    if len(files) < args.n:
        sys.exit(f"{args.corpus} has {len(files)} articles; --n asks for {args.n}")
    rest = files[args.n :] if len(files) - args.n >= args.added else sorted(MORE.glob("*.txt"))
    rng = random.Random(20261122)
    batches = [rng.sample(rest, args.added) for _ in range(args.runs)]
    model = load_model(DEFAULT_MODEL)
    if args.no_rebuilds:  # counts no tokens: one build, then updates only
        without_rebuilds(model, files[: args.n], batches, args.start)
        return
    # The share of the build's tokens that each batch adds: what its embedding must cost.
    tokens = tokens_by_file(model, sorted({p.parent for p in files[: args.n] + rest}))
    built_tokens = sum(tokens[p.name] for p in files[: args.n])

    def share(batch: list[Path]) -> float:
        return sum(tokens[p.name] for p in batch) / built_tokens

    work = Path(tempfile.mkdtemp(prefix="bench-update-"))
    try:
        folder, index = work / "articles", work / "index"
        folder.mkdir()
        for path in files[: args.n]:
            shutil.copy(path, folder)

        def update():
            return indexing.update([folder], index, model, DEFAULT_MODEL, CHUNK_SIZE, CHUNK_OVERLAP)

        def rebuild():
            shutil.rmtree(index, ignore_errors=True)
            return update()

        # Each update is timed right after its own full build, so that both see the machine in
        # the same state; the ratio is taken per pair.
        pairs = []
        for run, arriving in enumerate(batches, 1):
            build = timed(rebuild)
            for path in arriving:
                shutil.copy(path, folder)
            add = timed(update)
            for path in arriving:
                (folder / path.name).unlink()
            pairs.append((build, add))
            print(
                f"run {run}: full build {build[0]:.1f} s, add {args.added} {add[0]:.1f} s "
                f"({add[1].embedded} chunks, {100 * share(arriving):.1f}% of the build's "
                f"tokens): {100 * add[0] / build[0]:.1f}%",
                flush=True,
            )
        full = statistics.median(build[0] for build, _ in pairs)
        built = pairs[-1][0][1]
        add = statistics.median(add[0] for _, add in pairs)
        added_chunks = statistics.median(add[1].embedded for _, add in pairs)
        ratios = sorted(add[0] / build[0] for build, add in pairs)
        # What the update spares: without it, the arrival of the median batch means rebuilding
        # all N + added articles.
        middle = sorted(range(args.runs), key=lambda i: pairs[i][1][1].embedded)[args.runs // 2]
        for path in batches[middle]:
            shutil.copy(path, folder)
        replaced, rebuilt = timed(rebuild)

        print(
            f"corpus: {args.corpus} · model {DEFAULT_MODEL} · chunks {CHUNK_SIZE}/{CHUNK_OVERLAP}"
        )
        print(f"{'step':<34}{'seconds':>10}{'chunks embedded':>18}{'chunks/s':>10}")
        print(
            f"{f'full build, {args.n} articles':<34}{full:>10.1f}{built.embedded:>18}"
            f"{built.embedded / full:>10.1f}"
        )
        print(
            f"{f'add {args.added} to it (median of {args.runs})':<34}{add:>10.1f}"
            f"{added_chunks:>18}{added_chunks / add:>10.1f}"
        )
        print(
            f"{f'rebuild of all {args.n + args.added} instead':<34}{replaced:>10.1f}"
            f"{rebuilt.embedded:>18}{rebuilt.embedded / replaced:>10.1f}"
        )
        ratio = statistics.median(ratios)
        print(
            f"update / full build of {args.n}, median of {args.runs} pairs: {ratio:.3f} "
            f"({100 * ratio:.1f}%; pairs {100 * ratios[0]:.1f}%-{100 * ratios[-1]:.1f}%)"
        )
        print(
            f"update / rebuild of {args.n + args.added}: {add / replaced:.3f} "
            f"({100 * add / replaced:.1f}%)"
        )
        chunk_share = added_chunks / built.embedded
        print(
            f"new chunks / chunks of the full build: {chunk_share:.3f} ({100 * chunk_share:.1f}%)"
        )
        draws = sorted(share(rng.sample(rest, args.added)) for _ in range(2000))
        print(
            f"tokens of {args.added} random new articles / tokens of the full build, 2,000 draws: "
            f"median {100 * statistics.median(draws):.2f}% (quartiles {100 * draws[500]:.2f}%-"
            f"{100 * draws[1500]:.2f}%), the least an update can cost"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
