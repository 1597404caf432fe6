"""Turn ranked evidence into an Answer with numbered, verbatim Citations, or an abstention."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Lead:
    """An answer's first line: the key span of each keyed quote, or (no key) the best quote."""

    citations: list[Citation]  # the keyed citations, or the first one alone
    keyed: bool  # False: the line is the best quote itself
    dated: bool  # the keyed quotes come from different dates, so each shows its own


def lead(citations: list[Citation]) -> Lead:
    """The first line of an answer with these citations (best first)."""
    if not citations[0].key:
        return Lead(citations[:1], keyed=False, dated=False)
    keyed = [c for c in citations if c.key]
    return Lead(keyed, keyed=True, dated=len({c.date for c in keyed}) > 1)


def answer_text(citations: list[Citation]) -> str:
    """First line: the key fact (or the best quote) with its citation; then every quote, cited."""
    first = lead(citations)
    if first.keyed:
        line = "; ".join(
            f"{c.key} [{c.n}]" + (f" ({c.date})" if first.dated else "") for c in first.citations
        )
    else:
        line = f"„{citations[0].quote}“ [1]"
    lines = [line, ""] + [f"[{c.n}] „{c.quote}“ — {source_line(c)}" for c in citations]
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
