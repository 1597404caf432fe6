"""Measure answer quality on a JSONL question set: retrieval ranks, quotes, abstention, latency."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from assistant.errors import AssistantError
from assistant.qa.answer import Answer

NONE = "none"  # the "article" of a question that the articles cannot answer


@dataclass(frozen=True)
class Question:
    id: str
    lang: str
    question: str
    article: str  # id of the article that answers it, or "none"
    answer: str  # gold answer string ("" when unanswerable)
    # The gold strings of the same question in its other languages ("four" / "vier"): the
    # quotes are German, so an English question's answer is found in the German wording.
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    question: Question
    answer: Answer
    rank: int | None  # 1-based rank of the gold article among retrieved articles
    ms: float


def load_questions(path: Path) -> list[Question]:
    """Read the JSONL question format of shared/data/xquad-de-dev/questions.jsonl."""
    questions = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                fields = ("id", "lang", "question", "article", "answer")
                questions.append(Question(**{k: record[k] for k in fields}))
            except (ValueError, KeyError, TypeError) as err:
                raise AssistantError(
                    f"{path}:{number} is not a question record ({err}); expected JSON with "
                    "id, lang, question, article, answer"
                ) from err
    return _with_translations(questions)


def _with_translations(questions: list[Question]) -> list[Question]:
    """Attach the gold answers of each question's twins ("<id>-en" and "<id>-de")."""
    golds: dict[str, set[str]] = {}
    for q in questions:
        golds.setdefault(q.id.rsplit("-", 1)[0], set()).add(q.answer)
    return [
        replace(q, also=tuple(sorted(golds[q.id.rsplit("-", 1)[0]] - {q.answer})))
        for q in questions
    ]


def run(ask: Callable[[str], Answer], questions: Iterable[Question]) -> list[Outcome]:
    """Ask every question once."""
    outcomes = []
    for q in questions:
        answer = ask(q.question)
        ids = [r.article_id for r in answer.retrieved]
        rank = ids.index(q.article) + 1 if q.article in ids else None
        outcomes.append(Outcome(q, answer, rank, sum(answer.timings_ms.values())))
    return outcomes


def summarise(outcomes: list[Outcome]) -> dict:
    """The metrics of DESIGN.md, over all questions and per language."""
    summary = _metrics(outcomes)
    for lang in sorted({o.question.lang for o in outcomes}):
        summary.setdefault("by_lang", {})[lang] = _metrics(
            [o for o in outcomes if o.question.lang == lang]
        )
    return summary


def _metrics(outcomes: list[Outcome]) -> dict:
    answerable = [o for o in outcomes if o.question.article != NONE]
    unanswerable = [o for o in outcomes if o.question.article == NONE]
    ms = [o.ms for o in outcomes]
    return {
        "questions": len(outcomes),
        "recall@1": _mean(o.rank == 1 for o in answerable),
        "recall@5": _mean(o.rank is not None and o.rank <= 5 for o in answerable),
        "mrr": _mean(1 / o.rank if o.rank else 0.0 for o in answerable),
        "answer_in_first_quote": _mean(_in_quotes(o, first_only=True) for o in answerable),
        "answer_in_quotes": _mean(_in_quotes(o) for o in answerable),
        "answer_in_answer_or_first_quote": _mean(
            any(contains(o.answer.answer, g) for g in (o.question.answer, *o.question.also))
            or _in_quotes(o, first_only=True)
            for o in answerable
        ),
        # The answer's first line: the names, dates or figures it leads with, else its best quote.
        "answer_in_lead": _mean(_in_lead(o) for o in answerable),
        # How much the reader must read: long quotes contain the answer more often.
        "first_quote_chars": _median(
            len(o.answer.citations[0].quote) for o in answerable if o.answer.citations
        ),
        "false_abstain": _mean(o.answer.abstained for o in answerable),
        # Abstained because the closest quotes lack an asked word (qa/stated.py): part of the
        # false abstentions above, counted alone.
        "false_unstated": _mean(o.answer.unstated is not None for o in answerable),
        "abstain_correct": _mean(o.answer.abstained for o in unanswerable),
        # Unanswerable questions whose first line states a figure, date or name as the answer
        # (not a quote to read, not "the articles do not say"): confident and wrong.
        "unanswerable_keyed": _mean(_keyed(o) for o in unanswerable),
        # Answerable questions whose first line leads with a figure, date or name that is not
        # the answer (a quote leading as itself is none: it is there to be read).
        "wrong_key": _mean(_keyed(o) and not _in_lead(o) for o in answerable),
        "p50_ms": round(float(np.percentile(ms, 50)), 1) if ms else None,
        "p95_ms": round(float(np.percentile(ms, 95)), 1) if ms else None,
    }


def record(outcome: Outcome, to_json: Callable[[Answer], dict]) -> dict:
    """One `--out` line: the `ask --json` object with the question's id."""
    return {"id": outcome.question.id, **to_json(outcome.answer)}


def _in_quotes(outcome: Outcome, first_only: bool = False) -> bool:
    if outcome.answer.abstained or not outcome.answer.citations:
        return False
    quotes = [c.quote for c in outcome.answer.citations][: 1 if first_only else None]
    golds = (outcome.question.answer, *outcome.question.also)
    return any(contains(q, gold) for q in quotes for gold in golds)


def _keyed(outcome: Outcome) -> bool:
    """The answer leads with a key span (a figure, date or name), not a quote or an abstention."""
    answer = outcome.answer
    return not answer.abstained and bool(answer.citations) and bool(answer.citations[0].key)


def _in_lead(outcome: Outcome) -> bool:
    if outcome.answer.abstained:
        return False
    lead = outcome.answer.answer.split("\n", 1)[0]
    return any(contains(lead, gold) for gold in (outcome.question.answer, *outcome.question.also))


def contains(text: str, gold: str) -> bool:
    """Gold string in text, ignoring case and whitespace differences."""
    return bool(gold) and _norm(gold) in _norm(text)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _median(values: Iterable) -> float | None:
    values = list(values)
    return float(np.median(values)) if values else None


def _mean(values: Iterable) -> float | None:
    values = [float(v) for v in values]
    return round(sum(values) / len(values), 4) if values else None
