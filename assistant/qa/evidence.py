"""Pick the sentences inside retrieved chunks that answer a question, each with its key span
(qa/keys.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from assistant.indexing.store import Index
from assistant.qa.keys import find_key
from assistant.qa.question import Query
from assistant.qa.retrieval import Hit
from assistant.text.sentences import Span, is_statement, sentence_spans
from assistant.text.words import lexical_overlap
from assistant.tuning import (
    KEY_BONUS,
    MAX_QUOTE_CHARS,
    MIN_EVIDENCE_CHARS,
    OVERLAP_BONUS,
    TOP_CHUNKS,
)


@dataclass(frozen=True)
class Evidence:
    article_id: str
    start: int
    end: int
    score: float
    key_start: int | None = None  # the span that answers (a number, a date), if found
    key_end: int | None = None


def select(
    index: Index, query: Query, hits: list[Hit], top_chunks: int = TOP_CHUNKS
) -> list[Evidence]:
    """Candidate quotes from the best chunks, best first; each at most MAX_QUOTE_CHARS long.

    A chunk of two or more sentences in one paragraph is quoted whole: it is the unit the
    question matched, and an English question cannot tell its German sentences apart (on
    XQuAD-de the answer was in the first quote for 0.714 of English questions against 0.630
    when each sentence was a candidate). Other chunks give one candidate per sentence.
    """
    best: dict[tuple[str, int], Evidence] = {}
    for hit in hits[:top_chunks]:
        article = index.articles[hit.chunk.article_id]
        for (start, end), key in _candidates(article.text, hit, query):
            quoted = article.text[start:end]
            score = hit.score + OVERLAP_BONUS * lexical_overlap(query.terms, quoted)
            score += KEY_BONUS if key else 0.0
            start, end = _fit(article.text, start, end, key)
            candidate = _with_key(article.text, Evidence(article.id, start, end, score), query)
            slot = (article.id, start)
            if slot not in best or best[slot].score < score:
                best[slot] = candidate
    return sorted(best.values(), key=lambda e: -e.score)


def _candidates(text: str, hit: Hit, query: Query) -> list[tuple[Span, Span | None]]:
    """(quote, key found in it by itself) of each quote a chunk offers."""
    spans = _spans(text)
    inside = [
        (i, s, e)
        for i, (s, e) in enumerate(spans)
        if e > hit.chunk.start and s < hit.chunk.end and _is_evidence(text[s:e])
    ]  # headings, captions, bylines and questions are not evidence
    if len(inside) >= 2:
        lo, hi = inside[0][1], inside[-1][2]
        if hi - lo <= MAX_QUOTE_CHARS and "\n" not in text[lo:hi]:
            return [(Span(lo, hi), find_key(text[lo:hi], query))]
    result = []
    for i, start, end in inside:
        key = find_key(text[start:end], query)
        quote = Span(start, end)
        if key is None and query.kind is not None:  # the neighbour's key earns no bonus
            quote = _with_neighbour(text, spans, i, query)
        result.append((quote, key))
    return result


def _is_evidence(sentence: str) -> bool:
    return (
        is_statement(sentence)
        and len(sentence) >= MIN_EVIDENCE_CHARS
        and not sentence.endswith("?")
    )


@lru_cache(maxsize=8192)
def _spans(text: str) -> tuple[Span, ...]:
    return tuple(sentence_spans(text))


def _with_neighbour(text: str, spans: tuple[Span, ...], i: int, query: Query) -> Span:
    """The sentence with the next (else the previous) one when only that holds a key of the
    question's type ("Kuechly …" + "He had 118 tackles"): two sentences of one paragraph."""
    start, end = spans[i]
    for j in (i + 1, i - 1):
        if not 0 <= j < len(spans):
            continue
        lo, hi = min(start, spans[j][0]), max(end, spans[j][1])
        if (
            hi - lo <= MAX_QUOTE_CHARS
            and "\n" not in text[lo:hi]
            and find_key(text[spans[j][0] : spans[j][1]], query)
        ):
            return Span(lo, hi)
    return Span(start, end)


def _fit(text: str, start: int, end: int, key: Span | None) -> Span:
    """Shorten a sentence longer than MAX_QUOTE_CHARS to a window around its key span."""
    if end - start <= MAX_QUOTE_CHARS:
        return Span(start, end)
    center = start + (key.start if key else 0)
    lo = max(start, center - MAX_QUOTE_CHARS // 3)
    hi = min(end, lo + MAX_QUOTE_CHARS)
    lo = text.find(" ", lo, center) + 1 if lo > start and text.find(" ", lo, center) >= 0 else lo
    hi = text.rfind(" ", lo, hi) if hi < end and text.rfind(" ", lo, hi) > lo else hi
    return Span(lo, hi)


def _with_key(text: str, evidence: Evidence, query: Query) -> Evidence:
    """Attach the key span (article offsets) found inside the evidence's quote."""
    key = find_key(text[evidence.start : evidence.end], query)
    if key is None:
        return Evidence(evidence.article_id, evidence.start, evidence.end, evidence.score)
    return Evidence(
        evidence.article_id, evidence.start, evidence.end, evidence.score,
        evidence.start + key.start, evidence.start + key.end,
    )  # fmt: skip
