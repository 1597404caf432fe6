"""Names of people and bodies in a German sentence, for "who" questions: runs of capitalised
words that are no dictionary nouns, one-word names, and whether a name is the source of a
report rather than who acts in it."""

from __future__ import annotations

import re

from assistant.qa.question import Query
from assistant.text.gloss import is_noun, lookup, table
from assistant.text.patterns import FIRST_NAME, NAME, NAME_PARTICLE
from assistant.text.sentences import Span

# German nouns that take a "von" complement look like names when capitalised: "Reihe von
# Drohungen", "Erfinder von Hochgeschwindigkeitsmaschinen".
_NOUN_END = re.compile(r"(?:e|ung|heit|keit|schaft|tion|ität|nis|ismus|er|ern|daten)$")
_ARTICLES = {"der", "die", "das", "den", "dem", "des", "im", "am", "vom", "zum", "zur", "beim"}
# Words that never begin a name, capitalised at a sentence's start or not ("Am Tag", "von Riva").
FUNCTION_WORDS = _ARTICLES | set(
    "ein eine einer einem einen in an auf aus bei mit nach von vor zu für über unter gegen "
    "seit als und oder aber auch noch nur so wie wo da dann durch um".split()
)
# Words right before a name, or after it, that make it the source of a report.
_SOURCE_BEFORE = re.compile(
    r"\b(?:[Ll]aut|Bericht|Berichten|Angaben|Informationen|Recherchen|Zeitung|Sender|"
    r"US-Sender|Nachrichtenagentur|Agentur|Magazin|Blatt)\b(?: (?:der|des|dem|von|einem|einer"
    r"|eines|zufolge))*\s*$"
)
_SOURCE_AFTER = re.compile(r"\s+(?:zufolge|berichtete|berichtet|meldete|meldet)\b")
_SOURCE_QUESTION = re.compile(
    r"\b(?:report\w*|quot\w*|said|says|say|according|source\w*|told|announc\w*|analyst\w*"
    r"|newspaper\w*|agenc\w*|berichte\w*|zitiert\w*|sagte|sagt|laut|quelle\w*|zeitung\w*"
    r"|meldet\w*|mitgeteilt|teilte)\b",
    re.IGNORECASE,
)


def find(sentence: str) -> list[Span]:
    """Spans that look like names of people or organisations."""
    spans = []
    first = [m for m in FIRST_NAME.finditer(sentence) if _no_word(m.group().split()[0])]
    inside = lambda m: any(f.start() <= m.start() < f.end() for f in first)  # noqa: E731
    later = [m for m in NAME.finditer(sentence) if not inside(m)]  # not "Hutton Smith" again
    runs = sorted([*first, *later], key=lambda m: m.start())
    for match in runs:
        start, end = match.span()
        head, *rest = re.split(rf" {NAME_PARTICLE} ", match.group(), maxsplit=1)
        if rest and " " not in head and _NOUN_END.search(head):  # "Reihe von Drohungen"
            if len(rest[0].split()) >= 2:  # "Übersetzung von John C. Messenger"
                spans.append(Span(end - len(rest[0]), end))
            continue
        before = sentence[:start].split()[-1:]
        if before and before[0].lower() in _ARTICLES and head.split()[0].endswith("en"):
            continue  # an adjective: "der Deutschen Demokratischen Republik"
        if named := without_nouns(sentence, Span(start, end)):
            spans.append(named)
    for match in _SURNAME.finditer(sentence):  # "von Nafzger zusammengestellt"
        word, before = match.group(), sentence[: match.start()].split()[-1:]
        after_article = bool(before) and before[0].lower() in _ARTICLE_WORDS  # "Die Galater"
        if _no_word(word) and not compound(word) and not after_article:
            if not any(run.start() <= match.start() < run.end() for run in runs):
                spans.append(Span(*match.span()))
    return sorted(spans)


# One capitalised word as a name of its own ("von Nafzger", "Grissom, White und Chaffee …"); not
# after an article, which a German noun takes and a surname does not ("über die Galater").
_SURNAME = re.compile(r"(?:^|(?<=[\w,;:.!?] ))[A-ZÄÖÜ][a-zäöüß]{2,}\b(?![-'’])")
_ARTICLE_WORDS = frozenset("der die das den dem des".split())


def compound(word: str) -> bool:
    """A word ending in a noun of the dictionary, spelled as its entry and of 4 letters or
    more: a compound it lacks ("Computernetzwerkkonsortium", "Zilienbänder"); not "White"
    ("Hite" is no entry) nor "Chaffee"."""
    words = table()
    return any(
        (tail := word[i:].capitalize()) in words and is_noun(tail) for i in range(1, len(word) - 3)
    )


def _no_word(word: str) -> bool:
    """A capitalised word that is no German word of the dictionary, only a name ("James",
    "Peyton"): a name may begin a sentence with it, where a noun would be capitalised too."""
    english = lookup(word, cased=True)
    return (english is None or english == word) and word.lower() not in FUNCTION_WORDS


def is_source(sentence: str, span: Span) -> bool:
    """A name that tells where a report comes from, not who acts in it: "Laut einem Bericht der
    Financial Times", "wie die Zeitung Financial Times … berichtete", "dem US-Sender CNN"."""
    before = " ".join(sentence[: span.start].split()[-5:])
    role = sentence[span.start : span.end].split()[0]  # "US-Sender CNN"
    return bool(
        _SOURCE_BEFORE.search(before)
        or _SOURCE_BEFORE.match(role)
        or _SOURCE_AFTER.match(sentence, span.end)
    )


def asks_source(query: Query) -> bool:
    """The question asks who reported or said it ("Who is the ISW analyst quoted …")."""
    return bool(_SOURCE_QUESTION.search(query.text))


def without_nouns(sentence: str, span: Span) -> Span | None:
    """A name or place without the dictionary nouns and function words in front ("Präsident
    Wolodymyr Selenskyj" gives "Wolodymyr Selenskyj", "Am Tag" nothing); None when every word
    is one ("Militär Gelände")."""
    start, end = span
    for word in sentence[start:end].split():
        if not is_noun(word.rstrip(".,")) and word.lower() not in FUNCTION_WORDS:
            return Span(start, end)
        start += len(word) + 1
    return None
