"""Questions about the seed articles, answered with the real model, FAISS and evidence selection."""

from pathlib import Path

import pytest

from assistant.errors import QuestionError
from assistant.ingest.articles import load_folders

KURSK_SENTENCE = "über 10.000 nordkoreanische Kämpfer"

ON_TOPIC = [
    "How many North Korean soldiers are reported near Kursk?",
    "Wie viele nordkoreanische Soldaten sind bei Kursk?",
    "What is the range of the Koksan howitzers?",
    "Welche Reichweite haben die Haubitzen Koksan?",
    "How many soldiers has Russia assembled for the counteroffensive in Kursk?",
    "Wie viele Mehrfachraketenwerfer sind in Russland eingetroffen?",
    "What did Selenskyj say in the radio interview?",
    "How far has the Russian army advanced in eastern Ukraine since the start of the year?",
    "Wie viele Soldaten will Nordkorea nach Russland entsenden?",
    "Who leads the North Korean advance party?",
    "What does article 4 of the treaty say?",
    "Was befürchtet man im Falle einer neuen Präsidentschaft von Donald Trump?",
    "How much did Moscow lose near Pokrowsk according to the ISW?",
    "Was betrachtet Südkorea als Bedrohung seiner eigenen Sicherheit?",
]
OFF_TOPIC = [
    "What is the capital of France?",
    "Wer gewann die Fußball-Weltmeisterschaft 2014?",
    "How do I bake sourdough bread?",
    "Wie hoch ist die Inflation in Deutschland?",
    "What is the weather in Berlin tomorrow?",
    "Wie viele Einwohner hat Wien?",
    "How many goals did Messi score?",
    "Was kostet ein Liter Benzin?",
]


def normalise(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    "question",
    [
        "How many North Korean soldiers are reported near Kursk?",
        "Wie viele nordkoreanische Soldaten sind bei Kursk?",
    ],
)
def test_kursk_question_leads_with_the_figure(assistant, question):
    answer = assistant.ask(question)
    assert not answer.abstained
    assert "10.000" in answer.answer
    assert any(KURSK_SENTENCE in c.quote for c in answer.citations[:2])
    assert answer.citations[0].key == KURSK_SENTENCE  # the newest report leads
    lead = answer.answer.split("\n")[0]
    assert lead.startswith(KURSK_SENTENCE if answer.german else "over 10,000 North Korean")
    assert KURSK_SENTENCE in lead  # English leads keep the German beside the gloss


def test_who_questions_lead_with_a_person_and_no_quote_repeats_another(assistant):
    """ "Who is the ISW analyst?" quoted a sentence and, as [2], the two sentences holding it;
    its lead named "US-Hauptstadt Washington". Of one article, no two quotes share text."""
    for question, person in [
        ("Who is the ISW analyst?", "George Barros"),
        ("Who is North Korea's chief of the general staff?", "Kim Yong Bok"),
    ]:
        answer = assistant.ask(question)
        assert answer.answer.startswith(f"{person} („{person}“) [1]")
        for a in answer.citations:
            for b in answer.citations[a.n :]:
                assert a.article_id != b.article_id or a.end <= b.start or b.end <= a.start


def test_every_quote_is_verbatim_from_its_article_and_file(assistant):
    checked = 0
    for question in ON_TOPIC + OFF_TOPIC:
        for citation in assistant.ask(question).citations:
            # The file read again, apart from the index: the quote is at its offsets there.
            path = Path(assistant.index.articles[citation.article_id].path)
            fresh = {a.id: a for a in load_folders([path.parent]).articles}
            article = fresh[citation.article_id]
            assert article.text[citation.start : citation.end] == citation.quote
            assert normalise(citation.quote) in normalise(path.read_text("utf-8"))
            assert citation.title == article.title and citation.date == article.date
            if citation.key:
                assert citation.key in citation.quote
            checked += 1
    assert checked >= 12


@pytest.mark.parametrize("question", ON_TOPIC)
def test_on_topic_questions_are_answered(assistant, question):
    answer = assistant.ask(question)
    assert not answer.abstained, answer.citations
    assert answer.citations and all(len(c.quote) <= 400 for c in answer.citations)


@pytest.mark.parametrize("question", OFF_TOPIC)
def test_off_topic_questions_abstain(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained
    said = "Die Artikel sagen es nicht." if answer.german else "The articles do not say."
    assert answer.answer.startswith(said)


def test_quantity_answer_for_artillery(assistant):
    answer = assistant.ask("Wie viele Haubitzen hat Nordkorea nach Russland geliefert?")
    assert "knapp 50 schwere Haubitzen" in answer.answer


def test_retrieved_lists_distinct_articles(assistant):
    answer = assistant.ask("Kursk")
    ids = [r.article_id for r in answer.retrieved]
    assert sorted(ids) == sorted(set(ids)) == ["000_b82a1ae29ca0ea28", "004_647d7f6f4b7e18de"]
    assert [r.score for r in answer.retrieved] == sorted(
        (r.score for r in answer.retrieved), reverse=True
    )


@pytest.mark.parametrize("question", ["", "   \n\t ", "x" * 50_000])
def test_unusable_questions_get_a_clear_message(assistant, question):
    with pytest.raises(QuestionError, match="empty|limit"):
        assistant.ask(question)


@pytest.mark.parametrize(
    ("question", "key", "quote"),
    [
        ("When was the report about the North Korean artillery published?", "17.11.2024",
         "Stand: 17.11.2024 08:39 Uhr"),
        ("Wann wurde der Bericht über die nordkoreanische Artillerie veröffentlicht?",
         "17.11.2024", "Stand: 17.11.2024 08:39 Uhr"),
        ("Who wrote the article about week 12 of the Kursk offensive?", "Stefan Axel Boes",
         "Stefan Axel Boes"),
        ("Wer hat den Artikel über die 12. Woche der Kursk-Offensive geschrieben?",
         "Stefan Axel Boes", "Stefan Axel Boes"),
    ],
)  # fmt: skip
def test_questions_about_the_article_quote_its_date_line_or_byline(assistant, question, key, quote):
    answer = assistant.ask(question)
    first = answer.citations[0]
    assert (first.key, first.quote) == (key, quote)
    article = assistant.index.articles[first.article_id]
    assert article.text[first.start : first.end] == first.quote
    lead = answer.answer.split("\n")[0]
    assert lead.startswith(f"{key} [1]") if answer.german else f"„{key}“) [1]" in lead
