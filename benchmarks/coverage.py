"""Would word coverage help abstention? A negative result, kept reproducible.

    .venv/bin/python benchmarks/coverage.py          # uses the indexes of quality.py

For each question: the share of its content words (an English question's through the German-
English dictionary, any translation counts) that do not occur near its best evidence (the
quote and 300 characters either side). The abstention rule is tried with a further penalty of
weight × that share, and for each weight the margin is moved so that answerable XQuAD
questions abstain as often as they do now. Printed: unanswerable abstain / answerable abstain
on XQuAD (each question asked with its paragraph shown and hidden, as in abstention.py) and on
the seeds among gnad-1028.
"""

from __future__ import annotations

import argparse
import os

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from abstention import evidence_without, observations  # noqa: E402

from assistant.config import DEFAULT_MODEL  # noqa: E402
from assistant.indexing import store  # noqa: E402
from assistant.indexing.embedding import load_model  # noqa: E402
from assistant.qa import abstention  # noqa: E402
from assistant.qa.question import Query  # noqa: E402
from assistant.text.words import fold_words  # noqa: E402
from assistant.tuning import MIN_MARGIN  # noqa: E402

NEAR = 300  # characters either side of the quote


def missing_share(query: Query, near: str) -> float:
    """Share of the question's terms with no form (or translation) in the text near the quote."""
    if query.german:
        terms = [{t} for t in query.words]
    else:
        terms = [{t.english, *t.german} for t in query.search.translations]
    words = set(fold_words(near).split())
    stems = {w[:5] for w in words if len(w) >= 5}

    def found(forms: set[str]) -> bool:
        return any(
            f in words or (len(f) >= 5 and (f[:5] in stems or any(f in w for w in words)))
            for f in forms
        )

    return sum(not found(t) for t in terms) / len(terms) if terms else 0.0


def observe(index: store.Index, model, question: str, hidden: str | None) -> tuple:
    """(margin over the current threshold at min_margin 0, language, missing share)."""
    query, ranked, scores = evidence_without(index, model, question, hidden)
    best = ranked[0]
    seen = abstention.signals(index, query, best.article_id, scores)
    text = index.articles[best.article_id].text
    near = text[max(0, best.start - NEAR) : best.end + NEAR]
    lang = "de" if query.german else "en"
    return best.score - seen.threshold(0.0), lang, missing_share(query, near)


def rates(rows, weight: float, margin: float, lang: str | None = None) -> tuple[float, float]:
    """(unanswerable that abstain, answerable that abstain)."""
    abstain = [
        (ok, m - weight * share < margin)
        for ok, m, language, share in rows
        if lang in (None, language)
    ]
    return (
        float(np.mean([a for ok, a in abstain if not ok])),
        float(np.mean([a for ok, a in abstain if ok])),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sample", type=int, default=1264, help="XQuAD questions to use")
    parser.add_argument("--weights", nargs="+", type=float, default=[0, 0.05, 0.1, 0.15, 0.2])
    args = parser.parse_args()
    model = load_model(DEFAULT_MODEL)
    xquad = observations("xquad", model, args.sample, observe)
    seeds = observations("seeds+gnad", model, 0, observe)
    _, now = rates(xquad, 0.0, MIN_MARGIN)
    print(f"XQuAD answerable questions abstaining now: {now:.3f}; each row keeps that rate")
    print(f"{'weight':>6} {'margin':>7}  " + "  ".join(
        f"{s + ' ' + lang + ' abstain/false':>27}" for s in ("xquad", "seeds+gnad")
        for lang in ("en", "de")
    ))  # fmt: skip
    for weight in args.weights:
        low, high = -0.3, 0.3  # the margin that keeps XQuAD's false abstention at `now`
        for _ in range(40):
            middle = (low + high) / 2
            low, high = (low, middle) if rates(xquad, weight, middle)[1] > now else (middle, high)
        cells = [
            "{:.2f} / {:.2f}".format(*rates(rows, weight, low, lang))
            for rows in (xquad, seeds)
            for lang in ("en", "de")
        ]
        print(f"{weight:>6} {low:>7.3f}  " + "  ".join(f"{c:>27}" for c in cells))


if __name__ == "__main__":
    main()
