"""Read title, publication date and author from cleaned article text, saying how sure each is."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.text.patterns import MONTHS
from assistant.tuning import (
    BYLINE_LINES,
    HEADER_LINES,
    MAX_BYLINE_CHARS,
    MAX_SIGNATURE_CHARS,
    MAX_TITLE_CHARS,
    TITLE_CUT_CHARS,
)

_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_STAND = re.compile(
    r"^(?:Stand|Veröffentlicht|Aktualisiert|Datum|Published|Updated)\s*(?:am|on)?:?\s*"
    r"(\d{1,2})\.(\d{1,2})\.(\d{4})",
    re.IGNORECASE,
)
_NUMERIC_WITH_TIME = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4}),?\s+\d{1,2}:\d{2}")
_WORDS_DATE = re.compile(rf"\b(\d{{1,2}})\.\s*({_MONTH})(?:\s+(\d{{4}}))?", re.IGNORECASE)
_TIME_AFTER = re.compile(r"^,?\s*(?:um\s+)?\d{1,2}[:.]\d{2}")
_AUTHOR_PREFIX = re.compile(r"^(?:Von|Autor(?:in)?:|By)\s+(.+)$")
_RELATIVE = re.compile(
    r"\b(?:am )?(?:kommenden|vergangenen|letzten|nächsten) "
    r"(?:Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag)\b"
)
_NAME = re.compile(r"^[A-ZÄÖÜ][\w.'-]+(?: [A-ZÄÖÜ][\w.'-]+){1,3}$")


@dataclass(frozen=True)
class DateReading:
    """An article's date as its text states it, where that comes from, and a yearless date."""

    date: str | None  # ISO "YYYY-MM-DD"
    note: str
    month_day: tuple[int, int] | None = None  # (month, day) when the text gives no year


@dataclass(frozen=True)
class Metadata:
    title: str
    date: str | None
    date_note: str
    author: str | None
    month_day: tuple[int, int] | None = None  # a date the text gives without its year


def read_metadata(text: str, fallback_title: str) -> Metadata:
    """Title, date (with a note on its source and certainty) and author of one article."""
    lines = [line for line in text.split("\n") if line]
    reading = read_date(lines)
    return Metadata(
        title=read_title(lines, fallback_title),
        date=reading.date,
        date_note=reading.note,
        author=read_author(lines),
        month_day=reading.month_day,
    )


def read_title(lines: list[str], fallback: str) -> str:
    """The line above a "Stand:" line, else a short first line, else the first words."""
    for i, line in enumerate(lines[:HEADER_LINES]):
        if _STAND.match(line) and i > 0:
            return lines[i - 1]
    if lines and len(lines[0]) <= MAX_TITLE_CHARS and not lines[0].endswith((".", "!", "?")):
        return lines[0]
    if not lines:
        return fallback
    first = lines[0]
    if len(first) <= TITLE_CUT_CHARS:
        return first
    return first[:TITLE_CUT_CHARS].rsplit(" ", 1)[0] + " …"


def read_date(lines: list[str]) -> DateReading:
    """The date the text states, where it comes from, or the month and day it gives alone."""
    for line in lines[:HEADER_LINES]:
        if m := _STAND.match(line):
            return DateReading(iso_date(m.group(3), m.group(2), m.group(1)), f"stated: {line!r}")
    for line in lines:
        if m := _NUMERIC_WITH_TIME.search(line):
            iso = iso_date(m.group(3), m.group(2), m.group(1))
            return DateReading(iso, f"from a timestamp in the text: {m.group()!r}")
    for line in lines:
        for m in _WORDS_DATE.finditer(line):
            if not _TIME_AFTER.match(line[m.end() :]):
                continue
            day, month = int(m.group(1)), MONTHS[m.group(2).lower()]
            quoted = _context(line, m.start(), m.end() + 10)
            if m.group(3):
                iso = iso_date(m.group(3), month, day)
                return DateReading(iso, f"from a timestamp in the text: {quoted!r}")
            note = f"day and month from {quoted!r}; the text does not state the year"
            return DateReading(None, note + _relative_note(lines), (month, day))
    return DateReading(None, "the text states no date")


def read_author(lines: list[str]) -> str | None:
    """A "Von …"/"Autor: …" line near the top, or a bare name as the last line."""
    for line in lines[:BYLINE_LINES]:
        if (m := _AUTHOR_PREFIX.match(line)) and len(m.group(1)) <= MAX_BYLINE_CHARS:
            return m.group(1).strip()
    if len(lines) > 1 and len(lines[-1]) <= MAX_SIGNATURE_CHARS and _NAME.match(lines[-1]):
        if not any(ch.isdigit() for ch in lines[-1]):
            return lines[-1]
    return None


def _relative_note(lines: list[str]) -> str:
    """Mention relative time references ("am kommenden Montag") that a reader may use to check."""
    found = [m.group() for line in lines for m in _RELATIVE.finditer(line)]
    return f"; relative references in the text: {', '.join(found[:3])}" if found else ""


def iso_date(year: int | str, month: int | str, day: int | str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def _context(line: str, start: int, end: int) -> str:
    """A few words around a match, for a human-readable note."""
    left = line.rfind(" ", 0, max(0, start - 12))
    return line[left + 1 : end].strip()


def date_span(text: str) -> tuple[int, int] | None:
    """[start, end) in text of the date that read_date reads, if the text states one."""
    lines = _lines_with_offsets(text)
    for offset, line in [(o, line) for o, line in lines if line][:HEADER_LINES]:
        if m := _STAND.match(line):
            return offset + m.start(1), offset + m.end(3)
    for offset, line in lines:
        if m := _NUMERIC_WITH_TIME.search(line):
            return offset + m.start(1), offset + m.end(3)
    for offset, line in lines:
        for m in _WORDS_DATE.finditer(line):
            if _TIME_AFTER.match(line[m.end() :]):
                return offset + m.start(), offset + m.end()
    return None


def author_span(text: str, author: str | None) -> tuple[int, int] | None:
    """[start, end) in text of the author's name as read_author found it."""
    if not author:
        return None
    for offset, line in _lines_with_offsets(text):
        if line.endswith(author) and (line == author or _AUTHOR_PREFIX.match(line)):
            return offset + len(line) - len(author), offset + len(line)
    return None


def _lines_with_offsets(text: str) -> list[tuple[int, str]]:
    result, offset = [], 0
    for line in text.split("\n"):
        result.append((offset, line))
        offset += len(line) + 1
    return result
