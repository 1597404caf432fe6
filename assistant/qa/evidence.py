"""Pick the sentences inside retrieved chunks that answer a question, and the key span in them."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache

from assistant.indexing import lexical
from assistant.indexing.store import Index
from assistant.ingest.chunking import is_statement, sentence_spans
from assistant.qa.retrieval import Hit
from assistant.text import dictionary
from assistant.text.language import is_german

MAX_QUOTE_CHARS = 400

_MONTH = (
    r"(?:Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|"
    r"Dezember|January|February|March|June|July|October|December)"
)
DATE = re.compile(
    rf"\b\d{{1,2}}\.\s?{_MONTH}(?:\s\d{{4}})?|\b\d{{1,2}}\.\d{{1,2}}\.(?:\d{{4}}|\d{{2}})\b"
    rf"|\b(?:(?:im|seit|bis|Anfang|Ende|Mitte)\s)?{_MONTH}(?:\s(?:19|20)\d{{2}})?"
    r"|\b(?:19|20)\d{2}\b"
)
_TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_NUMBER_WORDS = (
    r"(?:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|hundert|"
    r"tausend|Hunderte|Tausende|Zehntausende|Dutzende|Millionen|two|three|four|five|six|seven|"
    r"eight|nine|ten|twelve|twenty|hundreds|thousands|dozens)"
)
_QUALIFIER = (
    r"(?:über|mehr als|rund|etwa|knapp|bis zu|fast|ca\.|circa|gut|weniger als|mindestens|"
    r"höchstens|nur|bereits|insgesamt|more than|about|around|nearly|up to|over|at least)"
)
QUANTITY = re.compile(
    rf"(?:\b{_QUALIFIER}\s)?(?:\b\d{{1,3}}(?:\.\d{{3}})+|\b\d+(?:,\d+)?|\b{_NUMBER_WORDS}\b)"
    r"(?:\s(?:Millionen|Milliarden|Mio\.|Mrd\.|Prozent|%))?"
    r"(?:\s[a-zäöüß-]+){0,2}(?:\s[A-ZÄÖÜ][\wäöüß-]*)?",
)
# Two or more capitalised words or initials in a row, not first in the sentence, with name
# particles inside: "Kim Yong Bok", "William E. Simon", "Lothar de Maizière", "Omar al-Bashir".
_WORD = r"[A-ZÄÖÜ][\wäöüß'-]+"
_INITIAL = r"[A-Z]\."
_OF = r"(?:von der|von|van der|van|de|da|di)"
NAME = re.compile(
    rf"(?<=[\w,;:] )(?:{_INITIAL} )*{_WORD}(?: (?:{_INITIAL} )*(?:{_OF} )?(?:al-|el-)?{_WORD})+"
)
# German nouns that take a "von" complement look like names when capitalised: "Reihe von
# Drohungen", "Erfinder von Hochgeschwindigkeitsmaschinen".
_NOUN_END = re.compile(r"(?:e|ung|heit|keit|schaft|tion|ität|nis|ismus|er|ern|daten)$")
_ARTICLES = {"der", "die", "das", "den", "dem", "des", "im", "am", "vom", "zum", "zur", "beim"}
# A capitalised name after a place preposition: "bei Pokrowsk", "in Washington", "nach Kursk".
PLACE = re.compile(
    r"\b(?:in|bei|nach|aus|im|nahe|um|von|vor|Richtung|nördlich|südlich|westlich|östlich) "
    rf"(?:(?:der|dem|den|die) )?(?P<place>{_WORD}(?: (?!Richtung\b){_WORD})?)"
)
_QUESTION_TYPES = {
    "quantity": re.compile(r"\b(how (many|much)|wie ?viele?|wieviele?|number of|anzahl)\b", re.I),
    "date": re.compile(r"\b(when|wann|what (date|day|year)|seit wann|an welchem tag)\b", re.I),
    "person": re.compile(r"\b(who|whom|wer|wem|wen)\b", re.I),
    "place": re.compile(r"\b(where|wo|wohin|woher|in which (city|town|country|region))\b", re.I),
}
_STOPWORDS = set(
    "the a an of in on at to for is are was were be been by with and or what which who whom "
    "how many much when where why does did do has have had there their its it this that near "
    "reported der die das den dem des ein eine einer eines einem und oder ist sind war waren "
    "wird werden wurde wie viele was wer wo wann warum welche welcher welches im in am an auf "
    "bei mit von zu zum zur für nach über unter es sie er sich nicht auch noch so".split()
)


@dataclass(frozen=True)
class Evidence:
    article_id: str
    start: int
    end: int
    score: float
    key_start: int | None = None  # the span that answers (a number, a date), if found
    key_end: int | None = None


@dataclass(frozen=True)
class Asked:
    """What a question asks for: the kind of answer, and its own words, which never are it."""

    kind: str | None  # "quantity", "date", "person", "place" or None
    terms: frozenset[str] = frozenset()


def asked(question: str) -> Asked:
    """The kind of answer a question wants and its content words; an English question's words
    come with their German translations, which the articles use."""
    terms = content_terms(question)
    if not is_german(question):
        terms |= {
            part for t in dictionary.translate(question) for g in t.german for part in g.split("-")
        }
    return Asked(question_type(question), frozenset(terms))


def question_type(question: str) -> str | None:
    """'quantity', 'date', 'person', 'place' or None for other questions."""
    for name, pattern in _QUESTION_TYPES.items():
        if pattern.search(question):
            return name
    return None


def select(index: Index, wanted: Asked, hits: list[Hit], top_chunks: int = 6) -> list[Evidence]:
    """Candidate quotes from the best chunks, best first; each at most MAX_QUOTE_CHARS long.

    A chunk of two or more sentences in one paragraph is quoted whole: it is the unit the
    question matched, and an English question cannot tell its German sentences apart (on
    XQuAD-de the answer was in the first quote for 0.714 of English questions against 0.630
    when each sentence was a candidate). Other chunks give one candidate per sentence.
    """
    best: dict[tuple[str, int], Evidence] = {}
    for hit in hits[:top_chunks]:
        article = index.articles[hit.chunk.article_id]
        for start, end, key in _candidates(article.text, hit, wanted):
            quoted = article.text[start:end]
            score = hit.score + 0.02 * lexical_overlap(wanted.terms, quoted) + (0.02 if key else 0)
            start, end = _fit(article.text, start, end, key)
            candidate = _with_key(article.text, Evidence(article.id, start, end, score), wanted)
            slot = (article.id, start)
            if slot not in best or best[slot].score < score:
                best[slot] = candidate
    return sorted(best.values(), key=lambda e: -e.score)


def _candidates(text: str, hit: Hit, wanted: Asked) -> list[tuple[int, int, tuple | None]]:
    """(start, end, key found by itself) of the quotes a chunk offers."""
    spans = _spans(text)
    inside = [
        (i, s, e)
        for i, (s, e) in enumerate(spans)
        if e > hit.chunk.start and s < hit.chunk.end and _is_evidence(text[s:e])
    ]  # headings, captions, bylines and questions are not evidence
    if len(inside) >= 2:
        lo, hi = inside[0][1], inside[-1][2]
        if hi - lo <= MAX_QUOTE_CHARS and "\n" not in text[lo:hi]:
            return [(lo, hi, find_key(text[lo:hi], wanted))]
    result = []
    for i, start, end in inside:
        key = find_key(text[start:end], wanted)
        if key is None and wanted.kind is not None:  # the neighbour's key earns no bonus
            start, end = _with_neighbour(text, spans, i, wanted)
        result.append((start, end, key))
    return result


def _is_evidence(sentence: str) -> bool:
    return is_statement(sentence) and len(sentence) >= 25 and not sentence.endswith("?")


def find_key(sentence: str, wanted: Asked) -> tuple[int, int] | None:
    """[start, end) of the first span in the sentence that fits the question type."""
    spans = key_candidates(sentence, wanted)
    return spans[0] if spans else None


def key_candidates(sentence: str, wanted: Asked) -> list[tuple[int, int]]:
    """All spans of the wanted kind in a sentence: quantities (dates and times excluded), dates,
    names or places. A name, place or date made of the question's own words is not an answer
    ("Who won Super Bowl XLIX?" is not answered by "Super Bowl XLIX-Champion")."""
    kind = wanted.kind
    if kind == "quantity":
        masked = DATE.sub(lambda m: "#" * len(m.group()), _TIME.sub(lambda m: "#" * 5, sentence))
        return [_trim(sentence, *m.span()) for m in QUANTITY.finditer(masked)]
    if kind == "date":
        spans = [m.span() for m in DATE.finditer(sentence)]
    elif kind == "person":
        spans = _names(sentence)
    elif kind == "place":
        spans = [m.span("place") for m in PLACE.finditer(sentence)]
    else:
        return []
    return [kept for span in spans if (kept := _without_echo(sentence, span, wanted.terms))]


def counts_asked(text: str, evidence: Evidence, wanted: Asked) -> bool:
    """The evidence's quantity names what the question counts: "über 10.000 nordkoreanische
    Kämpfer" for "How many North Korean soldiers …", not "bis zu 12.000 Mann" for "Wie viele
    Mehrfachraketenwerfer …"."""
    if wanted.kind != "quantity" or evidence.key_start is None:
        return False
    words = fold(text[evidence.key_start : evidence.key_end]).split()
    stems = _stems(wanted.terms)
    return any(_known(w, wanted.terms, stems) for w in words if not w.isdigit())


