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
    """The words right before what is counted that name a nation or a name: in English the
    capitalised ones ("North Korean"), in German the adjectives whose English is capitalised
    ("nordkoreanische", "ukrainische"); not "heavy" or "schwere", nor the counted noun itself
    ("How many Huguenots fled France …", "How many Grammy Award's does …")."""
    named = _qualifying(text, german)
    if german:
        return tuple(Term(fold(w), frozenset()) for w in named)
    folded = {fold(w) for w in named}
    found = [t for t in translations if set(t.english.split()) <= folded and t.english]
    covered = {w for t in found for w in t.english.split()}
    return tuple(found) + tuple(Term(w, frozenset()) for w in sorted(folded - covered))


def counted_text(text: str, german: bool) -> str | None:
    """What a counting question counts with the nation it narrows it by, as it spells them
    ("Ukrainian soldiers", "russische Soldaten"); None without such a nation."""
    named = _qualifying(text, german)
    found = _split(text, german)
    if not named or found is None or found[1] is None:
        return None
    words = [*found[0], found[1]]
    return " ".join(words[words.index(named[0]) :])


def _qualifying(text: str, german: bool) -> list[str]:
    """The nation words before the counted noun, as the question spells them."""
    found = _split(text, german)
    if found is None or found[1] is None:
        return []
    before = found[0]
    if german:
        return [w for w in before if _is_nation(w)]
    run = len(before)
    while run > 0 and before[run - 1][:1].isupper():
        run -= 1  # the capitalised words right before the plural
    return before[run:]


def _split(text: str, german: bool) -> tuple[list[str], str | None] | None:
    """The words between "how many" and the counted noun, and that noun (None if not found);
    None if the question does not count."""
    match = _COUNTING.search(text)
    if match is None:
        return None
    words = _WORD.findall(match.group(1))
    for i, word in enumerate(words):
        if (german and word[:1].isupper()) or (not german and _ENGLISH_PLURAL.match(word)):
            return words[:i], word
    return words, None


def _is_nation(word: str) -> bool:
    """A German adjective of a nation: its English is capitalised ("ukrainische" Ukrainian)."""
    english = lookup(word) or ""
    return english[:1].isupper()
