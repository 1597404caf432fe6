"""Turn ranked evidence into an Answer with numbered, verbatim Citations, or an abstention."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from assistant.indexing.store import Index
from assistant.qa.evidence import Evidence
from assistant.qa.retrieval import RetrievedArticle

NOT_ANSWERED = "The articles do not say."
NOT_ANSWERED_CLOSEST = "The articles do not say. The closest passages, which do not answer it:"
EXTRACTIVE = "extractive"  # Answer.answerer of answers composed from quotes alone


@dataclass(frozen=True)
class Citation:
    n: int
    article_id: str
    title: str
    date: str | None
    quote: str  # == article.text[start:end]
    start: int
    end: int
    score: float
    key: str | None = None  # the part of the quote that answers (a number, a date)
    # False: an LLM's quote that is not verbatim in the passage it cites; then quote is the
    # LLM's text and start/end are that passage's bounds. Extractive quotes are verbatim.
    verified: bool = True


@dataclass(frozen=True)
class Answer:
    question: str
    answer: str
    abstained: bool
    citations: list[Citation]
    retrieved: list[RetrievedArticle]
    timings_ms: dict[str, float] = field(default_factory=dict)
    answerer: str = EXTRACTIVE  # or "llm <model> at <base_url>" (assistant/writer.py)
    notice: str | None = None  # e.g. why the LLM's answer was not used
    follow_up_of: str | None = None  # a follow-up: the earlier turns it was searched with


def choose(
    evidence: list[Evidence],
    min_score: float,
    max_quotes: int = 3,
    quote_margin: float = 0.04,
    same_count: Callable[[Evidence], bool] | None = None,
    other_count_margin: float = 0.06,
) -> list[Evidence]:
    """The quotes to show: those close to the best one; empty when the best is below min_score.

    same_count tells a quote whose figure counts what the question counts: when the best quote
    holds a figure, such a quote from another article may be further behind
    (other_count_margin), so that where articles disagree ("bis zu 12.000 Mann" in one, "über
    10.000 nordkoreanische Kämpfer" in the other) both figures are shown.
    """
    if not evidence or evidence[0].score < min_score:
        return []
    best = evidence[0].score
    shown = [e for e in evidence if e.score >= best - quote_margin]
    if same_count is not None and evidence[0].key_start is not None:
        cited = {e.article_id for e in shown}
        for e in evidence:
            if e.score < best - other_count_margin:
                break
            if e.article_id not in cited and same_count(e):
                shown.append(e)
                cited.add(e.article_id)
    return sorted(shown, key=lambda e: -e.score)[:max_quotes]


def compose(
    question: str,
    index: Index,
    evidence: list[Evidence],
    chosen: list[Evidence],
    retrieved: list[RetrievedArticle],
    newest_first: bool = False,
) -> Answer:
    """Lead with the key fact, then quote [1], [2] …; with nothing chosen, abstain."""
    if not chosen:
        closest = _citations(index, evidence[:2])
        text = NOT_ANSWERED_CLOSEST if closest else NOT_ANSWERED
        return Answer(question, text, True, closest, retrieved)
    if newest_first:
        # Figures change over time: the newest report leads, older ones follow with their dates.
        chosen = sorted(chosen, key=lambda e: index.articles[e.article_id].date or "", reverse=True)
    citations = _citations(index, chosen)
    return Answer(question, answer_text(citations), False, citations, retrieved)


def answer_text(citations: list[Citation]) -> str:
    """First line: the key fact (or the best quote) with its citation; then every quote, cited."""
    first = citations[0]
    if not first.key:
        lead = f"„{first.quote}“ [1]"
    else:
        keyed = [c for c in citations if c.key]
        dated = len({c.date for c in keyed}) > 1
        lead = "; ".join(f"{c.key} [{c.n}]" + (f" ({c.date})" if dated else "") for c in keyed)
    lines = [lead, ""] + [f"[{c.n}] „{c.quote}“ — {source_line(c)}" for c in citations]
    return "\n".join(lines)


def source_line(citation: Citation) -> str:
    """title · date · article id."""
    return " · ".join([citation.title, citation.date or "undated", citation.article_id])


def _citations(index: Index, evidence: list[Evidence]) -> list[Citation]:
    citations = []
    for n, e in enumerate(evidence, start=1):
        article = index.articles[e.article_id]
        key = article.text[e.key_start : e.key_end] if e.key_start is not None else None
        citations.append(
            Citation(
                n=n,
                article_id=article.id,
                title=article.title,
                date=article.date,
                quote=article.text[e.start : e.end],
                start=e.start,
                end=e.end,
                score=round(e.score, 4),
                key=key,
            )
        )
    return citations
