"""Abstention on the seed articles: close-to-topic questions they do not answer, questions they
answer, and each tuned constant shown to decide some real question.

The pinned outcomes were read off the real model and index. A test that zeroes a constant
asserts the outcome today AND that it flips without the constant, so it fails when the
constant is removed (or set to 0 in assistant/tuning.py).
"""

from dataclasses import replace

import numpy as np
import pytest
from conftest import xquad_article

from assistant.qa import abstention, evidence, stated
from assistant.qa.abstention import Signals, peak, signals
from assistant.qa.pipeline import Assistant
from assistant.qa.question import analyse
from assistant.qa.retrieval import retrieve
from assistant.text.words import lexical_overlap
from assistant.tuning import (
    COVERAGE_WEIGHT,
    GAP_WEIGHT,
    MAX_RELIEF,
    MIN_MARGIN,
    PEAK_RANK,
    STATED_RELIEF,
    STATED_SHARE,
    TOP_WEIGHT,
    TYPICAL_COVERAGE,
    TYPICAL_GAP,
    TYPICAL_TOP,
)

# Close to the seeds' topic (Kim Jong Un, the war, South Korea, Kursk), not answered by them.
UNANSWERED_DE = [
    "Wann wurde Kim Jong Un geboren?",
    "Wie groß ist Kim Jong Un?",
    "Wie heißt der Botschafter Südkoreas in Moskau?",
    "Welcher Fußballverein spielt in Kursk?",
    "Wann wurde Wladimir Putin geboren?",
    "Wann endet der Krieg?",
    "Wie viele nordkoreanische Soldaten sind in Kursk gefallen?",  # stated.CASUALTY
    "Wer ist der Botschafter Südkoreas in Russland?",  # qa/roles.py
]
UNANSWERED_EN = [
    "What is Kim Jong Un's favourite food?",
    "When was Vladimir Putin born?",
    "When will the war in Ukraine end?",
    "When will the war end?",
    "How many North Korean soldiers have been killed near Kursk?",  # stated.CASUALTY
    "Who is South Korea's ambassador to Russia?",  # qa/roles.py
]
ANSWERED = [
    ("How many North Korean soldiers are reported near Kursk?", "über 10.000 nordkoreanische"),
    ("Wie viele Haubitzen hat Nordkorea geliefert?", "knapp 50 schwere Haubitzen"),
    ("Wie viele Mehrfachraketenwerfer sind in Russland eingetroffen?", "knapp 20"),
    ("What are the North Korean howitzers spotted at a Russian railway station called?", "Koksan"),
]


def evidence_and_signals(assistant: Assistant, question: str):
    """The best candidate quote of a question and its Signals, as selection.answer gets them."""
    query = analyse(question, assistant.model)
    hits = retrieve(assistant.index, query, assistant.config.top_k, assistant.config.lexical_weight)
    best = evidence.select(assistant.index, query, hits)[0]
    return best, signals(assistant.index, query, best.article_id, best=best)


def decision(assistant: Assistant, question: str) -> tuple[float, float]:
    """(best evidence score, abstention threshold) of a question."""
    best, found = evidence_and_signals(assistant, question)
    return best.score, found.threshold(assistant.config.min_margin)


@pytest.mark.parametrize("question", UNANSWERED_DE + UNANSWERED_EN)
def test_close_to_topic_questions_the_articles_do_not_answer_abstain(assistant, question):
    answer = assistant.ask(question)
    assert answer.abstained, answer.answer
    said = "Die Artikel sagen es nicht" if question in UNANSWERED_DE else "The articles do not say"
    assert answer.answer.startswith(said)  # in the question's language
    assert 1 <= len(answer.citations) <= 2  # the closest passages, shown as such


# Known misses (benchmarks/abstention.py: seeds unanswerable abstain 0.46): these are answered
# with a related quote today. strict: when one starts to abstain, move it to UNANSWERED_*.
KNOWN_MISSES = [
    "What is the weather in Kursk?",
    "Wie ist das Wetter in Kursk?",
]


@pytest.mark.xfail(strict=True, reason="close-to-topic question answered with a related quote")
@pytest.mark.parametrize("question", KNOWN_MISSES)
def test_known_misses_would_abstain(assistant, question):
    assert assistant.ask(question).abstained


@pytest.mark.parametrize(("question", "expected"), ANSWERED)
def test_answerable_questions_are_answered(assistant, question, expected):
    answer = assistant.ask(question)
    assert not answer.abstained
    assert expected in answer.citations[0].quote
    score, threshold = decision(assistant, question)
    assert score >= threshold


