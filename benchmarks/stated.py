"""The "not stated" rule (assistant/qa/stated.py) at several UNSTATED_MARGIN values, in one run.

    .venv/bin/python benchmarks/stated.py                # close, seeds+gnad, xquad
    .venv/bin/python benchmarks/stated.py --sets close

Each question is answered once with the rule off; the words its chosen quotes' articles never
mention and its margin over the abstention threshold tell what every bound would have done.
Prints, per set and bound: unanswerable questions that abstain or are "not stated", and
answerable ones wrongly "not stated". Uses benchmarks/quality.py's cached indexes.
"""

from __future__ import annotations

import argparse
import json

from quality import CACHE, INDEX_OF, SETS

from assistant.app import evaluation
from assistant.config import Config
from assistant.indexing import store
from assistant.indexing.embedding import load_model
from assistant.qa import abstention, evidence, selection, stated
from assistant.qa.question import analyse
from assistant.qa.retrieval import retrieve

BOUNDS = (None, 0.01, 0.02, 0.03, 0.05, 0.10, 10.0)  # None: the rule off


def observe(name: str, model) -> list[dict]:
    """Per question: answerable, abstained (rule off), the unstated word, the margin."""
    config = Config(index=CACHE / INDEX_OF.get(name, name))
    index = store.load(config.index)
    splits = {json.loads(line)["id"]: json.loads(line).get("split") for line in
              SETS[name][1].read_text().splitlines() if line.strip()}  # fmt: skip
    rows = []
    for q in evaluation.load_questions(SETS[name][1]):
        query = analyse(q.question, model)
        hits = retrieve(index, query, config.top_k, config.lexical_weight)
        stated.UNSTATED_MARGIN = -10.0  # off: the answer as it was
        answer = selection.answer(index, query, hits, model, config.min_margin)
        ranked = evidence.select(index, query, hits)
        best = ranked[0].article_id if ranked else None
        threshold = abstention.signals(index, query, best).threshold(config.min_margin)
        chosen = [
            evidence.Evidence(c.article_id, c.start, c.end, c.score) for c in answer.citations
        ]
        stated.UNSTATED_MARGIN = 10.0  # always: the word it would name
        missing = None
        if chosen and not answer.abstained and not query.topic:
            missing = stated.unstated(index, query, chosen, threshold)
        rows.append(dict(answerable=q.article != evaluation.NONE, lang=q.lang, split=splits[q.id],
                         abstained=answer.abstained, missing=missing,
                         margin=ranked[0].score - threshold if ranked else 0.0))  # fmt: skip
    return rows


def rate(rows: list[dict], bound: float | None, answerable: bool) -> str:
    group = [r for r in rows if r["answerable"] == answerable]
    if not group:
        return "-"
    fired = [bound is not None and r["missing"] is not None and r["margin"] < bound
             and not r["abstained"] for r in group]  # fmt: skip
    said = fired if answerable else [f or r["abstained"] for f, r in zip(fired, group, strict=True)]
    return f"{sum(said) / len(group):.3f} ({len(group)})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", nargs="+", default=["close", "seeds+gnad", "xquad"])
    args = parser.parse_args()
    model = load_model()
    print(f"{'set':<16}{'bound':>7}  unanswerable abstain or not stated   answerable not stated")
    for name in args.sets:
        rows = observe(name, model)
        parts = [(name, rows)] + [
            (f"{name} {key}", [r for r in rows if r[field] == key])
            for field, keys in (("split", ("dev", "test")), ("lang", ("en", "de")))
            for key in keys
            if any(r[field] == key for r in rows)
        ]
        for label, group in parts:
            for bound in BOUNDS:
                shown = "off" if bound is None else format(bound, "g")
                print(f"{label:<16}{shown:>7}  {rate(group, bound, False):>34}   "
                      f"{rate(group, bound, True):>21}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
