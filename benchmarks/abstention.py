"""Calibrate abstention: how often unanswerable questions abstain and answerable ones do not.

    .venv/bin/python benchmarks/abstention.py            # uses the indexes of quality.py

Unanswerable dev questions come from XQuAD-de dev by hiding each question's own paragraph
(its chunks are left out of the search and of the signals), 300 questions × {shown, hidden};
the seeds set adds its own unanswerable questions, on the seeds alone and among gnad-1028.
Prints the abstention rates of the current rule for several min_margin values, and the
weights of a logistic fit of margin, top and gap on XQuAD (the source of the defaults in
assistant/tuning.py).
"""

from __future__ import annotations

import argparse
import os
import random

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from quality import CACHE, SETS  # noqa: E402

from assistant.app import evaluation  # noqa: E402
from assistant.config import DEFAULT_MODEL  # noqa: E402
from assistant.indexing import store  # noqa: E402
from assistant.indexing.embedding import load_model  # noqa: E402
from assistant.qa import abstention, evidence  # noqa: E402
from assistant.qa.question import analyse  # noqa: E402
from assistant.qa.retrieval import retrieve  # noqa: E402
from assistant.tuning import LEXICAL_WEIGHT, MIN_MARGIN, TOP_K  # noqa: E402


def evidence_without(index: store.Index, model, question: str, hidden: str | None) -> tuple:
    """(Query, ranked evidence, cosine with every chunk) with the article `hidden` left out of
    the index."""
    query = analyse(question, model)
    hits = [
        h for h in retrieve(index, query, TOP_K, LEXICAL_WEIGHT) if h.chunk.article_id != hidden
    ]
    ranked = evidence.select(index, query, hits)
    scores = index.vectors @ query.search.vector
    if hidden is not None:
        scores = scores[[c.article_id != hidden for c in index.chunks]]
    return query, ranked, scores


def observe(index: store.Index, model, question: str, hidden: str | None) -> tuple:
    """(best evidence score, signals) with the article `hidden` left out of the index."""
    query, ranked, scores = evidence_without(index, model, question, hidden)
    best = ranked[0].article_id if ranked else None
    seen = abstention.signals(index, query, best, scores)
    return (ranked[0].score if ranked else 0.0), seen


def observations(name: str, model, sample: int, observe=observe) -> list[tuple]:
    """(answerable, *observe(...)) per question of a set; XQuAD questions are asked with their
    paragraph shown and hidden."""
    folders, questions_path = SETS[name]
    index = store.load(CACHE / name)  # built by benchmarks/quality.py
    questions = evaluation.load_questions(questions_path)
    rows = []
    if name == "xquad":
        random.Random(1).shuffle(questions)
        for q in questions[:sample]:
            for hidden in (None, q.article):
                rows.append((hidden is None, *observe(index, model, q.question, hidden)))
    else:
        for q in questions:
            rows.append((q.article != evaluation.NONE, *observe(index, model, q.question, None)))
    return rows


def rates(rows, min_margin: float) -> tuple[float, float]:
    """(share of unanswerable that abstain, share of answerable that abstain)."""
    abstain = [(ok, best < seen.threshold(min_margin)) for ok, best, seen in rows]
    return (
        float(np.mean([a for ok, a in abstain if not ok])),
        float(np.mean([a for ok, a in abstain if ok])),
    )


def fit(rows) -> np.ndarray:
    """Logistic regression of answerable on (margin, top, gap), scaled so margin has weight 1."""
    x = np.array([[best - s.background, s.top, s.gap] for _, best, s in rows])
    y = np.array([ok for ok, *_ in rows], dtype=float)
    mean, std = x.mean(0), x.std(0)
    z, w, b = (x - mean) / std, np.zeros(3), 0.0
    for _ in range(3000):
        p = 1 / (1 + np.exp(-(z @ w + b)))
        w -= 0.1 * (z.T @ (p - y) / len(y) + 0.001 * w)
        b -= 0.1 * float(np.mean(p - y))
    raw = w / std
    return raw / raw[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=300, help="XQuAD questions to use")
    parser.add_argument("--margins", nargs="+", type=float, default=[0.025, MIN_MARGIN, 0.04])
    args = parser.parse_args()
    model = load_model(DEFAULT_MODEL)
    data = {
        name: observations(name, model, args.sample) for name in ("xquad", "seeds", "seeds+gnad")
    }
    weights = fit(data["xquad"])
    print(f"logistic fit on XQuAD: margin 1, top {weights[1]:+.3f}, gap {weights[2]:+.3f}")
    print(f"{'min_margin':>10} " + " ".join(f"{n + ' abstain/false':>26}" for n in data))
    for margin in args.margins:
        shares = [rates(rows, margin) for rows in data.values()]
        cells = " ".join(f"{f'{a:.2f} / {f:.2f}':>26}" for a, f in shares)
        print(f"{margin:>10} {cells}")


if __name__ == "__main__":
    main()
