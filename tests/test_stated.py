"""A quote must state what the question asks about, not only its topic (qa/stated.py), on the
seed articles' own sentences and the bundled model."""

import re
from dataclasses import replace

import pytest
from conftest import GNAD, article_index

from assistant.qa import figures, stated
from assistant.qa.evidence import Evidence
from assistant.qa.question import analyse
from assistant.text.dictionary import Term
from assistant.text.words import fold_words
from assistant.tuning import UNSTATED_MARGIN

KURSK = "000_b82a1ae29ca0ea28"
FIGHTERS = (
    "Russland hat zur Gegenoffensive in der westrussischen Region Kursk nach Erkenntnissen "
    "westlicher und ukrainischer Militärexperten bereits knapp 50.000 Soldaten zusammengezogen, "
    "unter ihnen auch über 10.000 nordkoreanische Kämpfer."
)


def words(text: str) -> frozenset[str]:
    return frozenset(fold_words(text).split())


def evidence(index, sentence: str, score: float = 0.9) -> Evidence:
    text = index.articles[KURSK].text
    start = text.index(sentence)
    return Evidence(KURSK, start, start + len(sentence), score)


def test_a_word_is_stated_by_its_stem_compound_translation_or_participle():
    assert stated.states(Term("soldaten", frozenset()), words(FIGHTERS))
    assert stated.states(Term("soldiers", frozenset({"soldaten"})), words("Die Soldaten"))
    assert stated.states(Term("raketenwerfer", frozenset()), words("20 Mehrfachraketenwerfer"))
    assert stated.states(Term("year", frozenset({"jahr"})), words("seit Jahresbeginn"))
    assert stated.states(Term("geliefert", frozenset()), words("Nordkorea liefert Artillerie"))
    assert stated.states(Term("north korean", frozenset()), words("North Korean troops"))
    assert not stated.states(Term("wounded", frozenset({"verwundet"})), words(FIGHTERS))
    assert not stated.states(Term("2014", frozenset()), words("im Jahr 2024"))
    # A word too short to be a compound's part is stated inflected (XQuAD-de dev: "How many
    # species of Ctenophora have been validated?" was "not stated: species"), not inside others.
    assert stated.states(Term("species", frozenset({"art"})), words("Nur 100-150 Arten wurden"))
    assert not stated.states(Term("species", frozenset({"art"})), words("eine Artillerie"))


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("How many North Korean soldiers were wounded near Kursk?", "wounded"),
        ("Wie viele nordkoreanische Soldaten wurden bei Kursk verwundet?", "verwundet"),
        ("How many howitzers did China send to Russia?", "China"),  # as the question spells it
    ],
)
def test_the_topic_without_the_asked_part_is_unstated(assistant, question, missing):
    index, query = assistant.index, analyse(question, assistant.model)
    quote = evidence(index, FIGHTERS)
    assert stated.unstated(index, query, [quote], threshold=quote.score) == missing
    # Evidence clearly above the abstention threshold is trusted: paraphrases fail word tests.
    # Not for a count of the wounded: no quote that does not speak of them answers it.
    high = quote.score - UNSTATED_MARGIN - 0.01
    trusted = None if missing == "China" else missing
    assert stated.unstated(index, query, [quote], threshold=high) == trusted


@pytest.mark.parametrize(
    ("question", "telling"),
    [  # XQuAD-de dev questions that were wrongly "not stated" for these words
        ("What event happened 66 million years ago?", {"ago", "happened"}),
        ("What did Luther call the mass instead of sacrifice?", {"instead"}),
        ("Über welchen Fluss gab es in römischer Zeit ursprünglich eine Brücke?", {"ursprunglich"}),
        ("Was verwenden Beroiden als Zähne?", {"verwenden"}),
        # a pronoun is no asked part (a follow-up of the seeds was "not stated: them")
        ("And how many shells did North Korea send for them?", {"them"}),
        ("What did Luther tell her about his vows?", {"her", "his"}),
        # how old is asked as how many is: "vor etwa 515 Millionen Jahren" says no "old"
        ("How old are the fossils found that represent ctenophores?", {"old"}),
        (
            "This person proposed explanations for the origins of earthquakes, what was his name?",
            {"person"},
        ),  # fmt: skip
    ],
)
def test_words_that_tell_when_or_how_a_fact_is_told_are_never_the_asked_part(
    model, question, telling
):
    asked = {t.english for t in analyse(question, model).asked}
    assert asked and not asked & telling, asked


