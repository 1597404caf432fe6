"""Folding, content terms and the five-letter-prefix match that every stage compares words by."""

import pytest

from assistant.text.words import content_terms, fold, fold_words, known, lexical_overlap, stems
from assistant.tuning import STEM_PREFIX

HOWITZERS = (
    'Die Haubitzen "Koksan", die vor einigen Tagen auf einem russischen Bahnhof gesichtet '
    "worden seien, haben eine Reichweite von bis zu 50 Kilometern."
)


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Größe", "grosse"), ("Café Müller", "cafe muller"), ("ÄÖÜ äöü", "aou aou"),
     ("Selenskyj", "selenskyj"), ("STRASSE", "strasse")],
)  # fmt: skip
def test_fold_lowercases_and_removes_accents(text, folded):
    assert fold(text) == folded


def test_fold_words_turns_punctuation_into_spaces():
    assert fold_words("Kursk-Offensive: 12. Woche!").split() == [
        "kursk",
        "offensive",
        "12",
        "woche",
    ]
    assert fold_words("„Koksan“").strip() == "koksan"


def test_content_terms_of_german_and_english_questions():
    german = content_terms("Wie viele nordkoreanische Soldaten sind bei Kursk?")
    assert german == {"nordkoreanische", "soldaten", "kursk"}
    english = content_terms("How many North Korean soldiers are reported near Kursk?")
    assert english == {"north", "korean", "soldiers", "kursk"}  # "near", "reported": fillers
    assert content_terms("EU und UN in Wien") == {"wien"}  # two-letter words are dropped
    assert content_terms("Größe") == {"grosse"}


def test_stems_are_the_prefixes_of_the_longer_words():
    assert STEM_PREFIX == 5
    assert stems({"soldaten", "kim", "haubitze", "kursk"}) == {"solda", "haubi", "kursk"}


def test_known_matches_a_word_or_a_shared_five_letter_prefix():
    words = {"soldaten", "kim"}
    prefixes = stems(words)
    assert known("soldat", words, prefixes)  # Soldat / Soldaten
    assert known("kim", words, prefixes)
    assert not known("sold", words, prefixes)  # too short to match by prefix
    assert not known("solar", words, prefixes)
    assert not known("ki", words, prefixes)


def test_lexical_overlap_is_the_share_of_terms_found():
    assert lexical_overlap({"haubitze", "koksan", "preis"}, HOWITZERS) == pytest.approx(2 / 3)
    assert lexical_overlap({"soldat"}, "Die Soldaten warten.") == 1.0
    assert lexical_overlap({"krieg"}, "Nach dem Kriegsende kam der Frieden.") == 1.0
    assert lexical_overlap({"kim"}, "Kimchi ist ein Gericht.") == 0.0  # short words: whole only
    assert lexical_overlap(set(), HOWITZERS) == 0.0
    # Stopwords of the text match nothing: "die" is not found although the text has it.
    assert lexical_overlap({"die", "koksan"}, HOWITZERS) == 0.5


def test_question_stopwords_add_only_the_fillers_to_the_one_list():
    from assistant.text.words import QUESTION_FILLERS, QUESTION_STOPWORDS, STOPWORDS

    assert QUESTION_STOPWORDS - STOPWORDS == QUESTION_FILLERS
