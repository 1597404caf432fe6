"""Question–quote pairs for the answerability head (assistant/qa/answerable.py), as it sees them.

    .venv/bin/python benchmarks/answerability_pairs.py     # writes benchmarks/cache/pairs.jsonl

Each question is answered with the shipped pipeline up to its candidate quotes (evidence.select)
and its abstention threshold; the best few quotes become pairs. XQuAD-de dev is asked twice: as
it is (a quote holding the gold answer is labelled 1, the others 0) and with its own paragraph
hidden (the other paragraphs of its Wikipedia article stay: close to the topic, not answering;
labelled 0 unless a quote holds the gold string). The close-to-topic set and the seeds among
gnad give pairs labelled by their set (unanswerable: 0; answerable: the gold string). Each pair
keeps its question's group (XQuAD: the Wikipedia article, so that halves never share a topic;
close: its dev/test split) to train on one half and measure on the other.
"""

from __future__ import annotations

import argparse
import json

from quality import CACHE, INDEX_OF, SETS

from assistant.app import evaluation
from assistant.config import Config
from assistant.indexing import store
from assistant.indexing.embedding import load_model
from assistant.qa import abstention, evidence
from assistant.qa.question import analyse
from assistant.qa.retrieval import retrieve

QUOTES = 4  # pairs per question and variant: the best quotes, as the answer would choose them


def pairs(name: str, model) -> list[dict]:
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
        golds = [g for g in (q.answer, *q.also) if g]
        for variant, shown in variants.items():
            ranked = evidence.select(index, query, shown)
            if not ranked:
                continue
            signals = abstention.signals(index, query, ranked[0].article_id)
            threshold = signals.threshold(config.min_margin)
            for rank, e in enumerate(ranked[:QUOTES]):
                quote = index.articles[e.article_id].text[e.start : e.end]
                rows.append(
                    dict(
                        set=name,
                        id=q.id,
                        lang=q.lang,
                        variant=variant,
                        question=q.question,
                        quote=quote,
                        article=e.article_id,
                        rank=rank,
                        margin=round(e.score - threshold, 4),
                        label=int(any(evaluation.contains(quote, g) for g in golds)),
                        answerable=q.article != evaluation.NONE and variant == "asked",
                        group=q.article.split("-")[1] if name == "xquad" else splits.get(q.id),
                    )
                )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sets", nargs="+", default=["xquad", "close", "seeds+gnad"])
    parser.add_argument("--out", default=str(CACHE / "pairs.jsonl"))
    args = parser.parse_args()
    model = load_model()
    with open(args.out, "w") as out:
        for name in args.sets:
            rows = pairs(name, model)
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(name, len(rows), "pairs,", sum(r["label"] for r in rows), "labelled 1")


if __name__ == "__main__":
    main()
