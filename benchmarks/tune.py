"""Tune lexical_weight and min_margin on the dev sets; prints one row per setting.

    .venv/bin/python benchmarks/tune.py --sets xquad seeds
    .venv/bin/python benchmarks/tune.py --sets xquad --weights 0 0.02 0.05 --margins 0.04

Reuses the indexes of benchmarks/quality.py (benchmarks/cache/). Quality only; latency is
measured by quality.py.
"""

from __future__ import annotations

import argparse
import dataclasses

from quality import CACHE, SETS

from assistant.app import evaluation
from assistant.config import DEFAULT_MODEL, Config
from assistant.indexing import store
from assistant.indexing import update as indexing
from assistant.indexing.embedding import load_model
from assistant.qa.pipeline import Assistant

METRICS = ["recall@1", "recall@5", "answer_in_first_quote", "false_abstain", "abstain_correct"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", nargs="+", default=["xquad", "seeds"], choices=list(SETS))
    parser.add_argument("--weights", nargs="+", type=float, default=[0.0, 0.02, 0.05, 0.1, 0.2])
    parser.add_argument("--margins", nargs="+", type=float, default=[0.04])
    args = parser.parse_args()
    model = load_model(DEFAULT_MODEL)
    print(
        f"{'set':<11}{'weight':>7}{'margin':>7}{'lang':>5} "
        + " ".join(f"{m[:12]:>12}" for m in METRICS)
    )
    for name in args.sets:
        folders, questions_path = SETS[name]
        questions = evaluation.load_questions(questions_path)
        base = Config(articles=folders, index=CACHE / name)
        indexing.update(
            folders, base.index, model, DEFAULT_MODEL, base.chunk_size, base.chunk_overlap
        )
        index = store.load(base.index)
        for weight in args.weights:
            for margin in args.margins:
                config = dataclasses.replace(base, lexical_weight=weight, min_margin=margin)
                assistant = Assistant(index, model, config)
                summary = evaluation.summarise(evaluation.run(assistant.ask, questions))
                for lang, metrics in summary["by_lang"].items():
                    cells = " ".join(
                        f"{'-' if metrics[m] is None else format(metrics[m], '.3f'):>12}"
                        for m in METRICS
                    )
                    print(f"{name:<11}{weight:>7}{margin:>7}{lang:>5} {cells}", flush=True)


if __name__ == "__main__":
    main()
