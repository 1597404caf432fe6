"""A "who" question that asks a person by a nation's role ("South Korea's ambassador") is
answered only by a quote that names the role and the nation beside it (qa/roles.py,
stated.unstated), on the seeds and real gnad-1028 articles with the bundled model."""

import shutil

import pytest
from conftest import GNAD, SEEDS

from assistant.config import Config
from assistant.qa import roles, stated
from assistant.qa.pipeline import Assistant, ensure_index
from assistant.text.dictionary import translate
from assistant.text.language import is_german


def read(question: str) -> roles.Role | None:
    german = is_german(question)
    return roles.read(question, german, () if german else translate(question))


@pytest.mark.parametrize(
    ("question", "noun", "nations", "text"),
    [
        ("Who is South Korea's ambassador to Russia?", "ambassador", ["south korea"],
         "South Korea's ambassador"),
        ("Who is the Ukrainian president?", "president", ["ukrainian"], "Ukrainian president"),
        ("Who is the South Korean president?", "president", ["south korean"],
         "South Korean president"),
        ("Who was the Normans' main enemy in Italy?", "enemy", ["normans"],  # not "main", a river
         "Normans' main enemy"),
        ("Wer ist der Botschafter Südkoreas in Russland?", "botschafter", ["sudkorea"],
         "Botschafter Südkoreas"),
        ("Wer ist der ukrainische Präsident?", "prasident", ["ukrainische"],
         "ukrainische Präsident"),
        # the nation after "of" (close set: it led with North Korea's "Kim Yong Bok")
        ("Who is the head of the South Korean intelligence service NIS?", "head",
         ["south korean"], "head of the South Korean intelligence service NIS"),
    ],
)  # fmt: skip
def test_a_role_is_read_with_its_nation(question, noun, nations, text):
    role = read(question)
    assert role is not None
    assert role.noun.english == noun
    assert [t.english for t in role.nations] == nations
    assert role.text == text


@pytest.mark.parametrize(
    "question",
    [
        "Who is Tesla?",  # a name
        "Who leads the Russian counteroffensive in Kursk?",  # a verb
        "Who was the receiver on the successful 2-point conversion?",  # no nation: paraphrased
        "Wer war der Pilot des Hubschraubers vom Typ Mi-17?",  # likewise
        "Which Ukrainian general commands the troops in Kursk?",  # "which" asks things as often
        "Wer ist Wolodymyr Selenskyj?",
        "Wer ist der politische Führer der Partei?",  # "politisch" is no nation
        # "federal" is no nation, though "bundespolitisch" ends like one (XQuAD-de dev: the
        # quote says "Direktor des Federal Energy Office")
        "Who is the first administrator of the Federal Energy Office?",
    ],
)
def test_no_role_is_read_where_none_is_asked_with_a_nation(question):
    assert read(question) is None


def test_a_role_of_a_nation_needs_a_quote_naming_both(assistant, monkeypatch):
    """Seeds: "Präsident Wolodymyr Selenskyj" is no South Korean president, nor is "der
    südkoreanische Nachrichtendienst NIS" an ambassador; "dem stellvertretenden nordkoreanischen
    Generalstabschef Kim Yong Bok" is North Korea's deputy chief of staff."""
    for question, said in [
        ("Who is South Korea's ambassador to Russia?", "South Korea's ambassador"),
        ("Who is the South Korean president?", "South Korean president"),
        ("Wer ist der südkoreanische Präsident?", "südkoreanische Präsident"),
        (
            "Who is the head of the South Korean intelligence service NIS?",
            "head of the South Korean intelligence service NIS",
        ),
    ]:
        answer = assistant.ask(question)
        assert answer.abstained and answer.unstated == said, answer.answer
    german = assistant.ask("Wer ist der südkoreanische Präsident?")
    assert german.answer.startswith(
        "Die Artikel sagen es nicht: die nächsten Passagen erwähnen „südkoreanische Präsident“"
    )
    for question in [
        "Who is the North Korean deputy chief of the general staff?",
        "Wer ist der nordkoreanische Generalstabschef, der das Vorauskommando führt?",
    ]:
        answer = assistant.ask(question)
        assert not answer.abstained and "Kim Yong Bok" in answer.answer.split("\n")[0]
    monkeypatch.setattr(roles, "read", lambda *args: None)  # the rule off
    answer = assistant.ask("Who is the South Korean president?")
    assert not answer.abstained and not answer.unstated, answer.answer  # a quote about the NIS


@pytest.fixture(scope="module")
def with_embassies(model, tmp_path_factory) -> Assistant:
    """The seeds, two gnad articles about Russia's ambassadors ("Der russische Botschafter in
    Wien, Sergej Netschajew", "aus der russischen Botschaft") and two with prices in euros."""
    folder = tmp_path_factory.mktemp("embassies")
    shutil.copytree(SEEDS, folder / "articles")
    for name in ["0482-international", "0839-international", "0608-etat", "0018-web"]:
        shutil.copy(GNAD / f"gnad-{name}.txt", folder / "articles")
    config = Config(articles=[folder / "articles"], index=folder / "index")
    return Assistant(ensure_index(config, model), model, config)


def test_another_nations_role_or_its_embassy_is_no_answer(with_embassies):
    """Russia's ambassador is no ambassador of South Korea; an embassy ("Botschaft") is none."""
    for question in [
        "Wer ist der Botschafter Südkoreas in Russland?",
        "Who is South Korea's ambassador to Russia?",
    ]:
        answer = with_embassies.ask(question)
        assert answer.abstained and answer.unstated, answer.answer
    russian = with_embassies.ask("Wer ist der russische Botschafter in Wien?")
    assert russian.answer.startswith("Sergej Netschajew"), russian.answer


def test_a_price_in_an_article_about_something_else_is_no_price(with_embassies):
    """ "How much does a Koksan howitzer cost?" found "knapp 36.700 Euro" for a sticker campaign
    beside the howitzers' range: the articles do not say what a howitzer costs."""
    answer = with_embassies.ask("How much does a Koksan howitzer cost?")
    assert answer.abstained and answer.unstated == "cost" and answer.unstated_figure, answer.answer


def test_a_role_is_named_by_its_word_or_its_verb_beside_its_nation():
    """The role's word, a compound or the verb of an agent noun ("Übersetzung" for
    "Übersetzer"), with the nation within ROLE_NATION_WORDS; not a noun the role is made from."""
    ambassador = read("Wer ist der russische Botschafter in Wien?")
    assert stated.names_role("Der russische Botschafter in Wien, Sergej Netschajew", ambassador)
    assert not stated.names_role("hieß es aus der russischen Botschaft", ambassador)
    assert not stated.names_role("Der südkoreanische Botschafter in Wien", ambassador)
    translator = read("Who is the English translator of this hymn?")
    assert stated.names_role(
        "die im Englischen im Allgemeinen in der Übersetzung von John C. Messenger", translator
    )
    president = read("Who is the South Korean president?")
    assert not stated.names_role("Präsident Wolodymyr Selenskyj bemühte sich", president)
    assert stated.names_role("der südkoreanische Präsident Yoon Suk Yeol", president)
