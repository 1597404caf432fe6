"""Check an LLM's answer: each quote verbatim in the passage it cites, each [n] a real passage."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.llm.prompt import Passage

# Opening quotation mark → closing marks it may pair with, best first („…“ is German style;
# LLMs also write „…" and "…").
_CLOSERS = {"„": '“”"', "“": '”"', '"': '"', "«": "»", "»": "«", "‚": "‘’", "‹": "›"}
# Every quotation mark, apostrophe included, compares equal: "Koksan" == „Koksan“ == ‚Koksan‘.
_QUOTE_MARKS = str.maketrans({c: '"' for c in "„“”\"«»‚‘’'‹›`´"})
_CITE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_LEADING_CITES = re.compile(r"(?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|\n+")
_TRAILING = ".,;:!? "
UNVERIFIED = " (⚠ unverified quote)"
UNKNOWN = " (⚠ no such passage)"
UNCITED = " (⚠ no citation)"


@dataclass(frozen=True)
class Quote:
    text: str  # as the LLM wrote it, without quotation marks
    n: int | None  # the passage it cites (the first that holds it), None if it cites none
    verified: bool
    start: int | None = None  # article offsets of the verbatim span, when verified
    end: int | None = None
    article_id: str | None = None


@dataclass(frozen=True)
class Checked:
    text: str  # the LLM's text with unverified quotes, unknown [n] and uncited sentences marked
    quotes: list[Quote]
    cited: list[int]  # passage numbers cited, in order of first citation, existing ones only
    unknown: list[int]  # cited numbers that name no passage
    uncited: list[str]  # sentences that cite nothing


def check(text: str, items: list[Passage]) -> Checked:
    """Verify every quote and citation of a generated answer against the passages."""
    by_n = {p.n: p for p in items}
    quotes, marks = [], []  # marks: (position in text, marker to insert there)
    spans = quote_spans(text)
    for i, (open_at, close_at) in enumerate(spans):
        limit = spans[i + 1][0] if i + 1 < len(spans) else len(text)
        numbers = _cites_after(text, close_at + 1, limit)
        quote = _verify(text[open_at + 1 : close_at], [by_n[n] for n in numbers if n in by_n])
        quotes.append(quote)
        if not quote.verified:
            marks.append((close_at + 1, UNVERIFIED))
    cited, unknown = [], []
    for m in _CITE.finditer(text):
        for n in _numbers(m.group(1)):
            target = cited if n in by_n else unknown
            if n not in target:
                target.append(n)
            if n not in by_n:
                marks.append((m.end(), UNKNOWN))
    uncited = []
    for start, end in _sentences(text, spans):
        sentence = text[start:end]
        if len(re.findall(r"\w+", sentence)) >= 3 and not _CITE.search(sentence):
            uncited.append(sentence.strip())
            marks.append((end, UNCITED))
    return Checked(_insert(text, marks), quotes, cited, unknown, uncited)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(opening, closing) positions of each quotation in text; quotes end at a line break."""
    spans, i = [], 0
    while i < len(text):
        # A straight mark inside a word is an apostrophe or inch sign, not an opening quote.
        if text[i] in _CLOSERS and not (text[i] in "\"'" and i > 0 and text[i - 1].isalnum()):
            close = _closing(text, i)
            if close > i + 1:
                spans.append((i, close))
                i = close + 1
                continue
        i += 1
    return spans


def _closing(text: str, at: int) -> int:
    """Position of the mark closing the quotation opened at `at`, or -1."""
    line_end = text.find("\n", at)
    line_end = len(text) if line_end < 0 else line_end
    opener, closers = text[at], _CLOSERS[text[at]]
    if closers[0] != opener:  # „ „…“ “ nests; a straight " cannot
        depth = 0
        for j in range(at, line_end):
            depth += (text[j] == opener) - (text[j] == closers[0])
            if depth == 0:
                return j
    found = [text.find(c, at + 1, line_end) for c in closers]
    return next((f for f in found if f > at), -1)


def normalise(text: str) -> tuple[str, list[int]]:
    """Text with quotation marks unified and whitespace runs as one space; original positions."""
    out, where = [], []
    for i, ch in enumerate(text.translate(_QUOTE_MARKS)):
        if ch.isspace():
            if out and out[-1] == " ":
                continue
            ch = " "
        out.append(ch)
        where.append(i)
    return "".join(out), where


def _verify(quoted: str, cited: list[Passage]) -> Quote:
    """The quote located in the first cited passage that holds it, or marked unverified."""
    needle = normalise(quoted.strip())[0].strip()
    # „… Kämpfer.“ may quote "… Kämpfer,"; „…über 10.000“ may leave out the sentence's start.
    for candidate in (needle, needle.strip(_TRAILING + "…").removeprefix("...").strip()):
        if not candidate:
            break
        for p in cited:
            haystack, where = normalise(p.text)
            at = haystack.find(candidate)
            if at >= 0:
                start, end = p.start + where[at], p.start + where[at + len(candidate) - 1] + 1
                return Quote(quoted, p.n, True, start, end, p.article_id)
    return Quote(quoted, cited[0].n if cited else None, False)


def _cites_after(text: str, start: int, limit: int) -> list[int]:
    """Numbers of the first [n] after a quote in its sentence (before the next quote)."""
    m = _CITE.search(text, start, limit)
    if not m:
        return []
    between = text[start : m.start()]
    end = _SENTENCE_END.search(between)
    if end and (between[end.end() :].strip() or "\n" in end.group()):
        return []  # the [n] belongs to a later sentence
    return _numbers(m.group(1))


def _numbers(group: str) -> list[int]:
    return [int(n) for n in re.split(r"\s*[,;]\s*", group)]


def _sentences(text: str, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """[start, end) of each sentence; full stops inside quotations do not end one."""
    masked = list(text)
    for a, b in quotes:
        masked[a : b + 1] = "x" * (b + 1 - a)
    masked = "".join(masked)
    bounds, start = [], 0
    for m in _SENTENCE_END.finditer(masked):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    # A citation right after the full stop ("… Kursk. [1]") belongs to the sentence before.
    for i in range(1, len(bounds)):
        lead = _LEADING_CITES.match(text, bounds[i][0], bounds[i][1])
        if lead and lead.end() > bounds[i][0]:
            bounds[i - 1] = (bounds[i - 1][0], lead.end())
            bounds[i] = (lead.end(), bounds[i][1])
    return [(a, b) for a, b in bounds if text[a:b].strip()]


def _insert(text: str, marks: list[tuple[int, str]]) -> str:
    for at, marker in sorted(marks, key=lambda m: m[0], reverse=True):
        text = text[:at] + marker + text[at:]
    return text
