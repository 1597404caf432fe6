"""Remove web boilerplate: only whole lines are dropped, and whitespace is normalised."""

from __future__ import annotations

import re

from assistant.text.patterns import CONTROL

# Inline images pasted as text: "data:image/gif;base64,..." or bare base64 runs like
# "yH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==" (the tail of a 1x1 GIF).
_DATA_URI = re.compile(r"data:[\w.+-]+/[\w.+-]+;base64,", re.IGNORECASE)
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/]{16,}={1,2}(?![A-Za-z0-9+/=])|[A-Za-z0-9+/]{60,}")

# Lines that are page furniture, not article text (compared case-insensitively).
_BOILERPLATE = {
    "print friendly, pdf & email",
    "print friendly",
    "drucken",
    "teilen",
    "artikel teilen",
    "zum seitenanfang",
    "nach oben",
    "mehr zum thema",
    "weiterlesen",
    "anzeige",
    "werbung",
}

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def clean_text(text: str) -> str:
    """Return the article text without junk lines, with paragraphs separated by one blank line."""
    text = CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    lines = [line for line in lines if not is_junk(line)]
    lines = drop_breadcrumbs(lines)
    lines = drop_repeated_lines(lines)
    return join_lines(lines)


def is_junk(line: str) -> bool:
    """True for base64/data-URI image residue and known page furniture."""
    if line.lower().rstrip(":") in _BOILERPLATE:
        return True
    if _DATA_URI.search(line):
        return True
    junk = sum(len(m.group()) for m in _BASE64_RUN.finditer(line))
    # A base64 run that makes up much of a short line means the line is image residue.
    return junk > 0 and (junk >= 0.4 * len(line) or len(line) < 120)


def drop_breadcrumbs(lines: list[str]) -> list[str]:
    """Drop a line that is the next line with a breadcrumb glued in front ("StartStreitkräfteX")."""
    kept = []
    for i, line in enumerate(lines):
        following = next((other for other in lines[i + 1 :] if other), "")
        is_glued = (
            len(following) >= 10
            and len(line) > len(following)
            and line.endswith(following)
            and " " not in line[: len(line) - len(following)].strip()
        )
        if not is_glued:
            kept.append(line)
    return kept


def drop_repeated_lines(lines: list[str]) -> list[str]:
    """Keep one copy of a line repeated right after itself (image captions often are)."""
    kept: list[str] = []
    previous = None
    for line in lines:
        if line and line == previous:
            continue
        kept.append(line)
        if line:
            previous = line
    return kept


def join_lines(lines: list[str]) -> str:
    """Join lines back; runs of blank lines become one blank line."""
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
