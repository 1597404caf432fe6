"""German spans glossed into English word by word through Ding's dictionary, for readers of
English questions: "über 10.000 nordkoreanische Kämpfer" → "over 10,000 North Korean fighters".

A gloss is never a translation: each word is looked up alone (its commonest English rendering
in the dictionary), unknown words (names) stay as they are, and the German is always shown
beside it. Numbers take the English format (10.000 → 10,000; 1,5 → 1.5).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from assistant.text.dictionary import DEFAULT_PATH, cached_table, clean, entries

# Words the dictionary renders badly alone (function words, number qualifiers): fixed glosses.
FIXED = {
    "über": "over", "knapp": "almost", "bis": "up", "zu": "to", "rund": "around",
    "etwa": "about", "mehr": "more", "als": "than", "fast": "almost", "mindestens": "at least",
    "höchstens": "at most", "bereits": "already", "insgesamt": "in total", "nur": "only",
    "weniger": "fewer", "gut": "a good", "ca.": "approx.", "circa": "approx.", "und": "and",
    "oder": "or", "der": "the", "die": "the", "das": "the", "den": "the", "dem": "the",
    "des": "of the", "ein": "a", "eine": "a", "einer": "a", "einen": "a", "einem": "a",
    "von": "of", "im": "in the", "in": "in", "am": "on the", "an": "at", "auf": "on",
    "aus": "from", "bei": "near", "mit": "with", "nach": "to", "seit": "since", "für": "for",
    "gegen": "against", "vor": "before", "unter": "among", "sowie": "as well as",
    "auch": "also", "nicht": "not", "sich": "", "ist": "is", "sind": "are", "hat": "has",
    "haben": "have", "habe": "has", "würde": "would", "würden": "would", "wurde": "was",
    "wurden": "were", "werden": "become", "sollen": "are said to", "soll": "is said to",
    "offenbar": "apparently", "sei": "is said to be", "seien": "are said to be", "Mann": "men",
    "Prozent": "percent", "Millionen": "million", "Milliarden": "billion", "Mio.": "million",
    "Mrd.": "billion", "Hunderte": "hundreds", "Tausende": "thousands", "Dutzende": "dozens",
}  # fmt: skip
# Inflection endings tried, longest first, to find a German word's dictionary form.
PLACE_MARK = "@"  # in the table: the English of a place name ("Aleppo {n} [geogr.]")
_ENDINGS = ("en", "er", "es", "em", "e", "n", "s")
_TOKEN = re.compile(r"\d[\d.,]*\d|\d|[^\W\d_][\w-]*\.?|\S")
_THOUSANDS = re.compile(r"^\d{1,3}(?:\.\d{3})+$")
_DECIMAL = re.compile(r"^\d+,\d+$")


@lru_cache(maxsize=2)
def table(path: Path = DEFAULT_PATH) -> dict[str, str]:
    """German word (as the dictionary spells it) → its English; empty without the file."""
    return cached_table(path, "en-of-de-v5", parse)


def parse(path: Path) -> dict[str, str]:
    """Each single German word of the file and its English: from the first line that has it as
    the first word of a pair ("Kämpfer {pl}" → "fighters"), else from the first line with it."""
    first: dict[str, str] = {}
    anywhere: dict[str, str] = {}
    for de, en in entries(path):
        english = clean(en.split(";")[0]).removeprefix("to ").strip()
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


def lookup(word: str, words: dict[str, str] | None = None) -> str | None:
    """The English of one German word, trying its inflections; None if the dictionary lacks it.
    Case matters ("schwere" is heavy, "Schwere" gravity): a sentence's first word may be either."""
    words = table() if words is None else words
    for form in (word, word.lower(), word.capitalize()):
        if found := words.get(form):
            return found.removeprefix(PLACE_MARK)
        for ending in _ENDINGS:
            if form.endswith(ending) and len(form) - len(ending) >= 3:
                if found := words.get(form[: -len(ending)]):
                    return found.removeprefix(PLACE_MARK)
    return None


def is_noun(word: str, words: dict[str, str] | None = None) -> bool:
    """Whether a capitalised word is a German noun of the dictionary ("Militär", "Gelände",
    "Gefechten"), not a name ("Barros", "Pokrowsk"): its exact spelling, or that spelling less
    an inflection ending, is a capitalised entry."""
    words = table() if words is None else words
    if not word[:1].isupper() or word.isupper():  # acronyms ("NIS", "ISW") are names
        return False
    forms = [word] + [
        word[: -len(e)] for e in _ENDINGS if word.endswith(e) and len(word) > len(e) + 2
    ]
    found = next((words[f] for f in forms if f in words), None)
    return found is not None and not found.startswith(PLACE_MARK)


def gloss(text: str, words: dict[str, str] | None = None) -> str:
    """Word-by-word English for a short German span; unknown words are kept as they are."""
    words = table() if words is None else words
    out = []
    for token in _TOKEN.findall(text):
        if token[0].isdigit():
            out.append(english_number(token))
        elif token in FIXED or token.lower() in FIXED:
            out.append(FIXED.get(token, FIXED.get(token.lower(), "")))
        elif token[0].isalpha():
            out.append(lookup(token, words) or token)  # unknown words (names) stay
        else:
            out.append(token)
    return re.sub(r"\s+([,.;:!?])", r"\1", " ".join(w for w in out if w))
