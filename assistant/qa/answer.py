"""Turn ranked evidence into an Answer with numbered, verbatim Citations, or an abstention."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.indexing.store import Index
from assistant.qa.citation import Citation
from assistant.qa.evidence import Evidence
from assistant.qa.lead import abstention_text, answer_text
from assistant.qa.retrieval import RetrievedArticle
from assistant.text.dates import newest_first as by_date

__all__ = ["EXTRACTIVE", "Answer", "Citation", "compose"]

EXTRACTIVE = "extractive"  # Answer.answerer of answers composed from quotes alone


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
    # An abstention whose closest passages match the question's topic but not the part it asks
    # about (qa/stated.py): that part, in the question's words ("wounded").
    unstated: str | None = None
    unstated_figure: bool = False  # ... the passages hold figures, but none counts it
    german: bool = True  # the question's language, which the answer's own words follow
    # For an English question: German nouns → the question's own word for them, which the
    # English glosses use ("Panzern" is "tanks" to "How many tanks …"; text/gloss.py).
    glossary: dict[str, str] = field(default_factory=dict)


def compose(
    question: str,
    index: Index,
    evidence: list[Evidence],
    chosen: list[Evidence],
    retrieved: list[RetrievedArticle],
    newest_first: bool = False,
    german: bool = True,
    unstated: str | None = None,
    glossary: dict[str, str] | None = None,
    unstated_figure: bool = False,
) -> Answer:
    """Lead with the key fact, then quote [1], [2] …; with nothing chosen, abstain. unstated:
    the chosen quotes match the topic but not the asked part, so they are shown as closest
    (unstated_figure: their figures count another thing than the asked part)."""
    if not chosen or unstated:
        closest = _citations(index, chosen[:2] if unstated else evidence[:2], keys=False)
        text = abstention_text(german, unstated, bool(closest), unstated_figure)
        return Answer(
            question, text, True, closest, retrieved, unstated=unstated,
            unstated_figure=bool(unstated) and unstated_figure, german=german,
        )  # fmt: skip
    if newest_first:
        # Figures change over time: the newest report leads, older ones follow with their dates;
        # a date without its year cannot be placed, so it follows the dated ones.
        chosen = sorted(
            chosen,
            key=lambda e: by_date(
                index.articles[e.article_id].date, index.articles[e.article_id].month_day
            ),
            reverse=True,
        )
    citations = _citations(index, chosen)
    glossary = glossary or {}
    text = answer_text(citations, german, glossary)
    return Answer(question, text, False, citations, retrieved, german=german, glossary=glossary)


def _citations(index: Index, evidence: list[Evidence], keys: bool = True) -> list[Citation]:
    """Numbered citations; keys=False: no key span (closest passages answer nothing)."""
    citations = []
    for n, e in enumerate(evidence, start=1):
        article = index.articles[e.article_id]
        keyed = keys and e.key_start is not None
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
                key=article.text[e.key_start : e.key_end] if keyed else None,
                month_day=article.month_day,
            )
        )
    return citations
