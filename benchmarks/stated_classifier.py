"""A trained "not stated" classifier against the word rule of assistant/qa/stated.py, in one run.

    .venv/bin/python benchmarks/stated_classifier.py

Each question is answered once with the rule off. Its features: the best quote's margin over
the abstention threshold, the share of its asked words missing from the best quote and from
that quote's article, and the margin over the best quote of another article. XQuAD-de dev is
asked twice: as it is (answerable: the gold answer is in a chosen quote) and with its own
paragraph hidden from the search (the other paragraphs of the same Wikipedia article stay:
close to the topic, not answering). A logistic regression is fitted on half of XQuAD's
articles (both kinds) plus the dev half of the close-to-topic set, with its cut where 5% of the
training half's answerable questions would be "not stated"; it may fire only where an asked
word is missing from every chosen quote (it must name one). Printed beside it: the rule off,
the rule as shipped, and the ceiling of any word test (fire whenever a word is missing).
Rates: unanswerable sets abstain or "not stated"; answerable sets wrongly "not stated".
"""

from __future__ import annotations

import json

import numpy as np
from quality import CACHE, INDEX_OF, SETS, half
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from assistant.app import evaluation
from assistant.config import Config
from assistant.indexing import store
from assistant.indexing.embedding import load_model
from assistant.qa import abstention, evidence, selection, stated
from assistant.qa.question import analyse
from assistant.qa.retrieval import retrieve
from assistant.tuning import UNSTATED_MARGIN

FEATURES = ("margin", "missing_in_quote", "missing_in_article", "lead_over_others")
FALSE_RATE = 0.05  # the cut: this share of the training half's answerable questions fire


def observe(name: str, model) -> list[dict]:
    """Per question (and, on XQuAD, per question with its paragraph hidden): the features."""
    config = Config(index=CACHE / INDEX_OF.get(name, name))
    index = store.load(config.index)
    lines = [json.loads(line) for line in SETS[name][1].read_text().splitlines() if line.strip()]
    splits = {r["id"]: r.get("split") for r in lines}
    rows = []
    for q in evaluation.load_questions(SETS[name][1]):
        query = analyse(q.question, model)
        hits = retrieve(index, query, config.top_k, config.lexical_weight)
        variants = {"asked": hits}
        if name == "xquad":
            variants["hidden"] = [h for h in hits if h.chunk.article_id != q.article]
        for variant, shown in variants.items():
            stated.UNSTATED_MARGIN = -10.0  # off: the answer as it was
            answer = selection.answer(index, query, shown, model, config.min_margin)
            stated.UNSTATED_MARGIN = UNSTATED_MARGIN
            golds = [g for g in (q.answer, *q.also) if g]
            row = dict(set=name, variant=variant, split=splits.get(q.id), abstained=True,
                       group=half(q.article),
                       answerable=variant == "asked" and q.article != evaluation.NONE,
                       gold=any(evaluation.contains(c.quote, g) for c in answer.citations
                                for g in golds))  # fmt: skip
            if answer.citations and not answer.abstained and query.asked and not query.topic:
                row.update(features(index, query, shown, answer, config.min_margin))
            rows.append(row)
    return rows


def features(index, query, hits, answer, min_margin: float) -> dict:
    ranked = evidence.select(index, query, hits)
    threshold = abstention.signals(index, query, ranked[0].article_id).threshold(min_margin)
    chosen = answer.citations
    first = index.articles[chosen[0].article_id].text
    in_quote = [stated._words(index.articles[c.article_id].text[c.start : c.end]) for c in chosen]
    in_article = stated._words(first)
    asked = query.asked
    others = [e.score for e in ranked if e.article_id != chosen[0].article_id]
    quotes = [evidence.Evidence(c.article_id, c.start, c.end, c.score) for c in chosen]
    shipped = stated.unstated(index, query, quotes, threshold) is not None  # the rule as shipped
    return dict(
        abstained=False,
        margin=chosen[0].score - threshold,
        missing_in_quote=sum(not stated.states(t, in_quote[0]) for t in asked) / len(asked),
        missing_in_article=sum(not stated.states(t, in_article) for t in asked) / len(asked),
        lead_over_others=chosen[0].score - (others[0] if others else threshold),
        nameable=any(not any(stated.states(t, q) for q in in_quote) for t in asked),
        shipped=shipped,
    )


def rate(rows: list[dict], fires, unanswerable: bool) -> str:
    said = [r["abstained"] and unanswerable or (not r["abstained"] and fires(r)) for r in rows]
    return f"{np.mean(said):.3f} ({len(rows)})" if rows else "-"


def main() -> None:
    model = load_model()
    rows = [r for name in ("xquad", "close", "seeds+gnad") for r in observe(name, model)]
    xquad = [r for r in rows if r["set"] == "xquad"]
    xquad_no = [r for r in xquad if r["variant"] == "hidden" and not r["gold"]]
    xquad_yes = [r for r in xquad if r["answerable"]]
    seeds = [r for r in rows if r["set"] == "seeds+gnad"]
    close_dev = [r for r in rows if r["set"] == "close" and r["split"] == "dev"]
    train = [r for r in xquad_yes if r["gold"]] + xquad_no  # positives: the gold is quoted
    train = [r for r in train if r["group"] == 0] + close_dev
    train = [r for r in train if not r["abstained"]]
    matrix = np.array([[r[f] for f in FEATURES] for r in train])
    mean, scale = matrix.mean(0), matrix.std(0) + 1e-9
    fit = LogisticRegression(max_iter=2000).fit((matrix - mean) / scale,
                                                [r["gold"] for r in train])  # fmt: skip
    for r in rows:
        if not r["abstained"]:
            x = (np.array([r[f] for f in FEATURES]) - mean) / scale
            r["p"] = float(fit.predict_proba(x[None])[0, 1])
    cut = float(np.quantile([r["p"] for r in train if r["gold"]], FALSE_RATE))
    held = [r for r in xquad_yes if r["gold"]] + xquad_no
    held = [r for r in held if r["group"] == 1 and not r["abstained"]]
    auc = roc_auc_score([r["gold"] for r in held], [r["p"] for r in held])
    weights = dict(zip(FEATURES, np.round(fit.coef_[0], 2).tolist(), strict=True))
    print(f"weights (standardised) {weights}")
    print(f"cut P(stated) < {cut:.3f}; held-out XQuAD half AUC {auc:.3f}\n")
    rules = {
        "off": lambda r: False,
        "shipped rule": lambda r: r["shipped"],
        "classifier": lambda r: r["nameable"] and r["p"] < cut,
        "any word missing": lambda r: r["nameable"],
    }
    groups = [
        ("xquad half 2, answerable", [r for r in xquad_yes if r["group"] == 1], False),
        ("xquad half 2, own paragraph hidden", [r for r in xquad_no if r["group"] == 1], True),
        ("close test", [r for r in rows if r["set"] == "close" and r["split"] == "test"], True),
        ("close dev (trained on)", close_dev, True),
        ("seeds+gnad unanswerable", [r for r in seeds if not r["answerable"]], True),
        ("seeds+gnad answerable", [r for r in seeds if r["answerable"]], False),
    ]
    print(f"{'set':<38}" + "".join(f"{name:>20}" for name in rules))
    for label, group, unanswerable in groups:
        print(f"{label:<38}" + "".join(f"{rate(group, f, unanswerable):>20}"
                                       for f in rules.values()), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
