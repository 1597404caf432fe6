"""Split articles into sentence-aligned chunks with [start, end) offsets into Article.text."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from langchain_text_splitters import RecursiveCharacterTextSplitter

from assistant.ingest.articles import Article
from assistant.text.sentences import SENTENCE_END, is_statement
from assistant.tuning import HEADING_CHARS

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
        if (
            not is_statement(chunk.text)
            and len(chunk.text) < HEADING_CHARS
            and chunk is not chunks[-1]
        ):
            pending = chunk
            continue
        result.append(chunk)
    return result
