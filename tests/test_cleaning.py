"""Boilerplate removal drops whole junk lines and keeps every other line's text exactly."""

import pytest
from conftest import SEEDS

from assistant.ingest.cleaning import clean_text, drop_breadcrumbs, drop_repeated_lines, is_junk

SENTENCE = "Nordkorea soll knapp 50 schwere Haubitzen nach Russland geschickt haben."


def kept_lines(raw: str) -> list[str]:
    return [line for line in clean_text(raw).split("\n") if line]


@pytest.mark.parametrize(
    ("name", "dropped"),
    [
        (
            "000",
            ["Karte der Ukraine und Russlands, hell schraffiert: von Russland besetzte Gebiete"],
        ),
        (
            "004",
            [
                "StartStreitkräfteUkrainische Kursk-Offensive: 12. Woche",
                "Print Friendly, PDF & Email",
                "sut layout500x300 2024yH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==",
                "yH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==",
            ],
        ),
    ],
)
def test_the_seeds_lose_exactly_their_junk_lines(name, dropped):
    raw = next(SEEDS.glob(f"{name}_*.txt")).read_text("utf-8")
    original = [" ".join(line.split()) for line in raw.splitlines() if line.strip()]
    expected = list(original)
    for line in dropped:
        expected.remove(line)  # the first copy of a repeated caption stays; which one is moot
    assert kept_lines(raw) == expected


@pytest.mark.parametrize(
    "line",
    ["Print Friendly, PDF & Email", "Teilen:", "WERBUNG", "Mehr zum Thema", "Nach oben", "drucken"],
)
def test_page_furniture_lines_are_dropped(line):
    assert kept_lines(f"{SENTENCE}\n{line}\nZweiter Satz.") == [SENTENCE, "Zweiter Satz."]


def test_furniture_words_inside_a_sentence_stay():
    text = "Wir teilen die Sorge, sagte er. Mehr zum Thema folgt am Abend."
    assert kept_lines(text) == [text]
    assert kept_lines("Anzeige erstattet") == ["Anzeige erstattet"]


@pytest.mark.parametrize(
    "line",
    [
        "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP",
        '<img src="data:image/png;base64,iVBORw0KGgo">',
        "yH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==",
        "Bild: R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==",
    ],
)
def test_image_residue_is_dropped(line):
    assert is_junk(line)
    assert kept_lines(f"{SENTENCE}\n\n{line}\n\nEnde.") == [SENTENCE, "Ende."]


def test_a_long_sentence_with_a_short_code_in_it_stays():
    line = (
        "Der Prüfbericht mit der Kennung ABCDEFGHabcdefgh12== wurde am Montag in Wien vorgestellt "
        "und von allen Fraktionen im Gemeinderat ausführlich diskutiert, ehe er angenommen wurde."
    )
    assert len(line) >= 120 and not is_junk(line)
    assert kept_lines(line) == [line]
    assert is_junk(line[:100])  # the same code makes up much of a short line


def test_a_breadcrumb_glued_to_the_next_line_is_dropped():
    lines = [
        "StartPolitikNordkorea liefert Artillerie",
        "",
        "Nordkorea liefert Artillerie",
        "Text.",
    ]
    assert drop_breadcrumbs(lines) == lines[1:]


def test_lines_that_merely_end_like_the_next_one_stay():
    spaced = ["Mehr dazu: Nordkorea liefert Artillerie", "Nordkorea liefert Artillerie"]
    assert drop_breadcrumbs(spaced) == spaced  # a space in front: a sentence, not a breadcrumb
    short = ["HomeKursk", "Kursk"]  # the next line is too short to tell
    assert drop_breadcrumbs(short) == short


def test_a_line_repeated_right_after_itself_is_kept_once():
    caption = "Karte der Ukraine und Russlands"
    assert drop_repeated_lines([caption, "", caption, "Text."]) == [caption, "", "Text."]
    apart = [caption, "Text.", caption]
    assert drop_repeated_lines(apart) == apart


def test_control_and_invisible_characters_are_removed():
    raw = "\ufeffNord\u200bkorea\x00 liefert\x07 Artillerie\u202e.\r\nZweite\tZeile\u00a0hier."
    assert clean_text(raw) == "Nordkorea liefert Artillerie.\nZweite Zeile hier."


def test_other_lines_are_kept_exactly_and_paragraphs_separated_by_one_blank_line():
    raw = f"  Titel  \n\n\n\n{SENTENCE}\nZweite Zeile: „Koksan“ – 50 km!\n\n\nEnde.  "
    assert clean_text(raw) == f"Titel\n\n{SENTENCE}\nZweite Zeile: „Koksan“ – 50 km!\n\nEnde."
