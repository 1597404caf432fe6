"""What a counting question counts: "How many North Korean soldiers were killed …" counts
soldiers ({"soldiers", "soldaten", …}), narrowed by a nation ("North Korean"). Read once, by
qa/question.py, into the Query."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.text.dictionary import Term
from assistant.text.gloss import lookup
from assistant.text.words import fold

# The counted noun is the first plural after "how many" ("How many North Korean soldiers were
# …"), the first noun after "wie viele" ("Wie viele schwere Haubitzen …").
_COUNTING = re.compile(r"\b(?:how many|wie ?viele)\b\s*(.*)", re.IGNORECASE)
_ENGLISH_PLURAL = re.compile(r"^(?:[a-z]{2,}s|people|men|women|children|feet|teeth)$")
_WORD = re.compile(r"[^\W\d_][\w-]*")
_NATION_ENDING = re.compile(r"sch(?:e|en|er|es|em)?$")


def counted(text: str, german: bool, translations: Sequence[Term]) -> frozenset[str] | None:
    """What a counting question counts, folded, with its German translations; None if it does
    not count ("how much", "when", …), empty if its noun is not found."""
    found = _split(text, german)
    if found is None:
        return None
    noun = found[1]
    if noun is None:
        return frozenset()
    if german:
        return frozenset({fold(noun)})
    forms = {fold(noun)} | {
        g for t in translations if fold(noun) in t.english.split() for g in t.german
    }
    return frozenset(part for g in forms for part in g.split("-") if len(part) > 2)


def qualifiers(text: str, german: bool, translations: Sequence[Term]) -> tuple[Term, ...]:
    """The words right before what a counting question counts that name its nation or a name:
    "North Korean", "Taliban", "ukrainische"; not "heavy" or "schwere", nor the counted noun
    itself ("How many Huguenots fled France …", "How many Grammy Award's does …")."""
    words, before, _ = _nations(text, german, translations)
    return _terms([words[i] for i in before], german, translations)


def actors(text: str, german: bool, translations: Sequence[Term]) -> tuple[Term, ...]:
    """A nation's adjective elsewhere in a counting question: the nation of who did it ("How
    many kilometres has the Ukrainian army advanced …", "… ist die ukrainische Armee …")."""
    words, _, elsewhere = _nations(text, german, translations)
    return _terms([words[i] for i in elsewhere], german, translations)


def counted_text(text: str, german: bool, translations: Sequence[Term]) -> str | None:
    """The nation a counting question counts by with the word it qualifies, as the question
    spells them ("Ukrainian soldiers", "russische Soldaten", "Ukrainian army"); None without."""
    words, before, elsewhere = _nations(text, german, translations)
    if before:  # up to the counted noun
        return " ".join(words[before[0] : before[-1] + 2])
    if elsewhere:  # with the noun it qualifies
        last = elsewhere[0]
        while last + 1 in elsewhere:
            last += 1
        return " ".join(words[elsewhere[0] : last + 2])
    return None


def _terms(named: list[str], german: bool, translations: Sequence[Term]) -> tuple[Term, ...]:
    if german:
        return tuple(Term(fold(w), frozenset()) for w in named)
    folded = {fold(w) for w in named}
    found = [t for t in translations if set(t.english.split()) <= folded and t.english]
    covered = {w for t in found for w in t.english.split()}
    return tuple(found) + tuple(Term(w, frozenset()) for w in sorted(folded - covered))


def _nations(
    text: str, german: bool, translations: Sequence[Term]
) -> tuple[list[str], list[int], list[int]]:
    """The words after "how many", the positions of those right before the counted noun that
    name a nation or a name (English: the capitalised ones before the plural, "North Korean
    soldiers", "Taliban fighters"), and the positions of a nation's adjective elsewhere."""
    found = _split(text, german)
    if found is None or found[1] is None:
        return [], [], []
    words = [*found[0], found[1], *found[2]]
    noun = len(found[0])
    if german:
        nations = [i for i, w in enumerate(words) if w[:1].islower() and _is_nation(w)]
        return words, [i for i in nations if i < noun], [i for i in nations if i > noun]
    run = noun
    while run > 0 and words[run - 1][:1].isupper():
        run -= 1
    adjectives = {  # "ukrainisch", "deutsch"; not "syrien"
        part for t in translations if any(map(_is_nation, t.german)) for part in t.english.split()
    }
    capitalised = {i for i, w in enumerate(words) if w[:1].isupper()}
    nations = {i for i in capitalised if fold(words[i]) in adjectives}
    # not in a name ("Josh Norman"): no other capitalised word beside it
    elsewhere = {i for i in nations if not ({i - 1, i + 1} & capitalised) - nations}
    return words, list(range(run, noun)), sorted(elsewhere - set(range(run, noun + 1)))


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


def _is_nation(word: str) -> bool:
    """A German adjective of a nation: "-isch" or "-sch" with its English capitalised
    ("ukrainische" Ukrainian, "deutschen" German); not "fernöstlichen", "des"."""
    english = lookup(word) or ""
    return english[:1].isupper() and _NATION_ENDING.search(word) is not None
