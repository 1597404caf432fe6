"""English words and phrases to German words, so that English questions meet German articles
word for word (lexical search, evidence terms).

The dictionary is Ding's German-English dictionary as Debian packages it (trans-de-en:
/usr/share/trans/de-en, 200,000 lines, GPL-2+), which scripts/setup installs. Each line pairs
German and English alternatives, "|"-separated and aligned ("töten | getötet :: to kill |
killed"), with ";"-separated synonyms inside each. Only single German words are kept; English
keys may be phrases of up to three words ("north korean" → "nordkoreanisch"). Parsing takes
about 7 s, so the table is kept as JSON in the user's cache folder after the first time.
Without the file every lookup finds nothing and English questions are matched by meaning
(and by the names and numbers they share with the articles) alone.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.text.words import STOPWORDS, fold

logger = logging.getLogger(__name__)

DEFAULT_PATH = Path(os.environ.get("ASSISTANT_DICTIONARY", "/usr/share/trans/de-en"))
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "assistant"
CACHE_FORMAT = 3  # raise when the parsing changes, so old cache files are not used
MAX_PHRASE = 3  # English keys of up to this many words
_NOTES = re.compile(r"\{[^}]*\}|\[[^\]]*\]|\([^)]*\)|<[^>]*>|/[^/ ]+/|…")
# Notes may hold the ";" that separates synonyms ("to sing {sang; sung}", "century /c; cent./"),
# so parse() removes them from a whole side first.
_SIDE_NOTES = re.compile(_NOTES.pattern + r"|(?<!\S)/[^/|]+/(?=[\s;]|$)")
_PLACEHOLDER = r"(?:jdn|jdm|jds|etw|sb|sth|sb's|sich)\.?"
_PLACEHOLDERS = re.compile(rf"\b{_PLACEHOLDER}(?:/{_PLACEHOLDER})*(?=\s|$)")  # "sb./sth." too
_WORD = re.compile(r"^[^\W\d_][\w-]*$")
# A verb's forms come with their persons ("ich/er/sie schrieb" :: "I/he/she wrote"): the form
# alone is the word. (Before the notes go: "/er/" looks like an abbreviation note.)
_PERSONS = re.compile(
    r"(?:^|(?<=; ))(?:ich/er/sie|ich/er|er/sie/es|er/sie|wir/sie|I/he/she|I/he|he/she/it|he/she|"
    r"we/they) "
)


@lru_cache(maxsize=2)
def load(path: Path = DEFAULT_PATH) -> dict[str, str]:
    """Folded English key → its folded German words, space-separated (one string per key keeps
    the table at a third less memory and loading at a third of the time); empty (with a
    warning) without the file."""
    return cached_table(path, "de-en", parse)


def cached_table(path: Path, name: str, build: Callable[[Path], dict[str, str]]) -> dict[str, str]:
    """A table built from the dictionary file, kept as JSON in the cache folder."""
    try:
        stat = path.stat()
    except OSError:
        logger.warning(
            "no German-English dictionary at %s: English questions are matched by meaning, "
            "names and numbers only (install Debian's trans-de-en, or set ASSISTANT_DICTIONARY)",
            path,
        )
        return {}
    cache = CACHE_DIR / f"{name}-{stat.st_size}-{stat.st_mtime_ns}-v{CACHE_FORMAT}.json"
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
        if isinstance(cached, dict) and all(isinstance(v, str) for v in cached.values()):
            return cached
    except (OSError, ValueError):
        pass  # not cached yet, or a damaged cache file: parse again
    table = build(path)
    _write_cache(cache, table)
    return table


def status(path: Path = DEFAULT_PATH) -> str:
    """One line for the UI: whether English words are looked up in German."""
    table = load(path)
    if table:
        return f"searched in German too (Ding's dictionary, {len(table):,} English entries)"
    return f"not translated: no dictionary at {path} (install Debian's trans-de-en)"


def _write_cache(cache: Path, table: dict[str, str]) -> None:
    """Write the cache file whole or not at all; a read-only cache folder only costs time."""
    partial = None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=cache.parent, suffix=".tmp", delete=False
        ) as out:
            partial = Path(out.name)
            json.dump(table, out, ensure_ascii=False, separators=(",", ":"))
        os.replace(partial, cache)
    except OSError as err:
        logger.info("dictionary cache not written (%s); it is parsed again next time", err)
        if partial is not None:
            partial.unlink(missing_ok=True)


def entries(path: Path) -> Iterator[tuple[str, str]]:
    """(German, English) alternatives that the file's lines pair, aligned ("Haubitzen {pl}",
    "howitzers"), in the file's order, the headword's pair first on each line; each side may
    hold ";"-separated synonyms."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.startswith("#") or " :: " not in line:
                continue
            german, english = line.rstrip("\n").split(" :: ", 1)
            yield from _aligned(german.split(" | "), english.split(" | "))


