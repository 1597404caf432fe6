"""Answer quality of the assistant beside a naive tutorial pipeline, on three question sets.

    .venv/bin/python benchmarks/quality.py                 # all sets (first run builds indexes)
    .venv/bin/python benchmarks/quality.py --sets xquad seeds
    .venv/bin/python benchmarks/quality.py --sets close --pipelines assistant --split test

Sets: xquad (120 German paragraphs, 1,264 English and German questions), seeds (the two seed
articles, tests/data/seeds-questions.jsonl), seeds+gnad (the same questions with the seeds
hidden among the 1,028 news articles of gnad-1028), close (tests/data/close-questions.jsonl:
62 questions close to a passage of the seeds or of gnad that it does not answer, asked of
seeds+gnad; `--split dev` or `test` for one half), close2 (tests/data/close-questions-2.jsonl:
a second such set written blind on 2026-12-04 by someone who read only the articles, 60
unanswerable and 20 answerable questions about the seeds and 8 other gnad articles; its odd
pairs are the dev half, read to find misses, its even pairs the test half, never read).
Indexes are cached in benchmarks/cache/.
After the table, answer_in_lead by the kind of answer asked (quantity, date, person, place,
other) for each set with answerable questions. unanswerable_keyed: the unanswerable questions
whose first line states a figure, date or name as the answer (confident and wrong; lower is
better), where abstain_correct counts those that say the articles do not; wrong_key: the
answerable questions whose first line states a figure, date or name that is not the answer.

The naive pipeline is what tutorials build: 1000/200-character chunks, dense search only, the
top chunk quoted as the answer, never abstaining.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import zlib
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from langchain_text_splitters import RecursiveCharacterTextSplitter  # noqa: E402

from assistant.app import evaluation  # noqa: E402
from assistant.config import (  # noqa: E402
    DEFAULT_MODEL,
    ENGINES,
    Config,
)
from assistant.indexing import store  # noqa: E402
from assistant.indexing import update as indexing  # noqa: E402
from assistant.indexing.batches import embed_chunks  # noqa: E402
from assistant.indexing.embedding import default_engine, embed_query, load_model  # noqa: E402
from assistant.ingest.chunking import Chunk  # noqa: E402
from assistant.qa.answer import Answer, Citation  # noqa: E402
from assistant.qa.pipeline import Assistant  # noqa: E402
from assistant.qa.question import question_kind  # noqa: E402
from assistant.qa.retrieval import rank_articles, search  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CACHE = ROOT / "benchmarks" / "cache"
SETS = {
    "xquad": ([DATA / "xquad-de-dev" / "articles"], DATA / "xquad-de-dev" / "questions.jsonl"),
    "seeds": ([ROOT / "seeds"], ROOT / "tests" / "data" / "seeds-questions.jsonl"),
    "seeds+gnad": (
        [ROOT / "seeds", DATA / "gnad-1028" / "articles"],
        ROOT / "tests" / "data" / "seeds-questions.jsonl",
    ),
    "close": (
        [ROOT / "seeds", DATA / "gnad-1028" / "articles"],
        ROOT / "tests" / "data" / "close-questions.jsonl",
    ),
    "close2": (
        [ROOT / "seeds", DATA / "gnad-1028" / "articles"],
        ROOT / "tests" / "data" / "close-questions-2.jsonl",
    ),
}
INDEX_OF = {"close": "seeds+gnad", "close2": "seeds+gnad"}  # sets asked of another set's index
COLUMNS = [
    "recall@1", "recall@5", "mrr", "answer_in_first_quote", "answer_in_quotes",
    "answer_in_answer_or_first_quote", "answer_in_lead", "first_quote_chars", "false_abstain",
    "false_unstated", "abstain_correct", "unanswerable_keyed", "wrong_key",
    "p50_ms", "p95_ms",
]  # fmt: skip


def half(article: str) -> int:
    """The half of XQuAD-de dev a paragraph (article id) falls in, by crc32: 0 is tuned on, 1
    checks the tuning (key_terms.py, language_margin.py, stated_classifier.py)."""
    return zlib.crc32(article.encode()) % 2


class NaivePipeline:
    """The tutorial baseline: big overlapping chunks, nearest chunk quoted, no abstention."""

    def __init__(self, index: store.Index, model) -> None:
        self.index, self.model = index, model

    def ask(self, question: str) -> Answer:
        began = time.perf_counter()
        hits = search(self.index, embed_query(self.model, question), top_k=50)
        top = hits[0]
        article = self.index.articles[top.chunk.article_id]
        citation = Citation(
            1, article.id, article.title, article.date, top.chunk.text,
            top.chunk.start, top.chunk.end, round(top.score, 4),
        )  # fmt: skip
        ms = (time.perf_counter() - began) * 1000
        return Answer(question, top.chunk.text, False, [citation], rank_articles(hits), {"all": ms})


def naive_index(folders: list[Path], folder: Path, model) -> store.Index:
    """Index with 1000/200 chunks from the default recursive splitter (built once, cached)."""
    try:
        return store.load(folder)
    except Exception:  # noqa: BLE001 - any unusable cache is rebuilt
        pass
    from assistant.ingest.articles import load_folders

    splitter = RecursiveCharacterTextSplitter(
        chunk_size=1000, chunk_overlap=200, add_start_index=True
    )
    articles = load_folders(folders).articles
    chunks = []
    for article in articles:
        for doc in splitter.create_documents([article.text]):
            start = doc.metadata["start_index"]
            chunks.append(Chunk(article.id, start, start + len(doc.page_content), doc.page_content))
    vectors = embed_chunks(model, [c.text for c in chunks], None)
    manifest = store.new_manifest(DEFAULT_MODEL, vectors.shape[1], 1000, 200, articles, len(chunks))
    import numpy as np

    index = store.Index(
        manifest,
        {a.id: a for a in articles},
        chunks,
        vectors,
        np.zeros((0, vectors.shape[1]), np.float32),
    )
    store.save(index, folder)
    return store.load(folder)


def measure(
    name: str, model, baseline: bool, split: str | None = None, engine: str | None = None
) -> dict[str, dict]:
    folders, questions_path = SETS[name]
    questions = evaluation.load_questions(questions_path)
    if split:
        keep = {json.loads(line)["id"] for line in questions_path.read_text().splitlines()
                if json.loads(line).get("split", split) == split}  # fmt: skip
        questions = [q for q in questions if q.id in keep]
    if baseline:
        cached = CACHE / f"{INDEX_OF.get(name, name)}-naive"
        pipeline = NaivePipeline(naive_index(folders, cached, model), model)
    else:
        own = "" if engine in (None, default_engine()) else f"-{engine}"
        cached = INDEX_OF.get(name, name) + own
        config = Config(articles=folders, index=CACHE / cached)
        indexing.update(
            folders, config.index, model, DEFAULT_MODEL, config.chunk_size, config.chunk_overlap
        )
        pipeline = Assistant(store.load(config.index), model, config)
    for q in questions[:3]:  # warm up caches before timing
        pipeline.ask(q.question)
    outcomes = evaluation.run(pipeline.ask, questions)
    summary = evaluation.summarise(outcomes)
    if not baseline:
        LEAD_BY_KIND[name] = lead_by_kind(outcomes)
    return {"all": summary, **summary.get("by_lang", {})}


LEAD_BY_KIND: dict[str, dict[str, tuple[int, float]]] = {}


def lead_by_kind(outcomes: list[evaluation.Outcome]) -> dict[str, tuple[int, float]]:
    """answer_in_lead of the answerable questions, by the kind of answer they ask for."""
    groups: dict[str, list[evaluation.Outcome]] = {}
    for o in outcomes:
        if o.question.article != evaluation.NONE:
            groups.setdefault(question_kind(o.question.question) or "other", []).append(o)
    return {
        kind: (len(group), evaluation.summarise(group)["answer_in_lead"])
        for kind, group in sorted(groups.items())
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", nargs="+", default=list(SETS), choices=list(SETS))
    parser.add_argument("--json", type=Path, help="also write all numbers to this file")
    parser.add_argument("--split", choices=["dev", "test"], help="close, close2: only this half")
    parser.add_argument(
        "--pipelines", nargs="+", default=["assistant", "naive"], choices=["assistant", "naive"]
    )
    parser.add_argument(
        "--engine",
        choices=ENGINES,
        help="default: the default engine; another builds its own indexes (cache/NAME-ENGINE)",
    )
    args = parser.parse_args()
    model = load_model(DEFAULT_MODEL, engine=args.engine)
    results = {}
    header = f"{'set':<11}{'pipeline':<10}{'lang':<5}{'n':>5} " + " ".join(
        f"{c.replace('answer_in_', 'ans_')[:12]:>12}" for c in COLUMNS
    )
    print(header)
    for name in args.sets:
        for pipeline in args.pipelines:
            rows = measure(
                name, model, pipeline == "naive",
                args.split if name in ("close", "close2") else None, args.engine,
            )  # fmt: skip
            results[f"{name}/{pipeline}"] = rows
            for lang, metrics in rows.items():
                cells = " ".join(
                    f"{'-' if metrics[c] is None else format(metrics[c], 'g'):>12}" for c in COLUMNS
                )
                print(
                    f"{name:<11}{pipeline:<10}{lang:<5}{metrics['questions']:>5} {cells}",
                    flush=True,
                )
    for name, kinds in LEAD_BY_KIND.items():
        if kinds:
            cells = "  ".join(f"{kind} {lead:g} (n={n})" for kind, (n, lead) in kinds.items())
            print(f"answer_in_lead by kind, {name}: {cells}")
    if args.json:
        results["lead_by_kind"] = LEAD_BY_KIND
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