def test_an_english_word_the_dictionary_does_not_know_is_not_asked(model):
    # "spacesuits" cannot be looked for in German articles (XQuAD-de dev: "not stated" while the
    # article says "Raumanzüge"); a capitalised word is a name and is looked for as it is.
    question = 'What was originally on the spacesuits prior to the clear "fishbowl" helmet?'
    asked = {t.english for t in analyse(question, model).asked}
    assert "spacesuits" not in asked and "helmet" in asked, asked
    asked = {t.english for t in analyse("How many Koksan howitzers are near Kursk?", model).asked}
    assert {"koksan", "kursk", "howitzers"} <= asked, asked


def test_a_quote_that_states_every_asked_word_is_an_answer(assistant):
    question = "Wie viele nordkoreanische Soldaten sind bei Kursk?"
    index, query = assistant.index, analyse(question, assistant.model)
    quote = evidence(index, FIGHTERS)
    assert stated.unstated(index, query, [quote], threshold=quote.score) is None


def test_an_unstated_question_is_answered_with_the_missing_word(assistant):
    """End to end on the seeds: evidence near the threshold whose articles never mention an
    asked word is "not stated", in the question's language, its quotes only closest."""
    answer = assistant.ask("How many howitzers did China send to Russia?")
    assert answer.abstained and answer.unstated == "China"
    assert answer.answer.startswith(
        "The articles do not say: the closest passages do not mention “China”."
    )
    assert answer.citations and all(c.key is None for c in answer.citations)
    german = assistant.ask("Wann haben Nordkorea und Russland ein Handelsabkommen unterzeichnet?")
    assert german.abstained and german.unstated == "Handelsabkommen"
    assert german.answer.startswith("Die Artikel sagen es nicht: die nächsten Passagen erwähnen")
    asked = assistant.ask("How many North Korean soldiers are reported near Kursk?")
    assert not asked.abstained and asked.unstated is None


def test_a_count_of_the_dead_is_answered_only_by_a_quote_that_speaks_of_them(
    assistant, monkeypatch
):
    """The issue's first example: "How many North Korean soldiers were killed near Kursk?" led
    with "über 10.000 nordkoreanische Kämpfer", whose evidence stands well above the threshold
    (no word test speaks there). A count of casualties is now "not stated" unless a chosen quote
    speaks of the dead or wounded, and a quote that does not keeps no figure in the lead."""
    answer = assistant.ask("How many North Korean soldiers were killed near Kursk?")
    assert answer.abstained and answer.unstated == "killed"
    assert answer.answer.startswith(
        "The articles do not say: the closest passages do not mention “killed”."
    )
    german = assistant.ask("Wie viele nordkoreanische Soldaten wurden bei Kursk getötet?")
    assert german.abstained and german.unstated == "getötet"  # as the question spells it
    index = assistant.index
    died = analyse("How many North Korean soldiers have died?", assistant.model)
    text = index.articles[KURSK].text
    start = text.index("über 10.000 nordkoreanische Kämpfer")
    keyed = replace(evidence(index, FIGHTERS), key_start=start, key_end=start + 35)
    assert stated.casualty_keys(index, died, [keyed])[0].key_start is None
    asked = analyse("How many North Korean soldiers are near Kursk?", assistant.model)
    assert stated.casualty_keys(index, asked, [keyed]) == [keyed]  # no count of the dead
    # Real sentences of gnad-1028 and XQuAD-de that do speak of casualties, in any form:
    for said in [
        "Bei den Kämpfen starben am Wochenende sieben Soldaten und vier Angreifer.",
        "Die Dürre von 2010 wies drei Epizentren auf, in denen die Vegetation abstarb.",
        "Mindestens 21 Menschen wurden getötet, 40 verletzt.",
        "… der seit Beginn der Krise im April vergangenen Jahres mehr als 400 Menschen zum Opfer"
        " gefallen sind.",
    ]:
        assert stated.CASUALTY_STATED.search(fold_words(said)), said
    assert not stated.CASUALTY_STATED.search(fold_words(FIGHTERS))
    assert not stated.CASUALTY_STATED.search(fold_words("die totale Deadline"))  # no "tot"
    # "gefallen" asks for the fallen ("… sind in Kursk gefallen?"), but in a quote it is as
    # often shots fired: this gnad sentence made "Wie viele russische Soldaten sind seit
    # Jahresbeginn gestorben?" lead with "knapp 40 Kilometer" instead of "not stated".
    shots = "Es seien auch Schüsse gefallen, teilten die russischen Behörden mit."
    assert not stated.CASUALTY_STATED.search(fold_words(shots))
    assert stated.CASUALTY.search(fold_words("Wie viele Soldaten sind in Kursk gefallen?"))
    # losses count too: "How many Russian soldiers has the army lost …" met "knapp 50.000
    # Soldaten" (assembled) with no word test to stop it
    assert stated.CASUALTY.search(fold_words("How many soldiers has the army lost?"))
    lost = "Moskau habe bei Pokrowsk den Gegenwert von fünf gepanzerten Divisionen verloren"
    assert stated.CASUALTY_STATED.search(fold_words(lost))
    monkeypatch.setattr(stated, "CASUALTY", re.compile("(?!)"))  # the rule off
    answer = assistant.ask("How many North Korean soldiers were killed near Kursk?")
    assert not answer.abstained and answer.citations[0].key


