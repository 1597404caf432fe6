"""Sentences and paragraphs of a text, as [start, end) spans into it."""

from __future__ import annotations

import re
from typing import NamedTuple


class Span(NamedTuple):
    """[start, end) offsets into a text: text[span.start : span.end]."""

    start: int
    end: int


# Abbreviations after which a period does not end a German or English sentence.
_ABBREVIATIONS = (
    "bzw ca Dr Prof Nr Str St Abs Art Jh Jhd usw etc vgl evtl ggf inkl sog Mio Mrd Tsd "
    "Hr Fr Mr Mrs Ms Gen Lt Sgt Oberst Kpt Dipl Ing Mag No Vol Fig bspw zzgl zB ua dh "
    "Jan Feb Mär Apr Jun Jul Aug Sep Sept Okt Nov Dez Co Inc Ltd Corp Bd"
).split()
# A sentence ends at . ! ? … (optionally closed by a quote or bracket) followed by space, unless
# the period belongs to an abbreviation, an initial ("z. B.", "A. Boes") or an ordinal
# number ("12. Woche", "29. Oktober"). Python's re needs fixed-width lookbehinds, hence one
# per abbreviation.
_NOT_AFTER = "".join(rf"(?<!\b{re.escape(a)}\.)" for a in _ABBREVIATIONS)
SENTENCE_END = (
    r"(?<=[.!?…])(?<![.!?…][.!?…][.!?…][.!?…])"  # not inside "...." runs
    + _NOT_AFTER
    + r"(?<!\b\w\.)(?<!\b\d\d\.)(?<!\b\d\d\d\.)"
    + r"[\"'”“»«)\]]*"
    + r"(?= +[\"'„“»«(\[]*[A-ZÄÖÜ0-9])"
)
_SENTENCE_END = re.compile(SENTENCE_END)
_SPACE_AFTER_END = re.compile(SENTENCE_END + r" +")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[Span]:
    """[start, end) spans of the sentences in text[start:end]; line breaks always end one."""
    end = len(text) if end is None else end
    spans = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        line_start = start + line.start()
        cursor = 0
        for m in _SPACE_AFTER_END.finditer(line.group()):
            spans.append(Span(line_start + cursor, line_start + m.start() + _trailing(m.group())))
            cursor = m.end()
        spans.append(Span(line_start + cursor, line_start + len(line.group())))
    return [s for s in spans if text[s.start : s.end].strip()]


def _trailing(match: str) -> int:
    """Length of a sentence-end match without its following spaces."""
    return len(match.rstrip(" "))


def is_statement(text: str) -> bool:
    """True if the text ends like a sentence (headings, captions and bylines do not)."""
    return text.rstrip().endswith((".", "!", "?", "…", '"', "“", "”", "»", "«", ")", "'"))


def paragraph_bounds(text: str, start: int, end: int) -> Span:
    """The paragraph (blank-line separated) around text[start:end]."""
    left = text.rfind("\n\n", 0, start)
    right = text.find("\n\n", end)
    return Span(0 if left < 0 else left + 2, len(text) if right < 0 else right)
