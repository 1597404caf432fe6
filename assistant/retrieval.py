"""Find the chunks nearest to a question vector, and rank the distinct articles they belong to."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from assistant.chunking import Chunk
from assistant.store import Index

MIN_ARTICLES = 10  # the `retrieved` list has at least this many articles when the index has them


@dataclass(frozen=True)
class Hit:
    chunk: Chunk
    score: float  # cosine similarity of question and chunk


@dataclass(frozen=True)
class RetrievedArticle:
    article_id: str
    score: float  # best score among the article's chunks


def search(index: Index, query: np.ndarray, top_k: int = 50) -> list[Hit]:
    """Chunks by decreasing similarity; enough of them to cover MIN_ARTICLES articles."""
    total = len(index.chunks)
    if total == 0:
        return []
    wanted_articles = min(MIN_ARTICLES, len(index.articles))
    k = min(top_k, total)
    while True:
        scores, rows = index.faiss.search(query.reshape(1, -1).astype(np.float32), k)
        hits = [
            Hit(index.chunks[r], float(s))
            for s, r in zip(scores[0], rows[0], strict=True)
            if r >= 0
        ]
        if len({h.chunk.article_id for h in hits}) >= wanted_articles or k >= total:
            return hits
        k = min(total, k * 4)


def rank_articles(hits: list[Hit]) -> list[RetrievedArticle]:
    """Distinct articles in the order of their best chunk."""
    best: dict[str, float] = {}
    for hit in hits:
        if hit.chunk.article_id not in best:
            best[hit.chunk.article_id] = hit.score
    return [RetrievedArticle(article_id, score) for article_id, score in best.items()]
