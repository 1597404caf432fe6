"""Sentence boundaries in German text and chunk offsets into the article."""

from conftest import SEEDS

from assistant.ingest.articles import load_folders
from assistant.ingest.chunking import chunk_article
from assistant.text.sentences import sentence_spans


def sentences(text):
    return [text[a:b] for a, b in sentence_spans(text)]


def test_german_non_sentence_ends():
    text = (
        "Über 10.000 Soldaten kamen am 17.11.2024 an, z. B. aus Pjöngjang. "
        "Der US-Sender CNN berichtete in der 12. Woche davon. Nr. 5 folgte."
    )
    assert sentences(text) == [
        "Über 10.000 Soldaten kamen am 17.11.2024 an, z. B. aus Pjöngjang.",
        "Der US-Sender CNN berichtete in der 12. Woche davon.",
        "Nr. 5 folgte.",
    ]


def test_quotes_and_line_breaks_end_sentences():
    text = '"Das ist schlecht." Er ging.\nÜberschrift ohne Punkt\nNeuer Absatz!'
    assert sentences(text) == [
        '"Das ist schlecht."',
        "Er ging.",
        "Überschrift ohne Punkt",
        "Neuer Absatz!",
    ]


def test_chunks_are_spans_of_the_article():
    for article in load_folders([SEEDS]).articles:
        chunks = chunk_article(article, chunk_size=300, chunk_overlap=0)
        assert chunks
        for chunk in chunks:
            assert article.text[chunk.start : chunk.end] == chunk.text
        # Chunks follow each other through the whole text.
        assert [c.start for c in chunks] == sorted(c.start for c in chunks)
        covered = "".join(article.text[c.start : c.end] for c in chunks)
        assert len(covered.replace("\n", "").replace(" ", "")) == len(
            article.text.replace("\n", "").replace(" ", "")
        )


def test_chunks_respect_sentence_ends():
    article = {a.id: a for a in load_folders([SEEDS]).articles}["000_b82a1ae29ca0ea28"]
    for chunk in chunk_article(article, chunk_size=300, chunk_overlap=0):
        # The Kursk sentence is never cut in the middle of "über 10.000".
        if "10.000 nordkoreanische" in chunk.text:
            assert "über 10.000 nordkoreanische Kämpfer." in chunk.text


def test_heading_joins_the_next_chunk():
    article = {a.id: a for a in load_folders([SEEDS]).articles}["000_b82a1ae29ca0ea28"]
    texts = [c.text for c in chunk_article(article, chunk_size=300, chunk_overlap=0)]
    assert "Ukrainische Truppen unter Druck" not in texts
    assert any(t.startswith("Ukrainische Truppen unter Druck\n\nRussland hat") for t in texts)
