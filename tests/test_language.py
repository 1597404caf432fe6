"""German or English by the function words it has more of; a tie is German with a German letter
or an opening "Was", else undecided (None)."""

import json
from pathlib import Path

import pytest
from conftest import SHARED

from assistant.text.language import ENGLISH, GERMAN, is_german, language


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Wie viele nordkoreanische Soldaten sind bei Kursk?", GERMAN),
        ("Wer führt das Vorauskommando?", GERMAN),
        ("WIE VIELE SOLDATEN SIND DORT?", GERMAN),  # case does not matter
        ("How many North Korean soldiers are reported near Kursk?", ENGLISH),
        ("Who leads the advance party?", ENGLISH),
        ("Die Soldaten and the tanks of Kursk", ENGLISH),  # 1 German word, 2 English ones
        ("How big is Köln?", ENGLISH),  # a German name in an English question
        ("Größe Kursk?", GERMAN),  # no function words: a letter only German writes tells
        ("Straße nach Kursk", GERMAN),
        ("Kursk?", None),
        ("Theater Diesel Anderson", None),  # "the", "die", "and" only as whole words
        ("", None),
    ],
)
def test_language(text, expected):
    assert language(text) == expected
    assert is_german(text) is (expected == GERMAN)


def test_a_tie_is_undecided_and_not_german():
    assert language("Kursk und the war") is None  # one word each
    assert not is_german("Kursk und the war")
    assert language("Kursk und the Krieg in Köln") == GERMAN  # a German letter breaks it


def test_a_german_question_with_was_reads_as_german():
    # "was" is German and English, so it counts for neither; an opening "Was" with nothing else
    # to tell is German, an English "Was …" question has its "the" or "a".
    assert language("Was isst man in Kursk?") == GERMAN
    assert language("Was übersetzte Marlee Matlin?") == GERMAN
    assert language("Was verwenden Beroiden als Zähne?") == GERMAN
    assert language("Was the attack near Kursk?") == ENGLISH
    assert language("Was will Putin in Kursk?") == GERMAN


def test_every_question_of_the_question_sets_reads_in_its_language():
    # 17 German questions of these sets (1.2%) were read as English before, and answered in
    # English glosses ("Worauf basiert Victorias Verfassung?", "Wen kontrollieren Gurus?").
    paths = [SHARED / "data" / "xquad-de-dev" / "questions.jsonl"] + [
        Path(__file__).parent / "data" / name
        for name in ("close-questions.jsonl", "close-questions-2.jsonl", "seeds-questions.jsonl")
    ]
    wrong = [
        q["question"]
        for path in paths
        for q in map(json.loads, path.read_text(encoding="utf-8").splitlines())
        if is_german(q["question"]) != (q["lang"] == "de")
    ]
    assert wrong == []


GERMAN_FUNCTION_WORDS = (
    "der die das und ist sind wie viele wer wen wem wessen wo wann warum welche welcher welches "
    "welchen welchem worüber worauf woran womit wofür wozu nicht mit von bei nach hat haben "
    "hatte wurde wurden werden wird ein eine einer einem eines dem den des für über gibt es zu "
    "zum zur im am vom beim auf aus als sich sein seine ihr ihre auch oder durch gegen seit kann "
    "können muss müssen soll sollen jede jeder jedes"
).split()
ENGLISH_FUNCTION_WORDS = (
    "the and is are how many much what who whom whose where when why which not with of by to "
    "has have had were a does did do for about there from that this these those on at its their "
    "they he she his her been be would could can"
).split()


@pytest.mark.parametrize("word", ["was", "an", "in", "so", "will", "man"])
def test_words_of_both_languages_count_for_neither(word):
    assert language(f"Kursk {word} Koksan?") is None


@pytest.mark.parametrize("word", GERMAN_FUNCTION_WORDS)
def test_each_german_function_word_counts(word):
    assert language(f"{word.capitalize()} Kursk Koksan?") == GERMAN


@pytest.mark.parametrize("word", ENGLISH_FUNCTION_WORDS)
def test_each_english_function_word_counts(word):
    assert language(f"{word.capitalize()} Kursk Koksan?") == ENGLISH