def test_without_the_rule_the_same_questions_lead_with_a_figure(assistant, monkeypatch):
    monkeypatch.setattr(stated, "UNSTATED_MARGIN", -1.0)
    answer = assistant.ask("How many howitzers did China send to Russia?")
    # the figure's quote does not name China either (stated.unqualified): "not stated" still
    assert answer.abstained and answer.unstated == "China" and answer.unstated_figure
    monkeypatch.setattr(stated, "unqualified", lambda *args: None)  # that rule off too
    answer = assistant.ask("How many howitzers did China send to Russia?")
    assert not answer.abstained  # an answer, though its figures stay out of the lead
    assert all(c.key is None for c in answer.citations)  # no quote names China


def test_of_quotes_that_tie_the_one_stating_what_is_asked_leads(tmp_path, model):
    """XQuAD-de: "How much time remained on the clock when the Broncos made the interception
    that clinched the AFC Championship Game?" ranked "Die Broncos besiegten die Pittsburgh
    Steelers in der Divisional Round …" 0.005 above "Sie schlugen daraufhin im
    AFC-Championship-Spiel … bei nur 17 Sekunden verbleibender Spielzeit …". Within STATED_NEAR
    the share of asked words each states decides; further apart, the score alone."""
    from conftest import xquad_article

    from assistant.tuning import STATED_NEAR

    article, index = xquad_article(tmp_path, "xquad-00-1")

    def quote(opening: str, closing: str, score: float) -> Evidence:
        start = article.text.index(opening)
        end = article.text.index(closing, start) + len(closing)
        return Evidence(article.id, start, end, score)

    query = analyse(
        "How much time remained on the clock when the Broncos made the interception that "
        "clinched the AFC Championship Game?", model,
    )  # fmt: skip
    steelers = quote("Die Broncos besiegten", "11 Punkte erzielten.", 0.8545)
    patriots = quote("Sie schlugen daraufhin", "zu erzielen, abfingen.", 0.8491)
    assert stated.stated_first(index, query, [steelers, patriots]) == [patriots, steelers]
    apart = replace(patriots, score=steelers.score - STATED_NEAR - 0.001)
    assert stated.stated_first(index, query, [steelers, apart]) == [steelers, apart]


