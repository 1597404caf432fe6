"""The key span of a quote: the part that answers the question's kind (a figure for "how many",
a date for "when", a name for "who", a place for "where"), and the clause around it."""

from __future__ import annotations

import re

from assistant.qa import names
from assistant.qa.question import Query
from assistant.text.gloss import is_noun, is_place, lookup
from assistant.text.patterns import (
    CAPITALS,
    DATE,
    NAME_PARTICLE,
    OLD_YEAR,
    PLACE,
    PLACE_PREPOSITIONS,
    QUANTITY,
    TIME,
)
from assistant.text.sentences import Span
from assistant.text.words import fold, fold_words, known, stems
from assistant.tuning import KEY_WORDS_BEFORE

# What tells a name in a sentence is a place, not a person: a preposition of place right before
# it (PLACE_PREPOSITIONS), or a noun whose English is a kind of place ("Region Kursk", "Ort
# Kurachowe", "US-Hauptstadt Washington").
_PLACE_BEFORE = re.compile(rf"\b(?:{PLACE_PREPOSITIONS})(?: (?:der|dem|den|die))?\s*$")
_PLACE_NOUNS = {
    "region", "locality", "province", "town", "city", "capital", "village", "territory",
    "district", "community", "island", "seaport", "border town", "metropolis", "canton",
    "country", "administrative district",
}  # fmt: skip


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
    elif kind == "person":  # a name has no digits ("Mi-17" is a helicopter), nor is it a place
        spans = [
            n
            for n in names.find(sentence)
            if not re.search(r"\d", sentence[n.start : n.end])
            and not _is_place(sentence, n)
            and (names.asks_source(query) or not names.is_source(sentence, n))
        ]
    elif kind == "place":
        # "bei Gefechten" is no place; "in der Provinz Aleppo" is Aleppo
        spans = [span for m in PLACE.finditer(sentence) if (span := _place(sentence, m))]
    else:
        return []
    kept = [k for span in spans if (k := _without_echo(sentence, span, query.terms))]
    return kept if kind == "date" else [_with_alias(sentence, span) for span in kept]


# A name's other name in brackets right after it: "in Ogród Saski (Sächsischer Garten)".
_ALIAS = re.compile(r" \([A-ZÄÖÜ][^()\d]{0,40}\)")


def _with_alias(sentence: str, span: Span) -> Span:
    alias = _ALIAS.match(sentence, span.end)
    return Span(span.start, alias.end()) if alias and len(alias.group().split()) <= 4 else span


def _place(sentence: str, match: re.Match) -> Span | None:
    """The place after a preposition, without the nouns in front; after "von", "vor" or "um",
    which also precede other things, no compound noun the dictionary lacks ("Erfinder von
    Hochgeschwindigkeitsmaschinen"; "in der Höhenkammer" is a place)."""
    span = names.without_nouns(sentence, Span(*match.span("place")))
    if span and match.group().split()[0] in ("von", "vor", "um"):
        words = sentence[slice(*span)].split()
        return None if all(names.compound(w) and not is_place(w) for w in words) else span
    return span


def _is_place(sentence: str, span: Span) -> bool:
    """A name that is a place: of the dictionary's places ("Russland", "Moskaus") or a capital
    ("was Washington und Seoul bestreiten": the governments, no person), or after a preposition
    or a noun of place (_PLACE_BEFORE, _PLACE_NOUNS)."""
    words = [w.rstrip(".,") for w in sentence[span.start : span.end].split()]
    if all(is_place(w) or fold(w) in CAPITALS for w in words):
        return True
    before = sentence[: span.start]
    noun = before.split()[-1].split("-")[-1] if before.split() else ""
    return bool(_PLACE_BEFORE.search(before)) or lookup(noun, cased=True) in _PLACE_NOUNS


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
    if first and re.fullmatch(NAME_PARTICLE, sentence[slice(*words[first])]):
        return None  # "Geralt von Riva" is the question's "Geralt" by his full name
    while first < len(words) and sentence[slice(*words[first])].lower() in names.FUNCTION_WORDS:
        first += 1
    return Span(words[first][0], end) if first < len(words) else None


def introduced(sentence: str, span: Span, terms: frozenset[str]) -> bool:
    """The span follows a noun of the question that names what it is: "ISW-Analyst George
    Barros" for "Who is the ISW analyst?", "Generalstabschef Kim Yong Bok" for "… chief of the
    general staff?"; not "dem US-Sender CNN", nor a name ("Tesla Electric Light")."""
    before = sentence[: span.start].split()[-1:]
    word = before[0].strip(',.;:()"„“') if before else ""
    last = word.split("-")[-1]  # a noun or a compound ending in one ("Generalstabs-chef")
    noun = any(is_noun(last[i:].capitalize()) for i in range(max(1, len(last) - 3)))
    return noun and _is_echo(word, terms, stems(terms))


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


def _trim(sentence: str, start: int, end: int) -> Span:
    """Strip trailing spaces and punctuation from a key span."""
    while end > start and not sentence[end - 1].isalnum():
        end -= 1
    return Span(start, end)