def parse(path: Path) -> dict[str, str]:
    """The dictionary file as folded English key → sorted folded German words, space-separated."""
    table: dict[str, set[str]] = {}
    for de, en in entries(path):
        de, en = (_SIDE_NOTES.sub(" ", _PERSONS.sub("", side)) for side in (de, en))
        words = {w for w in map(_german_word, de.split(";")) if w}
        for key in filter(None, map(_english_key, en.split(";"))):
            table.setdefault(key, set()).update(words)
    return {key: " ".join(sorted(words)) for key, words in table.items() if words}


def _aligned(german: list[str], english: list[str]) -> list[tuple[str, str]]:
    """Pairs of alternatives; lines whose sides do not align give only their headwords."""
    if len(german) == len(english):
        return list(zip(german, english, strict=True))
    return [(german[0], english[0])]


def clean(text: str) -> str:
    return " ".join(_PLACEHOLDERS.sub(" ", _NOTES.sub(" ", text)).split())


def _german_word(text: str) -> str | None:
    word = clean(text)
    return fold(word) if _WORD.match(word) and len(word) > 2 else None


def _english_key(text: str) -> str | None:
    words = fold(clean(text)).split()
    if words[:1] == ["to"]:
        words = words[1:]
    if not 0 < len(words) <= MAX_PHRASE or not all(_WORD.match(w) for w in words):
        return None
    return " ".join(words)


def translate(question: str, table: dict[str, str] | None = None) -> list[Term]:
    """The content words of an English question, each with its German words; phrases the
    dictionary knows ("north korean", "artillery shells") are one term."""
    table = load() if table is None else table
    words = [w for w in re.findall(r"[^\W_]+(?:-[^\W_]+)*", fold(question)) if w not in STOPWORDS]
    names = {fold(w) for w in re.findall(r"\b[A-Z][^\W\d_]+", question)}
    terms, i = [], 0
    while i < len(words):
        for size in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            *head, last = words[i : i + size]
            key = " ".join(words[i : i + size])
            found = table.get(key) or table.get(" ".join([*head, _lemma(last)]))
            if found or size == 1:
                german = found.split() if found else []
                if not found and key in names:  # a name the dictionary does not know
                    german = [german_spelling(key)]
                terms.append(Term(key, frozenset(g for g in german if g != key)))
                i += size
                break
    return terms


# English spellings of Ukrainian and Russian names, and the German ones the articles use.
_RESPELL = {"shch": "schtsch", "kh": "ch", "zh": "sch", "ch": "tsch", "sh": "sch", "ts": "z",
            "yu": "ju", "ya": "ja", "ye": "je", "v": "w", "z": "s"}  # fmt: skip
_RESPELL_PATTERN = re.compile("|".join(sorted(_RESPELL, key=len, reverse=True)))


def german_spelling(word: str) -> str:
    """A word the dictionary does not know, respelled the German way: a name transliterated
    from Ukrainian or Russian (Pokrovsk → pokrowsk, Kurakhove → kurachowe, Donetsk → donezk)."""
    return _RESPELL_PATTERN.sub(lambda m: _RESPELL[m.group()], word)


@dataclass(frozen=True)
class Term:
    english: str  # a folded word or phrase of the question
    # Its folded German translations; for a capitalised word the dictionary does not know,
    # its German spelling if that differs (a name: "Pokrovsk" → "pokrowsk"), else none.
    german: frozenset[str]


def _lemma(word: str) -> str:
    """A crude English base form: soldiers → soldier, evacuated → evacuate, supplied → supply."""
    for suffix, base in (
        ("ies", "y"),
        ("ied", "y"),
        ("ing", ""),
        ("ed", ""),
        ("es", ""),
        ("s", ""),
    ):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + base
    return word
