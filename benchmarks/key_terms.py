"""KEY_TERMS_WEIGHT (or KEY_SPANS_MAX) swept in one run: answer in the lead of the keyed
questions, by half.

    .venv/bin/python benchmarks/key_terms.py                       # 0, 0.05, 0.1, 0.2
    .venv/bin/python benchmarks/key_terms.py --weights 0.3 0.5 1
    .venv/bin/python benchmarks/key_terms.py --spans-max 99 4 3 2 1
    .venv/bin/python benchmarks/key_terms.py --name-spans-max 2 1    # who/when questions only

Keyed questions are the answerable who/when/where/how-many ones (question_kind). XQuAD-de dev
is split by paragraph (crc32 of its id, halves 0 and 1): tune on half 0, check on half 1. The
seeds among gnad-1028 are one group. Uses the cached indexes of benchmarks/quality.py.
"""

from __future__ import annotations

import argparse

from quality import CACHE, INDEX_OF, SETS, half

from assistant.app import evaluation
from assistant.config import Config
from assistant.indexing import store
from assistant.indexing.embedding import load_model
from assistant.qa import selection
from assistant.qa.pipeline import Assistant
from assistant.qa.question import question_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--weights", nargs="+", type=float, default=[0, 0.05, 0.1, 0.2])
    parser.add_argument(
        "--spans-max", nargs="+", type=int,
        help="sweep KEY_SPANS_MAX instead (at the shipped KEY_TERMS_WEIGHT)",
    )  # fmt: skip
    parser.add_argument(
        "--name-spans-max", nargs="+", type=int,
        help="sweep NAME_SPANS_MAX (who/when questions) instead",
    )  # fmt: skip
    parser.add_argument("--sets", nargs="+", default=["xquad", "seeds+gnad"])
    args = parser.parse_args()
    model = load_model()
    for name in args.sets:
        config = Config(index=CACHE / INDEX_OF.get(name, name))
        assistant = Assistant(store.load(config.index), model, config)
        questions = [q for q in evaluation.load_questions(SETS[name][1])
                     if q.article != evaluation.NONE and question_kind(q.question)]  # fmt: skip
        sweep = [("KEY_SPANS_MAX", v) for v in args.spans_max or []]
        sweep += [("NAME_SPANS_MAX", v) for v in args.name_spans_max or []]
        sweep = sweep or [("KEY_TERMS_WEIGHT", w) for w in args.weights]
        for constant, value in sweep:
            setattr(selection, constant, value)
            groups: dict[tuple[int, str], list[evaluation.Outcome]] = {}
            for outcome in evaluation.run(assistant.ask, questions):
                q = outcome.question
                part = half(q.article) if name == "xquad" else 0
                groups.setdefault((part, q.lang), []).append(outcome)
            cells = []
            for (part, lang), group in sorted(groups.items()):
                rate, n = evaluation.summarise(group)["answer_in_lead"], len(group)
                cells.append(f"half {part} {lang} {rate:.3f} ({round(rate * n)}/{n})")
            print(f"{name:<11} {constant} {value:<5g} " + "   ".join(cells), flush=True)


if __name__ == "__main__":
    main()
