"""An LLM writes the answer from the extractive answer's passages; verified, else extractive."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace

from assistant import logs
from assistant.errors import LLMError
from assistant.indexing.store import Index
from assistant.llm import client as llm
from assistant.llm import prompt, verify
from assistant.qa.answer import Answer, Citation

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Draft:
    text: str  # the LLM's text so far, unverified
    answer: Answer | None = None  # on the last draft only: the verified or the fallback answer


def stream(extractive: Answer, index: Index, settings: llm.LLMSettings) -> Iterator[Draft]:
    """Drafts while the LLM writes, then one with the checked answer (or the extractive one).

    An abstention stays an abstention: the LLM is not asked when the evidence does not
    answer the question, since it would be asked to write from passages that do not answer.
    """
    if extractive.abstained:
        yield Draft("", replace(extractive, notice="The LLM was not asked: no passage answers."))
        return
    items = prompt.passages(index, extractive.citations)
    started, text = time.perf_counter(), ""
    try:
        for piece in llm.stream_chat(settings, prompt.messages(extractive.question, items)):
            text += piece
            yield Draft(text)
        if not text.strip():
            raise LLMError("empty output")
        checked = verify.check(text, items)
        if not checked.cited:
            raise LLMError("its answer cites none of the passages")
    except LLMError as err:
        logs.event(logger, "error", logging.WARNING, action="llm", kind=type(err).__name__,
                   message=str(err), base_url=settings.base_url)  # fmt: skip
        yield Draft(text, fallback(extractive, settings, err))
        return
    ms = (time.perf_counter() - started) * 1000
    yield Draft(text, compose(extractive, index, items, checked, settings, ms))


def write(extractive: Answer, index: Index, settings: llm.LLMSettings) -> Answer:
    """The final answer of stream(), without the drafts."""
    for draft in stream(extractive, index, settings):
        if draft.answer is not None:
            return draft.answer
    raise AssertionError("stream() always ends with an answer")


def fallback(extractive: Answer, settings: llm.LLMSettings, err: LLMError) -> Answer:
    """The extractive answer, with a notice saying why the LLM's is not shown."""
    notice = f"⚠️ The LLM at {settings.base_url} failed ({err}); showing the extractive answer."
    return replace(extractive, notice=notice)


def compose(
    extractive: Answer,
    index: Index,
    items: list[prompt.Passage],
    checked: verify.Checked,
    settings: llm.LLMSettings,
    ms: float,
) -> Answer:
    """The LLM's checked text with one citation per quote, and one per passage cited without."""
    by_n = {p.n: p for p in items}
    citations = []
    for q in checked.quotes:
        if q.n in by_n:
            citations.append(_citation(index, extractive, by_n[q.n], q))
    quoted = {c.n for c in citations}
    for n in checked.cited:
        if n not in quoted:  # a claim cited [n] without a quote: the passage is its source
            p = by_n[n]
            whole = verify.Quote(p.text, n, True, p.start, p.end, p.article_id)
            citations.append(_citation(index, extractive, p, whole))
    citations.sort(key=lambda c: c.n)  # stable: quotes of one passage keep their order
    timings = {**extractive.timings_ms, "llm": round(ms, 2)}
    return Answer(
        extractive.question, checked.text, False, citations, extractive.retrieved, timings,
        answerer=settings.describe(), notice=_problems(checked),
        follow_up_of=extractive.follow_up_of,
    )  # fmt: skip


def _citation(index: Index, extractive: Answer, p: prompt.Passage, q: verify.Quote) -> Citation:
    article = index.articles[p.article_id]
    scores = [
        c.score
        for c in extractive.citations
        if c.article_id == p.article_id and p.start <= c.start < p.end
    ]
    if q.verified:  # the verbatim article span, whatever quotation marks the LLM used
        quote, start, end = article.text[q.start : q.end], q.start, q.end
    else:
        quote, start, end = q.text, p.start, p.end
    return Citation(
        n=p.n, article_id=article.id, title=article.title, date=article.date, quote=quote,
        start=start, end=end, score=max(scores, default=0.0), verified=q.verified,
        month_day=article.month_day,
    )  # fmt: skip


def _problems(checked: verify.Checked) -> str | None:
    """One line on what verification marked, or None when every quote and citation holds."""
    unverified = sum(not q.verified for q in checked.quotes)
    parts = []
    if unverified:
        parts.append(f"{unverified} quote(s) not found verbatim in the passage cited")
    if checked.unknown:
        missing = ", ".join(f"[{n}]" for n in checked.unknown)
        parts.append(f"citations of passages that do not exist: {missing}")
    if checked.uncited:
        parts.append(f"{len(checked.uncited)} sentence(s) without a citation")
    return f"⚠️ Marked in the answer: {'; '.join(parts)}." if parts else None
