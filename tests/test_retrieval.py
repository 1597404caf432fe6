"""Retrieval: `retrieved` lists at least MIN_ARTICLES distinct articles when the index has them
(a real index of 14 articles), the search equals brute force, English words meet German ones."""

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import SEEDS

from assistant.config import DEFAULT_MODEL, Config
from assistant.indexing import store
from assistant.indexing import update as indexing
from assistant.indexing.store import Index, Manifest
from assistant.ingest.articles import Article
from assistant.ingest.chunking import Chunk
from assistant.qa import retrieval
from assistant.qa.pipeline import Assistant
from assistant.qa.question import analyse
from assistant.qa.retrieval import Hit, lexical_scores, rank_articles, retrieve, search
from assistant.tuning import CHUNK_OVERLAP, CHUNK_SIZE, LEXICAL_WEIGHT, MIN_ARTICLES

SAMPLE = Path(__file__).parent / "data" / "gnad-sample"
KURSK = "000_b82a1ae29ca0ea28"
WEEK12 = "004_647d7f6f4b7e18de"


@pytest.fixture(scope="module")
def news(model, tmp_path_factory) -> Assistant:
    """An Assistant over the 12 gnad sample articles and the two seeds (14 articles)."""
    folder = tmp_path_factory.mktemp("news")
    articles = folder / "articles"
    shutil.copytree(SAMPLE, articles)
    for path in SEEDS.iterdir():
        shutil.copy(path, articles)
    index_dir = folder / "index"
    indexing.update([articles], index_dir, model, DEFAULT_MODEL, CHUNK_SIZE, CHUNK_OVERLAP)
    config = Config(articles=[articles], index=index_dir, top_k=3)
    return Assistant(store.load(index_dir), model, config)


def assert_ranked_distinct(retrieved) -> None:
    ids = [r.article_id for r in retrieved]
    assert len(ids) == len(set(ids))
    scores = [r.score for r in retrieved]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize(
    "question",
    [
        "Wie viele nordkoreanische Soldaten sind bei Kursk?",
        "How many North Korean soldiers are reported near Kursk?",
        "What is the capital of France?",  # an abstention lists them too
    ],
)
def test_retrieved_lists_at_least_ten_articles_with_a_small_top_k(news, question):
    assert len(news.index.articles) == 14 and news.config.top_k == 3
    answer = news.ask(question)
    assert len(answer.retrieved) >= MIN_ARTICLES
    assert_ranked_distinct(answer.retrieved)
    assert {r.article_id for r in answer.retrieved} <= set(news.index.articles)


def test_the_kursk_articles_lead_the_retrieved_list(news):
    answer = news.ask("Wie viele nordkoreanische Soldaten sind bei Kursk?")
    assert {r.article_id for r in answer.retrieved[:2]} == {KURSK, WEEK12}
    assert answer.citations[0].article_id in (KURSK, WEEK12)


def test_retrieve_widens_past_top_k_until_enough_articles(news, monkeypatch):
    query = analyse("Wie viele Haubitzen hat Nordkorea geliefert?", news.model)
    hits = retrieve(news.index, query, top_k=3, lexical_weight=LEXICAL_WEIGHT)
    assert len({h.chunk.article_id for h in hits}) >= MIN_ARTICLES
    assert len(hits) > 3
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    # Without the widening, 3 chunks (plus 3 lexical ones) cannot cover ten articles.
    monkeypatch.setattr(retrieval, "MIN_ARTICLES", 1)
    narrow = retrieve(news.index, query, top_k=3, lexical_weight=LEXICAL_WEIGHT)
    assert len({h.chunk.article_id for h in narrow}) < MIN_ARTICLES
    assert [h.chunk for h in narrow][:3] == [h.chunk for h in hits][:3]


def test_an_index_with_fewer_articles_lists_them_all(assistant):
    answer = Assistant(assistant.index, assistant.model, replace(assistant.config, top_k=1)).ask(
        "Wie viele Haubitzen hat Nordkorea geliefert?"
    )
    assert sorted(r.article_id for r in answer.retrieved) == [KURSK, WEEK12]


def test_rank_articles_keeps_each_article_s_best_chunk():
    def hit(article_id: str, score: float) -> Hit:
        return Hit(Chunk(article_id, 0, 1, "x"), score)

    ranked = rank_articles([hit("a", 0.9), hit("b", 0.8), hit("a", 0.7), hit("c", 0.6)])
    assert [(r.article_id, r.score) for r in ranked] == [("a", 0.9), ("b", 0.8), ("c", 0.6)]


def test_english_words_are_searched_by_their_german_translations(assistant):
    query = analyse("How far do the howitzers reach?", assistant.model)
    assert not query.search.german
    scores = lexical_scores(assistant.index, query.search)
    assert scores is not None and scores.max() == 1.0
    best = assistant.index.chunks[int(np.argmax(scores))]
    assert "Haubitzen" in best.text  # "howitzers" → "Haubitze"
    # A German question is scored by its own words.
    german = analyse("Welche Reichweite haben die Haubitzen?", assistant.model)
    best = assistant.index.chunks[int(np.argmax(lexical_scores(assistant.index, german.search)))]
    assert "Reichweite" in best.text


def test_no_matching_word_gives_no_lexical_scores(assistant):
    query = analyse("Wie viele Flamingos gibt es?", assistant.model)
    assert lexical_scores(assistant.index, query.search) is None


# --- search against brute force on random vectors -------------------------------------------


def random_index(n_articles: int, per_article: int, dim: int = 16, seed: int = 7):
    rng = np.random.default_rng(seed)
    n = n_articles * per_article
    vectors = rng.normal(size=(n, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    chunks = [Chunk(f"a{i % n_articles}", 0, 5, f"text{i}") for i in range(n)]
    articles = {
        f"a{k}": Article(f"a{k}", f"T{k}", None, "none", True, None, "text", "0", f"a{k}.txt")
        for k in range(n_articles)
    }
    manifest = Manifest(3, "m", dim, 300, 0, 2, {a: "0" for a in articles}, n, "now")
    index = Index(manifest, articles, chunks, vectors, np.zeros((0, dim), np.float32))
    query = rng.normal(size=dim).astype(np.float32)
    return index, vectors, query / np.linalg.norm(query)


def test_search_is_the_brute_force_top_widened_just_enough():
    index, vectors, query = random_index(n_articles=40, per_article=10)
    hits = search(index, query, top_k=2)
    expected = np.argsort(-(vectors @ query), kind="stable")
    rows = [int(h.chunk.text.removeprefix("text")) for h in hits]
    assert rows == expected[: len(hits)].tolist()
    np.testing.assert_allclose([h.score for h in hits], (vectors @ query)[rows], rtol=1e-5)
    # k grows 2, 8, 32, 128 …: the first of those that covers MIN_ARTICLES articles.
    assert len(hits) in (2, 8, 32, 128, 400)
    assert len({h.chunk.article_id for h in hits}) >= MIN_ARTICLES
    fewer = expected[: len(hits) // 4]
    assert len({index.chunks[r].article_id for r in fewer}) < MIN_ARTICLES


def test_search_with_top_k_above_the_chunks_returns_all_in_order():
    index, vectors, query = random_index(n_articles=3, per_article=4)
    hits = search(index, query, top_k=50)
    expected = np.argsort(-(vectors @ query), kind="stable")
    assert [int(h.chunk.text.removeprefix("text")) for h in hits] == expected.tolist()


def test_search_of_an_empty_index_finds_nothing():
    index, _, query = random_index(n_articles=0, per_article=0)
    assert search(index, query) == []
