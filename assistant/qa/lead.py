"""The words of an answer in the reader's language: the lead line, the abstentions, the sources.

English readers get the German key span glossed word by word beside the German itself (never
called a translation), numbers in English format and readable dates; German readers get the
German as the articles say it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assistant.qa.citation import Citation
from assistant.text import gloss
from assistant.text.dates import readable

WORD_BY_WORD = "English glosses are word by word, not translations; the German is the article's."
_NOT_SAID = {True: "Die Artikel sagen es nicht.", False: "The articles do not say."}
# (german, figure): the asked part the closest passages lack; figure: they hold figures, but
# none of it (qa/stated.py unqualified).
_LACKS = {
    (True, False): "Die Artikel sagen es nicht: die nächsten Passagen erwähnen „{}“ nicht.",
    (False, False): "The articles do not say: the closest passages do not mention “{}”.",
    (True, True): "Die Artikel sagen es nicht: die nächsten Passagen nennen keine Zahl für „{}“.",
    (False, True): "The articles do not say: the closest passages give no figure for “{}”.",
}
_CLOSEST = {
    True: "Die nächsten Passagen, die es nicht beantworten:",
    False: "The closest passages, which do not answer it:",
}


@dataclass(frozen=True)
class Lead:
    """An answer's first line: the key span of each keyed quote, or (no key) the best quote."""

    citations: list[Citation]  # the keyed citations, or the first one alone
    keyed: bool  # False: the line is the best quote itself


def lead(citations: list[Citation]) -> Lead:
    """What the first line of an answer with these citations (best first) is made of."""
    if not citations[0].key:
        return Lead(citations[:1], keyed=False)
    return Lead([c for c in citations if c.key], keyed=True)


def date_words(citation: Citation, german: bool) -> str:
    """The citation's date as its reader reads it: "17 Nov 2024" or "17.11.2024"."""
    return readable(citation.date, citation.month_day, german)


def lead_line(
    citations: list[Citation], german: bool, glossary: Mapping[str, str] | None = None
) -> str:
    """The key fact of each keyed quote with its citation and date; else the best quote.
    glossary: the question's own English words for German nouns (gloss.glossary)."""
    first = lead(citations)
    if not first.keyed:
        c = citations[0]
        line = f"[{c.n}] ({date_words(c, german)}): „{c.quote}“"
        return line if german else f"{line} — word by word: {gloss.gloss(c.quote, None, glossary)}"
    parts = []
    for c in first.citations:
        said = (
            f"{c.key} [{c.n}]"
            if german
            else f"{gloss.gloss(c.key, None, glossary)} („{c.key}“) [{c.n}]"
        )
        parts.append(f"{said}, {date_words(c, german)}")
    return "; ".join(parts)


def answer_text(
    citations: list[Citation], german: bool, glossary: Mapping[str, str] | None = None
) -> str:
    """First line: the key fact (or the best quote) with its citation; then every quote, cited."""
    lines = [lead_line(citations, german, glossary)]
    if not german:
        lines.append(WORD_BY_WORD)
    lines.append("")
    lines += [f"[{c.n}] „{c.quote}“ — {source_line(c, german, glossary)}" for c in citations]
    return "\n".join(lines)


def closest_label(german: bool) -> str:
    """What the passages shown with an abstention are."""
    return _CLOSEST[german]


def abstention_text(german: bool, unstated: str | None, closest: bool, figure: bool = False) -> str:
    """ "The articles do not say." with, when known, the asked part the closest passages lack;
    figure: they hold figures, but none that counts it."""
    text = _LACKS[german, figure].format(unstated) if unstated else _NOT_SAID[german]
    return f"{text} {_CLOSEST[german]}" if closest else text


def source_line(
    citation: Citation, german: bool = True, glossary: Mapping[str, str] | None = None
) -> str:
    """title (with its English gloss for English readers) · date · article id."""
    title = (
        citation.title
        if german
        else f"{citation.title} (“{gloss.gloss(citation.title, None, glossary)}”)"
    )
    return " · ".join([title, date_words(citation, german), citation.article_id])
