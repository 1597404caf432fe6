"""How often the answer's first line holds the gold answer, by the kind of question.

    .venv/bin/python benchmarks/keys.py                  # xquad and seeds+gnad
    .venv/bin/python benchmarks/keys.py --sets xquad

The first line leads with the key spans of the quotes (the figure for "how many", the date
for "when", the name for "who", the place for "where") or, when none is found, with the best
quote. Uses (and builds once) the indexes of benchmarks/quality.py in benchmarks/cache/.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from quality import CACHE, SETS

from assistant.app import evaluation
from assistant.config import DEFAULT_MODEL, Config
from assistant.indexing import store
from assistant.indexing import update as indexing
from assistant.indexing.embedding import load_model
from assistant.qa.pipeline import Assistant
from assistant.qa.question import question_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sets", nargs="+", default=["xquad", "seeds+gnad"], choices=list(SETS))
    args = parser.parse_args()
    model = load_model(DEFAULT_MODEL)
    print(f"{'set':<12}{'kind':<10}{'n':>6}{'answer_in_lead':>16}{'answer_in_first_quote':>23}")
    for name in args.sets:
        folders, questions_path = SETS[name]
        config = Config(articles=folders, index=CACHE / name)
        indexing.update(
            folders, config.index, model, DEFAULT_MODEL, config.chunk_size, config.chunk_overlap
        )
        pipeline = Assistant(store.load(config.index), model, config)
        questions = [
            q for q in evaluation.load_questions(questions_path) if q.article != evaluation.NONE
        ]
        by_kind = defaultdict(list)
        for outcome in evaluation.run(pipeline.ask, questions):
            by_kind[question_kind(outcome.question.question) or "other"].append(outcome)
        for kind, outcomes in sorted(by_kind.items()):
            metrics = evaluation.summarise(outcomes)
            print(
                f"{name:<12}{kind:<10}{len(outcomes):>6}{metrics['answer_in_lead']:>16.3f}"
                f"{metrics['answer_in_first_quote']:>23.3f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
