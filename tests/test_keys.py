"""Of several key spans, the lead takes the one whose clause holds the question's words."""

import shutil

import pytest
from conftest import SHARED

from assistant.config import Config
from assistant.qa import selection
from assistant.qa.pipeline import Assistant, ensure_index

PANTHERS = SHARED / "data" / "xquad-de-dev" / "articles" / "xquad-00-0.txt"


@pytest.fixture(scope="module")
def panthers(model, tmp_path_factory):
    work = tmp_path_factory.mktemp("panthers")
    (work / "articles").mkdir()
    shutil.copy(PANTHERS, work / "articles")
    config = Config(articles=[work / "articles"], index=work / "index")
    return Assistant(ensure_index(config, model), model, config)


def test_the_key_beside_the_questions_words_leads(panthers, monkeypatch):
    # "Davis erzielte 5½ Sacks, vier erzwungene Fumbles und vier Interceptions": by meaning
    # alone the lead was "zwei Fumbles". The quote holds more spans than KEY_SPANS_MAX, so by
    # default it leads as itself; here one span is singled out. (The English question used to
    # pass too, only because "forced" lacked the translation "erzwang" that the other clause,
    # "zwei Fumbles erzwang", holds; since the dictionary reads verb forms, both clauses hold
    # as many of its words, and neither is singled out by them.)
    question = "Wie viele erzwungene Fumbles hatte Thomas Davis?"
    monkeypatch.setattr(selection, "KEY_SPANS_MAX", 99)
    lead = panthers.ask(question).answer.split("\n", 1)[0]
    assert "vier erzwungene Fumbles" in lead
    monkeypatch.setattr(selection, "KEY_TERMS_WEIGHT", 0.0)
    assert "vier erzwungene Fumbles" not in panthers.ask(question).answer.split("\n", 1)[0]


def test_a_when_clause_does_not_make_a_question_ask_for_a_date(model, tmp_path):
    """ "What satellite was used when Sky digital was launched?" led with "1998" (XQuAD-de dev):
    its "when" opens a clause. The question word that opens the question decides."""
    from assistant.qa.question import question_kind

    assert question_kind("What satellite was used when Sky digital was launched?") is None
    assert question_kind("Who was the leader when the Franks entered the valley?") == "person"
    assert question_kind("How and when did the first variant of y. pestis enter Europe?") == "date"
    assert question_kind("Seit wann setzt Russland sie ein?") == "date"
    (tmp_path / "articles").mkdir()
    shutil.copy(
        SHARED / "data" / "xquad-de-dev" / "articles" / "xquad-08-1.txt", tmp_path / "articles"
    )
    config = Config(articles=[tmp_path / "articles"], index=tmp_path / "index")
    sky = Assistant(ensure_index(config, model), model, config)
    lead = sky.ask("What satellite was used when Sky digital was launched?").answer.split("\n")[0]
    assert "Astra 2A" in lead and not lead.startswith("1998")