def test_an_age_is_answered_only_by_a_quote_that_gives_it_of_whom_is_asked(
    assistant, model, monkeypatch
):
    """ "How old is Andreas Schieder?" (close set) was answered with "… SPÖ-Klubobmann Andreas
    Schieder sichtlich auf die Nerven", which gives no age; among gnad, "How old is Kim Jong
    Un?" with "Der 21-jährige Otto Frederick Warmbier …", another's."""
    warmbier = "Der 21-jährige Otto Frederick Warmbier von der Universität Virginia hatte sich"
    assert not stated._gives_age(warmbier, analyse("How old is Kim Jong Un?", model))
    manning = "Mit 39 Jahren wurde Peyton Manning der älteste Quarterback, der je spielte."
    assert stated._gives_age(manning, analyse("How old was Peyton Manning?", model))
    assert stated._gives_age("Andreas Schieder (46) sagte", analyse("Wie alt ist Schieder?", model))
    for question, missing in (
        ("How old is George Barros?", "age"),
        ("Wie alt ist Selenskyj?", "Alter"),
    ):
        answer = assistant.ask(question)
        assert answer.abstained and answer.unstated == missing, answer.answer
    # A follow-up asks nothing else a quote could lack ("old" frames a question, "he" leans on
    # the turn before): the age alone makes it "not stated".
    follow_up = assistant.ask("And how old is he?", earlier=["Which ISW analyst is quoted?"])
    assert follow_up.abstained and follow_up.unstated == "age", follow_up.answer
    monkeypatch.setattr(stated, "AGE_ASKED", re.compile("(?!)"))  # the rule off: answered
    assert not assistant.ask("How old is George Barros?").abstained


def test_a_rise_is_no_answer_to_how_much_it_fell(model, tmp_path):
    """close2 (dev): "Um wie viel Prozent sind die Neuwagenzulassungen … zurückgegangen?" led
    with "24 Prozent gestiegen". When every figure's clause states the other change than the
    one asked, the answer says the change asked is not stated. German words are read only in
    German ("Fall" is a case, "Risiko" no rise)."""
    article, index = article_index(tmp_path, GNAD / "gnad-0465-wirtschaft.txt")
    text = article.text
    key = text.index("24 Prozent")
    quote = Evidence(article.id, text.rfind(":", 0, key) + 2, text.index(".", key) + 1, 0.9, key,
                     key + len("24 Prozent"))  # fmt: skip
    asked = {
        "Um wie viel Prozent sind die Neuwagenzulassungen seit 2009 zurückgegangen?": True,
        "By how much did new-car registrations fall between 2009 and 2014?": True,
        "By how much did new-car registrations rise between 2009 and 2014?": False,
        "Um wie viel Prozent sind die Neuwagenzulassungen seit 2009 gestiegen?": False,
        "Wie viele Neuwagen wurden 2014 zugelassen?": False,  # no change asked
    }
    for question, opposite in asked.items():
        query = analyse(question, model)
        assert figures.opposite_change(text, quote, query) is opposite, question
    fell = analyse("By how much did new-car registrations fall between 2009 and 2014?", model)
    assert stated.unqualified(index, fell, [quote]) == "fall"
    rose = analyse("By how much did new-car registrations rise between 2009 and 2014?", model)
    assert stated.unqualified(index, rose, [quote]) is None
    assert figures.change("In 20 Fällen, falls nötig, sank der Wert", "de") == "fall"
    assert figures.change("Das Risiko ist gestiegen", "de") == "rise"


def test_a_date_answers_only_for_the_event_its_clause_states(assistant):
    """ "When did North Korean troops arrive in Kursk?" led with "June" from "erst im Juni dieses
    Jahres von beiden Seiten unterzeichnete Vertrag", the month a treaty was signed: a date
    whose clause states none of the asked words leaves the lead (the quote leads as itself)."""
    for question in [
        "When did North Korean troops arrive in Kursk?",
        "Wann sind nordkoreanische Truppen in Kursk angekommen?",
    ]:
        answer = assistant.ask(question)
        assert answer.citations and not answer.abstained, answer.answer
        assert all(c.key is None for c in answer.citations), answer.answer
    signed = assistant.ask("When did North Korea and Russia sign their partnership treaty?")
    assert signed.answer.startswith("June („Juni“) [1]"), signed.answer
    signed = assistant.ask(
        "Wann wurde der Vertrag über die strategische Partnerschaft unterzeichnet?"
    )
    assert signed.answer.startswith("Juni [1]"), signed.answer
