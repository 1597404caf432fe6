"""An abstention margin lower by δ for English questions only, swept in one run: what English
answers gain and what unanswerable English questions lose (docs/benchmarks.md, "The answer's
first line").

    .venv/bin/python benchmarks/language_margin.py                  # δ = 0, 0.005, 0.01, 0.015
    .venv/bin/python benchmarks/language_margin.py --deltas 0 0.01

English questions of XQuAD-de dev (halves by paragraph, as in key_terms.py), of the seeds among
gnad-1028 and of the close set. Uses the cached indexes of benchmarks/quality.py.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--deltas", nargs="+", type=float, default=[0, 0.005, 0.01, 0.015])
    args = parser.parse_args()
    shipped, delta = selection.answer, [0.0]
    selection.answer = lambda index, query, hits, model, min_margin: shipped(
        index, query, hits, model, min_margin - (0.0 if query.german else delta[0])
    )
    model = load_model()
    sets = {}
    for name in ("xquad", "seeds+gnad", "close"):
        config = Config(index=CACHE / INDEX_OF.get(name, name))
        questions = [q for q in evaluation.load_questions(SETS[name][1]) if q.lang == "en"]
        sets[name] = (Assistant(store.load(config.index), model, config), questions)
    for delta[0] in args.deltas:
        cells = []
        for name, (assistant, questions) in sets.items():
            groups: dict[int, list[evaluation.Outcome]] = {}
            for outcome in evaluation.run(assistant.ask, questions):
                part = half(outcome.question.article) if name == "xquad" else 0
                groups.setdefault(part, []).append(outcome)
            for part, group in sorted(groups.items()):
                m = evaluation.summarise(group)
                if name == "xquad":
                    cells.append(f"xquad half {part}: lead {m['answer_in_lead']:.3f} "
                                 f"false abstain {m['false_abstain']:.3f}")  # fmt: skip
                else:
                    cells.append(f"{name}: unanswerable abstain {m['abstain_correct']:.3f}")
        print(f"δ {delta[0]:<6g} " + "  |  ".join(cells), flush=True)


if __name__ == "__main__":
    main()
