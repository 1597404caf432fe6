"""German spans glossed into English word by word through Ding's dictionary, for readers of
English questions: "über 10.000 nordkoreanische Kämpfer" → "over 10,000 North Korean fighters".

A gloss is never a translation: each word is looked up alone (its commonest English rendering
in the dictionary), unknown words (names) stay as they are, and the German is always shown
beside it. Numbers take the English format (10.000 → 10,000; 1,5 → 1.5), and a noun counted by
a figure other than 1 is plural ("Kämpfer" after 10.000 is "fighters"). A noun the question
itself names through the dictionary is glossed in the question's word: "Geschütze" is "guns" to
"How many guns …", not the dictionary's "mounted guns".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from assistant.text.dictionary import DEFAULT_PATH, Term, cached_table, clean, entries
from assistant.text.gloss_words import FIXED, NOUNS
from assistant.text.words import fold

# Inflection endings tried, longest first, to find a German word's dictionary form.
PLACE_MARK = "@"  # in the table: the English of a place name ("Aleppo {n} [geogr.]")
_ENDINGS = ("en", "er", "es", "em", "e", "n", "s")
_TOKEN = re.compile(r"\d+0s\b|\d[\d.,]*\d|\d|[^\W\d_][\w-]*\.?|\S")
_TIGHT = re.compile(r"\s+(?=[,.;:!?)])|(?<=\()\s+")  # "(laut NIS)", not "( laut NIS )"
# A capitalised word's endings, with the shortest stem each leaves: a name is no noun with an
# ending ("Allen" no "All", "Linde" no "Lind", "Center" no "Cent"), "Landes" is "Land".
_NOUN_ENDINGS = (("en", 4), ("es", 4), ("n", 4), ("s", 4), ("e", 5))
_ADJECTIVE_ENDINGS = ("en", "er", "es", "em", "e")
_SENTENCE_ENDS = set(".!?:„“\"'(«»")
# Words that count the noun after them as many, like a figure other than 1.
_MANY = {"hunderte", "tausende", "dutzende", "millionen", "milliarden", "mio.", "mrd.", "mehrere",
         "viele", "zahlreiche", "einige"}  # fmt: skip
_IRREGULAR_PLURALS = {"man": "men", "woman": "women", "child": "children", "person": "people",
                      "foot": "feet", "mouse": "mice", "tooth": "teeth"}  # fmt: skip
# A phrase with one of these is no noun with its adjectives: its plural is not its last word's.
_PHRASE_WORDS = {"of", "for", "per", "to", "in", "the", "a", "an", "and", "or", "on", "at"}
_ABBREVIATION = re.compile(r"\s*/[^/]+/")  # "cent /c, ct/": the abbreviations of a rendering
# Notes that may hold a ";" of their own: "be {was, were; been}", "government /Gov.; Govt./".
_BRACKETS = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|(?<=\s)/[^/|;\s]*;\s?[^/|;\s]*/")
_DECADE = re.compile(r"\b(\d{2,4})er\s+Jahren?\b")


def _decade(match: re.Match) -> str:
    """A decade in English: "1950er Jahre" the 1950s; "90er Jahre" the 1990s (a two-digit
    decade from the 30s on is the last century's; "20er" may be either, and stays "20s")."""
    digits = match.group(1)
    return f"19{digits}s" if len(digits) == 2 and digits >= "30" else f"{digits}s"


_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_DECIMAL = re.compile(r"^\d+,\d+$")


@lru_cache(maxsize=2)
def table(path: Path = DEFAULT_PATH) -> dict[str, str]:
    """German word (as the dictionary spells it) → its English; empty without the file."""
    return cached_table(path, "en-of-de-v10", parse) | NOUNS


def parse(path: Path) -> dict[str, str]:
    """Each single German word of the file and its English: from the first line that has it as
    the first word of a pair ("Kämpfer {pl}" → "fighters"), else from the first line with it."""
    first: dict[str, str] = {}
    anywhere: dict[str, str] = {}
    for de, en in entries(path):
        en = _BRACKETS.sub(" ", en)  # "be {was, were; been}": a note's ";" separates nothing
        english = _ABBREVIATION.sub("", clean(en.split(";")[0])).removeprefix("to ").strip()
        if not english or len(english.split()) > 3:
            continue
        if "[geogr.]" in de and english[0].isupper():  # a place name: no common noun (is_noun)
            english = PLACE_MARK + english
        for i, word in enumerate(clean(w) for w in de.split(";")):
            if word and " " not in word:
                (first if i == 0 else anywhere).setdefault(word, english)
    return anywhere | first


def english_number(token: str) -> str:
    """A German-format number in English format: 10.000 → 10,000; 1,5 → 1.5."""
    if _THOUSANDS.match(token):
        return token.replace(".", ",")
    if _DECIMAL.match(token):
        return token.replace(",", ".")
    return token


def lookup(word: str, words: dict[str, str] | None = None, cased: bool = False) -> str | None:
    """The English of one German word, trying its inflections; None if the dictionary lacks it.
    Case matters ("schwere" is heavy, "Schwere" gravity): a sentence's first word may be either;
    cased: the word's capital is its own, so it is a noun or a name ("Jared Allen" is not "all")."""
    words = table() if words is None else words
    cased = cased and word[:1].isupper()
    forms = (word,) if cased else (word, word.lower(), word.capitalize())
    endings = _NOUN_ENDINGS if cased else tuple((e, 3) for e in _ENDINGS)
    for form in forms:
        if found := words.get(form):
            return found.removeprefix(PLACE_MARK)
        for ending, shortest in endings:
            if form.endswith(ending) and len(form) - len(ending) >= shortest:
                if found := words.get(form[: -len(ending)]):
                    return found.removeprefix(PLACE_MARK)
    if cased and not word.isupper() and (found := words.get(word.lower())):
        return found.removeprefix(PLACE_MARK)  # a verb or adjective as a noun: "das Finden"
    return None


def is_place(word: str, words: dict[str, str] | None = None) -> bool:
    """Whether a capitalised word is a place name of the dictionary ("Russland", "Moskaus")."""
    words = table() if words is None else words
    forms = (word, word[:-1]) if word.endswith("s") else (word,)
    return any(words.get(f, "").startswith(PLACE_MARK) for f in forms)


@lru_cache(maxsize=2)
def english_places(path: Path = DEFAULT_PATH) -> frozenset[str]:
    """The English names of the dictionary's places ("Ukraine", "South Korea", "Denver")."""
    return frozenset(v[1:] for v in table(path).values() if v.startswith(PLACE_MARK))


def is_noun(word: str, words: dict[str, str] | None = None) -> bool:
    """Whether a capitalised word is a German noun of the dictionary ("Militär", "Gelände",
    "Gefechten"), not a name ("Barros", "Pokrowsk"): its exact spelling, or that spelling less
    an inflection ending, is a capitalised entry."""
    words = table() if words is None else words
    if not word[:1].isupper() or word.isupper():  # acronyms ("NIS", "ISW") are names
        return False
    found = next((words[f] for f in _forms(word) if f in words), None)
    return found is not None and not found.startswith(PLACE_MARK)


def gloss(
    text: str, words: dict[str, str] | None = None, glossary: Mapping[str, str] | None = None
) -> str:
    """Word-by-word English for a short German span; unknown words are kept as they are.
    glossary: folded German nouns → the English word the question names them by (glossary())."""
    words = table() if words is None else words
    tokens = _TOKEN.findall(_DECADE.sub(_decade, text))  # "in den 1950er Jahren": the 1950s
    out = []
    many = False  # a figure other than 1 (or "Hunderte") counts the next noun
    for i, token in enumerate(tokens):
        if token[0].isdigit():
            out.append(english_number(token))
            many = token != "1"
        elif (bare := token.rstrip(".") or token) in FIXED or bare.lower() in FIXED:
            out.append(FIXED.get(bare, FIXED.get(bare.lower(), "")) + token[len(bare) :])
            many = token.lower() in _MANY or (many and not token[0].isupper())
        elif token[0].isalpha():
            word, dot = (token[:-1], ".") if token.endswith(".") and len(token) > 3 else (token, "")
            cased = not _may_be_lowercase(tokens, i, words)
            noun = word[:1].isupper() and not word.isupper()
            found = (noun and _named_by_question(word, glossary)) or lookup(word, words, cased)
            named = (cased or i == 0) and word[:1].isupper()  # not an adjective of a name
            if found and named and _in_name(word, found, tokens[i + 1 : i + 2], words):
                found = None  # "George Barros" is no "Georgian Barros"
            if found and noun and many:
                found = plural(found)
            out.append((found or word) + dot)  # unknown words (names) stay
            many = word.lower() in _MANY or (many and not noun)
        else:
            out.append(token)
            many = many and token == "-"
    return _TIGHT.sub("", " ".join(w for w in out if w))


def glossary(question: str, asked: Iterable[Term]) -> dict[str, str]:
    """For an English question, each German translation of its asked words → that word as the
    question spells it ("tanks" → {"panzer": "tanks", "kampfpanzer": "tanks", …})."""
    found: dict[str, str] = {}
    for term in asked:
        pattern = r"\b" + r"[\s-]+".join(map(re.escape, term.english.split())) + r"\b"
        spelled = re.search(pattern, question, re.IGNORECASE)
        for german in term.german if spelled else ():
            found.setdefault(german, spelled.group(0))
    return found


def plural(english: str) -> str:
    """An English noun's plural (fighter → fighters, city → cities, square metre → square
    metres). A name (capitalised: "Juni" is "June"), a plural already ("men", "refugees") and a
    phrase that is more than a noun and its adjectives ("quarter of year") stay as they are."""
    *before, last = english.split(" ")
    if (
        not last.isalpha()
        or english[:1].isupper()
        or _PHRASE_WORDS.intersection(before)
        or last.endswith("s")
        or last in _IRREGULAR_PLURALS.values()
    ):
        return english
    if last in _IRREGULAR_PLURALS:
        last = _IRREGULAR_PLURALS[last]
    elif last.endswith(("ch", "sh", "x", "z")):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in "aeiou":
        last = last[:-1] + "ies"
    else:
        last += "s"
    return " ".join([*before, last])


def _named_by_question(word: str, glossary: Mapping[str, str] | None) -> str | None:
    """The question's own word for a German noun, trying the noun's inflections."""
    if not glossary:
        return None
    forms = [f for f in _forms(fold(word)) if len(f) > 2]
    return next((glossary[f] for f in forms if f in glossary), None)


def _forms(word: str) -> list[str]:
    """The word and the word less each inflection ending that leaves three letters or more."""
    return [word] + [
        word[: -len(e)] for e in _ENDINGS if word.endswith(e) and len(word) > len(e) + 2
    ]


def _may_be_lowercase(tokens: list[str], i: int, words: dict[str, str]) -> bool:
    """Whether a capitalised word may be a lowercase one: first in a sentence ("Dies", "Derzeit")
    or an adjective of a name before its noun ("Europäische Union"); else it is a noun or a name
    ("Jared Allen", "Carl Wilhelm Scheele")."""
    if i == 0 or tokens[i - 1][-1] in _SENTENCE_ENDS:
        return True
    following = tokens[i + 1] if i + 1 < len(tokens) else ""
    word = tokens[i].lower()
    return following[:1].isupper() and any(
        word.endswith(e) and len(word) - len(e) >= 5 and word[: -len(e)] in words
        for e in _ADJECTIVE_ENDINGS
    )


def _in_name(word: str, english: str, following: list[str], words: dict[str, str]) -> bool:
    """A word before an unknown capitalised word (a name) whose English is only its own proper
    form ("George" → "Georgian"), and no adjective: a first name, kept. "Präsident", "Papst",
    "Ukrainische" are glossed."""
    name = following and following[0][:1].isupper() and not lookup(following[0], words, True)
    lower = word.lower()
    adjective = any(lower.endswith(e) and lower[: -len(e)] in words for e in _ADJECTIVE_ENDINGS)
    own = english[:1].isupper() and english[:4].lower() == lower[:4]
    return bool(name) and own and lower not in words and not adjective  # "Ukrainische" glossed