# --- the constants decide real questions -----------------------------------------------------


@pytest.mark.parametrize(
    "question",
    [
        "Wann wurde Kim Jong Un geboren?",  # 004: of kim, jong, geboren only "kim"
        "Wie groß ist Kim Jong Un?",
        "Wie heißt der Botschafter Südkoreas in Moskau?",
        "Welcher Fußballverein spielt in Kursk?",
    ],
)
def test_coverage_weight_keeps_german_questions_with_missing_words_abstained(
    assistant, monkeypatch, question
):
    assert analyse(question, assistant.model).german
    assert assistant.ask(question).abstained
    _, found = evidence_and_signals(assistant, question)
    assert found.coverage is not None and found.coverage < TYPICAL_COVERAGE
    monkeypatch.setattr(abstention, "COVERAGE_WEIGHT", 0.0)
    monkeypatch.setattr(stated, "UNSTATED_MARGIN", -1.0)  # the weight alone, not qa/stated.py
    assert not assistant.ask(question).abstained  # without the weight, it would be "answered"


def test_coverage_is_only_measured_for_german_questions(assistant):
    english = analyse("When was Kim Jong Un born?", assistant.model)
    german = analyse("Wann wurde Kim Jong Un geboren?", assistant.model)
    article = "000_b82a1ae29ca0ea28"
    assert signals(assistant.index, english, article).coverage is None
    found = signals(assistant.index, german, article).coverage
    assert found == lexical_overlap(german.words, assistant.index.articles[article].text)
    # The photo caption names "Kim Jong Un"; "geboren" is not in the article ("un" is too short).
    assert found == pytest.approx(2 / 3)
    assert signals(assistant.index, german, None).coverage is None


def test_gap_weight_keeps_a_question_that_meets_many_similar_chunks_abstained(
    assistant, monkeypatch
):
    question = "When will the war in Ukraine end?"
    query = analyse(question, assistant.model)
    top, gap = peak(assistant.index.vectors @ query.search.vector)
    assert gap < TYPICAL_GAP  # many chunks about the war, none stands out
    assert assistant.ask(question).abstained
    monkeypatch.setattr(abstention, "GAP_WEIGHT", 0.0)
    assert not assistant.ask(question).abstained


def test_max_relief_caps_how_much_a_standing_out_chunk_lowers_the_margin(assistant, monkeypatch):
    question = "What is Kim Jong Un's favourite food?"
    query = analyse(question, assistant.model)
    top, gap = peak(assistant.index.vectors @ query.search.vector)
    shift = TOP_WEIGHT * (top - TYPICAL_TOP) - GAP_WEIGHT * (gap - TYPICAL_GAP)
    assert shift < -MAX_RELIEF  # the cap is what applies here
    assert assistant.ask(question).abstained
    monkeypatch.setattr(abstention, "MAX_RELIEF", 1.0)  # no cap
    monkeypatch.setattr(stated, "UNSTATED_MARGIN", -1.0)  # the cap alone, not qa/stated.py
    assert not assistant.ask(question).abstained


@pytest.mark.parametrize(
    "question",
    ["Wie heißt der Botschafter Südkoreas in Moskau?", "What is Kim Jong Un's favourite food?"],
)
def test_min_margin_keeps_near_misses_abstained(assistant, question):
    assert assistant.config.min_margin == MIN_MARGIN
    assert assistant.ask(question).abstained
    lenient = Assistant(assistant.index, assistant.model, replace(assistant.config, min_margin=0.0))
    assert not lenient.ask(question).abstained


def test_a_larger_min_margin_abstains_on_answerable_questions(assistant):
    question = "What are the North Korean howitzers spotted at a Russian railway station called?"
    score, threshold = decision(assistant, question)
    assert 0 < score - threshold < 0.07  # answered, by a small margin
    strict = Assistant(
        assistant.index, assistant.model, replace(assistant.config, min_margin=MIN_MARGIN + 0.07)
    )
    assert not assistant.ask(question).abstained and strict.ask(question).abstained


# --- Signals arithmetic -----------------------------------------------------------------------


def typical(**changes) -> Signals:
    return replace(Signals(background=0.8, top=TYPICAL_TOP, gap=TYPICAL_GAP), **changes)


def test_a_typical_question_needs_exactly_min_margin():
    assert typical().required_margin(0.033) == pytest.approx(0.033)
    assert typical().threshold(0.033) == pytest.approx(0.8 + 0.033)
    assert typical(coverage=TYPICAL_COVERAGE).required_margin(0.02) == pytest.approx(0.02)


