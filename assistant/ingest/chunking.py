"""Split articles into sentence-aligned chunks with [start, end) offsets into Article.text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.ingest.articles import Article

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


# Bump when the splitting rules change, so that existing indexes are rebuilt.
CHUNKING_VERSION = 2


@dataclass(frozen=True)
class Chunk:
    article_id: str
    start: int
    end: int
    text: str  # == article.text[start:end]

    @property
    def sha256(self) -> str:
        """Identity of the chunk's content, used to reuse its vector."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """[start, end) spans of the sentences in text[start:end]; line breaks always end one."""
    end = len(text) if end is None else end
    spans = []
    for line in re.finditer(r"[^\n]+", text[start:end]):
        line_start = start + line.start()
        cursor = 0
        for m in _SPACE_AFTER_END.finditer(line.group()):
            spans.append((line_start + cursor, line_start + m.start() + _trailing(m.group())))
            cursor = m.end()
        spans.append((line_start + cursor, line_start + len(line.group())))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def _trailing(match: str) -> int:
    """Length of a sentence-end match without its following spaces."""
    return len(match.rstrip(" "))


def chunk_article(article: Article, chunk_size: int, chunk_overlap: int) -> list[Chunk]:
    """Sentence-aware chunks of one article, each a verbatim span of article.text."""
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size,
        chunk_overlap=chunk_overlap,
        separators=["\n\n", "\n", SENTENCE_END + " ", "; ", ", ", " ", ""],
        is_separator_regex=True,
        keep_separator="end",
        strip_whitespace=True,
    )
    chunks = []
    cursor = 0
    for piece in splitter.split_text(article.text):
        # Pieces come in order and overlap by at most chunk_overlap, so search from just
        # behind the previous piece's end.
        start = article.text.find(piece, max(0, cursor - chunk_overlap - len(piece)))
        if start < 0:
            start = article.text.find(piece)
        if start < 0:
            raise AssertionError(f"chunk is not a span of article {article.id}: {piece[:60]!r}")
        end = start + len(piece)
        chunks.append(Chunk(article.id, start, end, piece))
        cursor = end
    return attach_headings(article.text, chunks)


def attach_headings(text: str, chunks: list[Chunk]) -> list[Chunk]:
    """Join a heading-only chunk (title, caption, "Stand:" line) to the chunk after it."""
    result: list[Chunk] = []
    pending: Chunk | None = None
    for chunk in chunks:
        if pending is not None:
            chunk = Chunk(
                chunk.article_id, pending.start, chunk.end, text[pending.start : chunk.end]
            )
            pending = None
        if not is_statement(chunk.text) and len(chunk.text) < 200 and chunk is not chunks[-1]:
            pending = chunk
            continue
        result.append(chunk)
    return result


def is_statement(text: str) -> bool:
    """True if the text ends like a sentence (headings, captions and bylines do not)."""
    return text.rstrip().endswith((".", "!", "?", "…", '"', "“", "”", "»", "«", ")", "'"))
