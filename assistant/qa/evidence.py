"""Pick the sentences inside retrieved chunks that answer a question, and the key span in them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from assistant.indexing.store import Index
from assistant.qa.question import Query
from assistant.qa.retrieval import Hit
from assistant.text.gloss import is_noun
from assistant.text.patterns import (
    DATE,
    NAME,
    NAME_PARTICLE,
    OLD_YEAR,
    PLACE,
    QUANTITY,
    TIME,
)
from assistant.text.sentences import Span, is_statement, sentence_spans
from assistant.text.words import fold_words, known, lexical_overlap, stems
from assistant.tuning import (
    KEY_BONUS,
    KEY_WORDS_BEFORE,
    MAX_QUOTE_CHARS,
    MIN_EVIDENCE_CHARS,
    OVERLAP_BONUS,
    TOP_CHUNKS,
)

# German nouns that take a "von" complement look like names when capitalised: "Reihe von
# Drohungen", "Erfinder von Hochgeschwindigkeitsmaschinen".
_NOUN_END = re.compile(r"(?:e|ung|heit|keit|schaft|tion|ität|nis|ismus|er|ern|daten)$")
_ARTICLES = {"der", "die", "das", "den", "dem", "des", "im", "am", "vom", "zum", "zur", "beim"}
# Words that never begin a name, capitalised at a sentence's start or not ("Am Tag", "von Riva").
_FUNCTION_WORDS = _ARTICLES | set(
    "ein eine einer einem einen in an auf aus bei mit nach von vor zu für über unter gegen "
    "seit als und oder aber auch noch nur so wie wo da dann durch um".split()
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


def find_key(sentence: str, query: Query) -> Span | None:
    """[start, end) of the first span in the sentence that fits the question type."""
    spans = key_candidates(sentence, query)
    return spans[0] if spans else None


def key_candidates(sentence: str, query: Query) -> list[Span]:
    """All spans of the wanted kind in a sentence: quantities (dates and times excluded), dates,
    names or places. A name, place or date made of the question's own words is not an answer
    ("Who won Super Bowl XLIX?" is not answered by "Super Bowl XLIX-Champion")."""
    kind = query.kind
    if kind == "quantity":
        blank = lambda m: "#" * len(m.group())  # noqa: E731 (the offsets must not move)
        masked = OLD_YEAR.sub(blank, DATE.sub(blank, TIME.sub(blank, sentence)))
        return [_trim(sentence, *m.span()) for m in QUANTITY.finditer(masked)]
    if kind == "date":
        spans = [Span(*m.span()) for m in DATE.finditer(sentence)]
    elif kind == "person":  # a name has no digits ("Mi-17" is a helicopter)
        spans = [n for n in _names(sentence) if not re.search(r"\d", sentence[n.start : n.end])]
    elif kind == "place":
        # "bei Gefechten" is no place; "in der Provinz Aleppo" is Aleppo
        found = (_without_nouns(sentence, Span(*m.span("place"))) for m in PLACE.finditer(sentence))
        spans = [span for span in found if span]
    else:
        return []
    return [kept for span in spans if (kept := _without_echo(sentence, span, query.terms))]


def _names(sentence: str) -> list[Span]:
    """Spans that look like names of people or organisations."""
    spans = []
    for match in NAME.finditer(sentence):
        start, end = match.span()
        head, *rest = re.split(rf" {NAME_PARTICLE} ", match.group(), maxsplit=1)
        if rest and " " not in head and _NOUN_END.search(head):  # "Reihe von Drohungen"
            if len(rest[0].split()) >= 2:  # "Übersetzung von John C. Messenger"
                spans.append(Span(end - len(rest[0]), end))
            continue
        before = sentence[:start].split()[-1:]
        if before and before[0].lower() in _ARTICLES and head.split()[0].endswith("en"):
            continue  # an adjective: "der Deutschen Demokratischen Republik"
        if named := _without_nouns(sentence, Span(start, end)):
            spans.append(named)
    return spans


def _without_nouns(sentence: str, span: Span) -> Span | None:
    """A name or place without the dictionary nouns and function words in front ("Präsident
    Wolodymyr Selenskyj" gives "Wolodymyr Selenskyj", "Am Tag" nothing); None when every word
    is one ("Militär Gelände")."""
    start, end = span
    for word in sentence[start:end].split():
        if not is_noun(word.rstrip(".,")) and word.lower() not in _FUNCTION_WORDS:
            return Span(start, end)
        start += len(word) + 1
    return None


def _without_echo(sentence: str, span: Span, terms: frozenset[str]) -> Span | None:
    """The span without the question's words in front ("ISW-Analyst George Barros" for
    "Who is the ISW analyst …?" gives "George Barros"); None if half of it is the question's."""
    start, end = span
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", sentence[start:end])]
    prefixes = stems(terms)
    echoes = [_is_echo(sentence[a:b], terms, prefixes) for a, b in words]
    if not words or sum(echoes) >= len(words) / 2:
        return None
    first = echoes.index(False)
    while first < len(words) and sentence[slice(*words[first])].lower() in _FUNCTION_WORDS:
        first += 1  # "Geralt von Riva" for "Who plays Geralt …" leaves no "von Riva"
    return Span(words[first][0], end) if first < len(words) else None


def _is_echo(word: str, terms: frozenset[str], prefixes: set[str]) -> bool:
    """A word (or half of a compound's parts) that the question contains, or an inflection of
    a short one ("Bowls" for "Super Bowl", "Tages" for "Tag")."""
    parts = fold_words(word).split()
    echoes = sum(known(p, terms, prefixes) or _inflects(p, terms) for p in parts)
    return not parts or echoes >= len(parts) / 2


def _inflects(word: str, terms: frozenset[str]) -> bool:
    return any(word[: -len(e)] in terms for e in ("s", "es", "n", "en") if word.endswith(e))


_CLAUSE_END = re.compile(r"[,;:.!?]|\s(?:sowie|und|aber|während|and|but|while)\s")


def key_context(sentence: str, start: int, end: int, words_before: int = KEY_WORDS_BEFORE) -> str:
    """The key span with its clause: a few words before it and the rest up to a clause break.

    "knapp 50 schwere Haubitzen" becomes "sollen in knapp 50 schwere Haubitzen auf
    Selbstfahrlafetten aus nordkoreanischer Produktion", which tells what is counted.
    """
    left = sentence[:start].rstrip()
    cut = max(left.rfind(","), left.rfind(";"))
    before = left[cut + 1 :].split()[-words_before:] if words_before else []
    stop = _CLAUSE_END.search(sentence, end)
    after = sentence[end : stop.start() if stop else len(sentence)]
    return " ".join(before + [sentence[start:end] + after]).strip()


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


def _trim(sentence: str, start: int, end: int) -> Span:
    """Strip trailing spaces and punctuation from a key span."""
    while end > start and not sentence[end - 1].isalnum():
        end -= 1
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