def test_a_closer_best_chunk_needs_more_margin():
    closer = typical(top=TYPICAL_TOP + 0.05)
    assert closer.required_margin(0.033) == pytest.approx(0.033 + TOP_WEIGHT * 0.05)
    assert closer.required_margin(0.033) > typical().required_margin(0.033)
    # ... and a farther one less (within the relief cap).
    farther = typical(top=TYPICAL_TOP - 0.01)
    assert farther.required_margin(0.033) == pytest.approx(0.033 - TOP_WEIGHT * 0.01)


def test_a_standing_out_chunk_needs_less_margin_but_at_most_max_relief_less():
    slight = typical(gap=TYPICAL_GAP + 0.004)
    assert slight.required_margin(0.033) == pytest.approx(0.033 - GAP_WEIGHT * 0.004)
    huge = typical(gap=TYPICAL_GAP + 0.5)
    assert huge.required_margin(0.033) == pytest.approx(0.033 - MAX_RELIEF)
    assert huge.required_margin(0.033) < 0.033
    flat = typical(gap=TYPICAL_GAP - 0.02)  # many chunks alike: more margin, uncapped
    assert flat.required_margin(0.033) == pytest.approx(0.033 + GAP_WEIGHT * 0.02)


def test_missing_words_add_coverage_weight_times_the_shortfall():
    short = typical(coverage=0.2)
    assert short.required_margin(0.033) == pytest.approx(
        0.033 + COVERAGE_WEIGHT * (TYPICAL_COVERAGE - 0.2)
    )
    assert short.required_margin(0.033) > typical().required_margin(0.033)
    # Coverage above typical earns nothing; None (English) counts as no shortfall.
    assert typical(coverage=1.0).required_margin(0.033) == pytest.approx(0.033)
    assert typical(coverage=None).required_margin(0.033) == pytest.approx(0.033)
    # The coverage penalty comes on top of the capped relief, not inside it.
    both = typical(gap=TYPICAL_GAP + 0.5, coverage=0.2)
    assert both.required_margin(0.033) == pytest.approx(
        0.033 - MAX_RELIEF + COVERAGE_WEIGHT * (TYPICAL_COVERAGE - 0.2)
    )


def test_peak_compares_the_best_score_with_the_peak_rank_th():
    scores = [0.9 - 0.01 * i for i in range(30)][::-1]
    top, gap = peak(np.array(scores))
    assert top == pytest.approx(0.9)
    assert gap == pytest.approx(0.01 * (PEAK_RANK - 1))
    assert peak(np.array([0.7, 0.5])) == pytest.approx((0.7, 0.2))  # fewer than PEAK_RANK
    assert peak(np.array([])) == (0.0, 0.0)


def test_an_english_quote_stating_most_asked_words_needs_stated_relief_less():
    assert typical(stated=STATED_SHARE).required_margin(0.033) == pytest.approx(
        0.033 - STATED_RELIEF
    )
    assert typical(stated=STATED_SHARE - 0.01).required_margin(0.033) == pytest.approx(0.033)
    assert typical(stated=None).required_margin(0.033) == pytest.approx(0.033)
    # A missing word is measured from the threshold without the credit (qa/stated.py).
    assert typical(stated=1.0).threshold(0.033, relief=False) == pytest.approx(0.8 + 0.033)


def test_the_stated_share_of_english_questions_on_real_quotes(tmp_path, model):
    """XQuAD-de dev: "What happens to the packet at the destination" abstained 0.014 below the
    threshold, though its best quote ("Am Zielort werden die ursprünglichen Daten … auf der
    Paketsequenznummer wieder zusammengesetzt") states both asked words; with the relief it is
    answered. A word the dictionary does not know counts as not stated ("How many different
    species of ctenohore are there?" met a sentence about the plague). German questions are
    compared word for word elsewhere (coverage)."""
    article, index = xquad_article(tmp_path, "xquad-19-0")
    opening = "Am Zielort werden"
    start = article.text.index(opening)
    quote = evidence.Evidence(article.id, start, article.text.index(".", start) + 1, 0.8)
    query = analyse("What happens to the packet at the destination", model)
    assert signals(index, query, article.id, best=quote).stated == 1.0
    german = analyse("Was passiert mit dem Paket am Zielort?", model)
    assert signals(index, german, article.id, best=quote).stated is None

    # Misspelt, "packett" is a word the dictionary does not know: not stated.
    typo = analyse("What happens to the data packett at the destination", model)
    assert stated.share(typo, article.text[quote.start : quote.end]) == 1.0  # known words
    assert signals(index, typo, article.id, best=quote).stated < STATED_SHARE