def _names(sentence: str) -> list[tuple[int, int]]:
    """Spans that look like names of people or organisations."""
    spans = []
    for match in NAME.finditer(sentence):
        start, end = match.span()
        head, *rest = re.split(rf" {_OF} ", match.group(), maxsplit=1)
        if rest and " " not in head and _NOUN_END.search(head):  # "Reihe von Drohungen"
            if len(rest[0].split()) >= 2:  # "Übersetzung von John C. Messenger"
                spans.append((end - len(rest[0]), end))
            continue
        before = sentence[:start].split()[-1:]
        if before and before[0].lower() in _ARTICLES and head.split()[0].endswith("en"):
            continue  # an adjective: "der Deutschen Demokratischen Republik"
        spans.append((start, end))
    return spans


def _without_echo(
    sentence: str, span: tuple[int, int], terms: frozenset[str]
) -> tuple[int, int] | None:
    """The span without the question's words in front ("ISW-Analyst George Barros" for
    "Who is the ISW analyst …?" gives "George Barros"); None if half of it is the question's."""
    start, end = span
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", sentence[start:end])]
    stems = _stems(terms)
    echoes = [_is_echo(sentence[a:b], terms, stems) for a, b in words]
    if not words or sum(echoes) >= len(words) / 2:
        return None
    return words[echoes.index(False)][0], end


