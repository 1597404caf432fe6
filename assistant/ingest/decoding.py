"""Bytes to text: article files of any common encoding, and file names that are not UTF-8."""

from __future__ import annotations

import codecs
import logging
import os

from assistant.errors import ArticleError
from assistant.text.patterns import SURROGATES

logger = logging.getLogger(__name__)


def decode(raw: bytes, name: str) -> str:
    """UTF-8 first; otherwise the encoding charset-normalizer detects; binary is refused."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")  # Windows editors save "Unicode" text like this
        except UnicodeDecodeError as err:
            raise ArticleError(f"{name} starts like UTF-16 but is not valid UTF-16") from err
    if b"\x00" in raw[:8192]:
        raise ArticleError(f"{name} looks binary (it contains NUL bytes), not a text article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    # A UTF-8 byte-order mark before a body in another encoding: the mark is not text.
    raw = raw.removeprefix(codecs.BOM_UTF8)
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None or best.chaos > 0.3:
        raise ArticleError(
            f"{name} is not valid UTF-8 and its encoding could not be detected; "
            "save it as UTF-8 and add it again"
        )
    logger.info("decoded %s as %s (not UTF-8)", printable(name), best.encoding)
    return str(best)


def printable(name: str) -> str:
    """A file name or path as text UTF-8 can hold: bytes that are not UTF-8 (which Python
    keeps as lone surrogates) are written as \\xNN, so the name still tells them apart."""
    if not SURROGATES.search(name):
        return name
    try:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # surrogates from elsewhere (a JSON escape), not from a name
        return scrub(name)


def scrub(text: str) -> str:
    """Text without lone surrogates (each becomes U+FFFD), so that it can be stored as UTF-8."""
    return SURROGATES.sub("\ufffd", text)
