"""What a figure must be of, read from a counting or "how much" question: the thing counted
("How many North Korean soldiers were killed …" counts {"soldiers", "soldaten", …}), the nation
that narrows it ("North Korean"), the nation or country that did it ("has Ukraine lost"), and
money ("How much does it cost?"). Read once, by qa/question.py, into the Query; figures.py
checks a quote's figure against them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.text.dictionary import Term
from assistant.text.gloss import english_places, is_place, lookup
from assistant.text.words import fold

# The counted noun is the first plural after "how many" ("How many North Korean soldiers were
# …"), the first noun after "wie viele" ("Wie viele schwere Haubitzen …").
_COUNTING = re.compile(r"\b(?:how many|wie ?viele)\b\s*(.*)", re.IGNORECASE)
_ENGLISH_PLURAL = re.compile(r"^(?:[a-z]{2,}s|people|men|women|children|feet|teeth)$")
_WORD = re.compile(r"[^\W\d_][\w-]*")
_HOW_MUCH = re.compile(r"\b(?:how much|wie ?viel)\b", re.IGNORECASE)
# A question about money: its figure must be an amount ("How much does a Koksan howitzer cost?"
# is not answered by "bis zu 50 Kilometern"). German nouns capitalised: "zahlen" pays, "Zahlen"
# are numbers.
_MONEY = re.compile(
    r"\b(?:cost|costs|costing|price|prices|pay|pays|paid|paying|spend|spends|spent|money|budget"
    r"|worth|kosten|kostet|kostete|gekostet|zahlt|zahlen|zahlte|gezahlt|bezahlt|bezahlen"
    r"|ausgegeben|Kosten|Preis|Preise|Geld|Budget)\b"
)
# A German adjective of a nation ends so ("ukrainische", "deutschen"; is_nation, roles.py).
NATION_ENDING = re.compile(r"sch(?:e|en|er|es|em)?$")
# A place after one of these is where, not who: "near Pokrovsk", "nach Russland".
_PREPOSITIONS = frozenset(
    "in into near at to from of for by on with against around across toward towards between "
    "over through within im bei nach aus nahe um von vor zu zum zur gegen für mit über unter "
    "an am auf durch richtung".split()
)
_ARTICLES = frozenset("the der dem den die des".split())


@dataclass(frozen=True)
class Counting:
    """What a question asks a figure of (the Query's fields of the same names)."""

    counted: frozenset[str] | None = None  # the counted thing, folded, German included
    qualifiers: tuple[Term, ...] = ()  # the nation right before it ("North Korean")
    actors: tuple[Term, ...] = ()  # the nation or country that did it ("has Ukraine lost")
    counted_text: str | None = None  # the first of these as spelled ("Ukrainian soldiers")
    money: str | None = None  # "how much" asking for money: its word ("cost")


def read(text: str, german: bool, translations: Sequence[Term]) -> Counting:
    """The question's Counting: each of its parts from one reading of its words."""
    found = _split(text, german)
    if found is None:  # not "how many": at most "how much" money
        money = _MONEY.search(text) if _HOW_MUCH.search(text) else None
        return Counting(money=money.group() if money else None)
    words, before, elsewhere, countries = _nations(found, german, translations)
    return Counting(
        _counted(found[1], german, translations),
        _terms([words[i] for i in before], german, translations),
        _terms([words[i] for i in elsewhere + countries], german, translations),
        _counted_text(words, len(found[0]), before, elsewhere, countries),
    )


def counted(text: str, german: bool, translations: Sequence[Term]) -> frozenset[str] | None:
    """What a counting question counts, folded, with its German translations; None if it does
    not count ("how much", "when", …), empty if its noun is not found."""
    found = _split(text, german)
    return None if found is None else _counted(found[1], german, translations)


def _counted(noun: str | None, german: bool, translations: Sequence[Term]) -> frozenset[str]:
    if noun is None:
        return frozenset()
    if german:
        return frozenset({fold(noun)})
    forms = {fold(noun)} | {
        g for t in translations if fold(noun) in t.english.split() for g in t.german
    }
    return frozenset(part for g in forms for part in g.split("-") if len(part) > 2)


def _counted_text(
    words: list[str], noun: int, before: list[int], elsewhere: list[int], countries: list[int]
) -> str | None:
    """The nation a counting question counts by with the word it qualifies, as the question
    spells them ("Ukrainian soldiers", "russische Soldaten", "Ukrainian army", "Russian air
    strikes"), or the country that did it ("Ukraine"); None without."""
    if before:  # up to the counted noun
        return " ".join(words[before[0] : before[-1] + 2])
    if not (elsewhere or countries):
        return None
    first = last = min(elsewhere + countries)
    while last + 1 in elsewhere or last + 1 in countries:
        last += 1
    if first in countries:  # a country alone
        return " ".join(words[first : last + 1])
    return " ".join(words[first : noun + 1 if first < noun else last + 2])


def _terms(named: list[str], german: bool, translations: Sequence[Term]) -> tuple[Term, ...]:
    if german:
        return tuple(Term(fold(w), frozenset()) for w in named)
    folded = {fold(w) for w in named}
    found = [t for t in translations if set(t.english.split()) <= folded and t.english]
    covered = {w for t in found for w in t.english.split()}
    return tuple(found) + tuple(Term(w, frozenset()) for w in sorted(folded - covered))


def _nations(
    found: tuple[list[str], str | None, list[str]], german: bool, translations: Sequence[Term]
) -> tuple[list[str], list[int], list[int], list[int]]:
    """The words after "how many" (found: _split's parts), the positions of those right before
    the counted noun that name a nation or a name ("North Korean soldiers", "Taliban fighters"),
    of a nation's adjective elsewhere ("the Ukrainian army", "die ukrainische Armee"), and of a
    country not after a preposition (a place of the dictionary: "has Ukraine lost", "hat China
    … geschickt"); no positions where the counted noun is not found ("How many Huguenots
    fled …", "How many Grammy Award's does …")."""
    if found[1] is None:
        return found[0], [], [], []
    words = [*found[0], found[1], *found[2]]
    noun = len(found[0])
    if german:
        nations = [i for i, w in enumerate(words) if w[:1].islower() and is_nation(w)]
        countries = [
            i
            for i, w in enumerate(words)
            if i != noun and is_place(w) and not _after_place(words, i)
        ]
        return words, [i for i in nations if i < noun], [i for i in nations if i > noun], countries
    run = noun
    while run > 0 and words[run - 1][:1].isupper():
        run -= 1
    adjectives = {  # "ukrainisch", "deutsch"; not "syrien"
        part for t in translations if any(map(is_nation, t.german)) for part in t.english.split()
    }
    capitalised = {i for i, w in enumerate(words) if w[:1].isupper()}
    nations = {i for i in capitalised if fold(words[i]) in adjectives}
    # not in a name ("Josh Norman"): no other capitalised word beside it
    elsewhere = {i for i in nations if not ({i - 1, i + 1} & capitalised) - nations}
    adjacent = set(range(run, noun + 1))
    taken = adjacent | elsewhere
    countries = []
    for i in sorted(capitalised - taken):
        for n in (2, 1):  # "South Korea", "Ukraine"
            span = range(i, i + n)
            if set(span) <= capitalised - taken and " ".join(words[i : i + n]) in english_places():
                if not _after_place(words, i):
                    countries += span
                taken |= set(span)
                break
    return words, list(range(run, noun)), sorted(elsewhere - adjacent), countries


def _after_place(words: list[str], i: int) -> bool:
    """The word follows a preposition ("near Pokrovsk", "nach Russland", "in der Ukraine")."""
    before = [w.lower() for w in words[max(0, i - 2) : i]]
    if before and before[-1] in _ARTICLES:
        before = before[:-1]
    return bool(before) and before[-1] in _PREPOSITIONS


def _split(text: str, german: bool) -> tuple[list[str], str | None, list[str]] | None:
    """The words between "how many" and the counted noun, that noun (None if not found) and
    the words after it; None if the question does not count."""
    match = _COUNTING.search(text)
    if match is None:
        return None
    words = _WORD.findall(match.group(1))
    for i, word in enumerate(words):
        if (german and word[:1].isupper()) or (not german and _ENGLISH_PLURAL.match(word)):
            return words[:i], word, words[i + 1 :]
    return words, None, []


def is_nation(word: str) -> bool:
    """A German adjective of a nation: "-isch" or "-sch" with its English capitalised
    ("ukrainische" Ukrainian, "deutschen" German); not "fernöstlichen", "des"."""
    english = lookup(word) or ""
    return english[:1].isupper() and NATION_ENDING.search(word) is not None