def _is_echo(word: str, terms: frozenset[str], stems: set[str]) -> bool:
    """A word (or half of a compound's parts) that the question contains."""
    parts = fold(word).split()
    return not parts or sum(_known(p, terms, stems) for p in parts) >= len(parts) / 2


_CLAUSE_END = re.compile(r"[,;:.!?]|\s(?:sowie|und|aber|während|and|but|while)\s")


def key_context(sentence: str, start: int, end: int, words_before: int = 2) -> str:
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


def content_terms(text: str) -> set[str]:
    """Folded words of a text without stopwords."""
    return {w for w in fold(text).split() if w not in _STOPWORDS and len(w) > 2}


def lexical_overlap(terms: set[str], sentence: str) -> float:
    """Share of question terms found in the sentence (prefix match of five letters counts)."""
    if not terms:
        return 0.0
    words = content_terms(sentence)
    stems = _stems(words)
    return sum(_known(t, words, stems) for t in terms) / len(terms)


def _stems(words: Iterable[str]) -> set[str]:
    return {w[:5] for w in words if len(w) >= 5}


def _known(word: str, words: Collection[str], stems: set[str]) -> bool:
    """The word is among the words, or shares its first five letters with one of them."""
    return word in words or (len(word) >= 5 and word[:5] in stems)


def fold(text: str) -> str:
    """Lowercase, umlauts and accents folded (as in BM25), punctuation to spaces."""
    return re.sub(r"[^\w]+", " ", lexical.fold(text))


@lru_cache(maxsize=8192)
def _spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple(sentence_spans(text))


def _with_neighbour(
    text: str, spans: tuple[tuple[int, int], ...], i: int, wanted: Asked
) -> tuple[int, int]:
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
            and find_key(text[spans[j][0] : spans[j][1]], wanted)
        ):
            return lo, hi
    return start, end


def _trim(sentence: str, start: int, end: int) -> tuple[int, int]:
    """Strip trailing spaces and punctuation from a key span."""
    while end > start and not sentence[end - 1].isalnum():
        end -= 1
    return start, end


def _fit(text: str, start: int, end: int, key: tuple[int, int] | None) -> tuple[int, int]:
    """Shorten a sentence longer than MAX_QUOTE_CHARS to a window around its key span."""
    if end - start <= MAX_QUOTE_CHARS:
        return start, end
    center = start + (key[0] if key else 0)
    lo = max(start, center - MAX_QUOTE_CHARS // 3)
    hi = min(end, lo + MAX_QUOTE_CHARS)
    lo = text.find(" ", lo, center) + 1 if lo > start and text.find(" ", lo, center) >= 0 else lo
    hi = text.rfind(" ", lo, hi) if hi < end and text.rfind(" ", lo, hi) > lo else hi
    return lo, hi


def _with_key(text: str, evidence: Evidence, wanted: Asked) -> Evidence:
    """Attach the key span (article offsets) found inside the evidence's quote."""
    key = find_key(text[evidence.start : evidence.end], wanted)
    if key is None:
        return Evidence(evidence.article_id, evidence.start, evidence.end, evidence.score)
    return Evidence(
        evidence.article_id, evidence.start, evidence.end, evidence.score,
        evidence.start + key[0], evidence.start + key[1],
    )  # fmt: skip
