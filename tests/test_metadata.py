"""Title, date and author read from the seeds' real lines and from invented ones, and the spans
in the text that a question about the article quotes."""

import pytest
from conftest import SEEDS

from assistant.ingest.cleaning import clean_text
from assistant.ingest.metadata import (
    DateReading,
    author_span,
    date_span,
    iso_date,
    read_author,
    read_date,
    read_metadata,
    read_title,
)
from assistant.tuning import BYLINE_LINES, HEADER_LINES

KURSK_TITLE = "Nach Entsendung von Soldaten Nordkorea liefert Russland offenbar auch Artillerie"
WEEK12_TITLE = "Ukrainische Kursk-Offensive: 12. Woche"


def seed_text(prefix: str) -> str:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return clean_text(path.read_text("utf-8"))


def lines_of(text: str) -> list[str]:
    return [line for line in text.split("\n") if line]


# --- title -----------------------------------------------------------------------------------


def test_the_title_is_the_line_above_the_stand_line():
    lines = lines_of(seed_text("000"))
    assert lines[0].startswith("Auf diesem von der staatlichen Nachrichtenagentur")  # a caption
    assert read_title(lines, "fallback") == KURSK_TITLE


def test_a_short_first_line_without_a_full_stop_is_the_title():
    assert read_title(lines_of(seed_text("004")), "fallback") == WEEK12_TITLE
    assert read_title(["Kurze Meldung", "Ein Satz."], "x") == "Kurze Meldung"


def test_a_sentence_as_first_line_gives_its_first_words():
    short = "Die Brücke ist gesperrt."
    assert read_title([short, "Mehr Text."], "x") == short
    long = "Die Gewerkschaft sieht Handlungsbedarf bei sogenannten All-in-Verträgen " * 3 + "."
    title = read_title([long.strip()], "x")
    assert title.endswith(" …") and len(title) <= 102
    assert long.startswith(title.removesuffix(" …")) and not title.removesuffix(" …").endswith(" ")


def test_no_lines_give_the_fallback_and_a_late_stand_line_is_no_title_sign():
    assert read_title([], "dateiname") == "dateiname"
    lines = ["Ein erster Satz ohne Ende"] + [f"Zeile {i}." for i in range(HEADER_LINES)]
    lines += ["Oben drüber", "Stand: 01.02.2024 10:00 Uhr"]
    assert read_title(lines, "x") == "Ein erster Satz ohne Ende"


# --- date ------------------------------------------------------------------------------------


def test_a_stand_line_states_the_date():
    reading = read_date(lines_of(seed_text("000")))
    assert reading == DateReading("2024-11-17", "stated: 'Stand: 17.11.2024 08:39 Uhr'")


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Veröffentlicht am 3.2.2024", "2024-02-03"),
        ("Published on: 01.12.2023 18:00", "2023-12-01"),
        ("aktualisiert: 5.6.2024", "2024-06-05"),
        ("Datum: 29.02.2024", "2024-02-29"),
    ],
)
def test_date_line_variants(line, date):
    reading = read_date(["Titel", line, "Text."])
    assert reading.date == date and reading.note.startswith("stated:")


def test_a_numeric_timestamp_anywhere_gives_the_date():
    lines = ["Titel", "Text ohne Datum.", "Wien, 12.03.2016, 14:22 – Die Sitzung begann."]
    reading = read_date(lines)
    assert reading.date == "2016-03-12"
    assert reading.note == "from a timestamp in the text: '12.03.2016, 14:22'"
    assert read_date(["Titel", "Am 12.03.2016 tagte der Rat."]).date is None  # no time: no stamp


def test_a_date_in_words_with_a_time_and_year():
    reading = read_date(["Titel", "Lagebild am 3. März 2024 um 10:15 Uhr."])
    assert reading.date == "2024-03-03" and reading.month_day is None
    assert "3. März 2024" in reading.note


def test_a_date_in_words_without_a_year_gives_month_and_day_only():
    reading = read_date(lines_of(seed_text("004")))
    assert reading.date is None and reading.month_day == (10, 29)
    assert "day and month from 'Kursk-Offensive am 29. Oktober 22:00 MEZ'" in reading.note
    assert "the text does not state the year" in reading.note
    assert reading.note.endswith("; relative references in the text: am kommenden Montag")


def test_a_date_in_words_without_a_time_is_not_the_article_s_date():
    reading = read_date(["Titel", "Der Vertrag wurde am 19. Juni unterzeichnet."])
    assert reading == DateReading(None, "the text states no date")
    late = ["Titel"] + ["Satz."] * HEADER_LINES + ["Stand: 17.11.2024"]
    assert read_date(late).date is None  # a date line counts in the header only


def test_iso_date():
    assert iso_date("2024", "3", "7") == iso_date(2024, 3, 7) == "2024-03-07"


# --- author ----------------------------------------------------------------------------------


def test_a_bare_name_as_last_line_signs_the_article():
    assert read_author(lines_of(seed_text("004"))) == "Stefan Axel Boes"
    assert read_author(lines_of(seed_text("000"))) is None


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("Von Anna Muster", "Anna Muster"),
        ("Autorin: Eva Beispiel", "Eva Beispiel"),
        ("By John Smith", "John Smith"),
        ("Von den 12.000 Soldaten, die Nordkorea nach Russland geschickt hat, sind viele jung.",
         None),  # a sentence, not a byline
    ],
)  # fmt: skip
def test_bylines_near_the_top(line, author):
    assert read_author(["Titel", line, "Ein Satz über Kursk."]) == author


def test_a_byline_far_down_or_a_last_line_that_is_no_name_is_no_author():
    far = ["Titel"] + ["Ein Satz."] * BYLINE_LINES + ["Von Anna Muster", "Ende."]
    assert read_author(far) is None
    assert read_author(["Titel", "Text.", "Stand 2024 Redaktion"]) is None  # digits
    assert read_author(["Titel", "Text.", "mehr dazu hier"]) is None
    assert read_author(["Stefan Axel Boes"]) is None  # a single line is a title


# --- spans -----------------------------------------------------------------------------------


def test_date_span_points_at_the_date_read():
    text = seed_text("000")
    start, end = date_span(text)
    assert text[start:end] == "17.11.2024"
    text = seed_text("004")
    start, end = date_span(text)
    assert text[start:end] == "29. Oktober"
    assert text[start - 32 : start] == "Lagebild der Kursk-Offensive am "
    assert date_span("Titel\n\nEin Satz ohne Datum.") is None
    stamped = "Titel\n\nWien, 12.03.2016, 14:22 – Die Sitzung begann."
    start, end = date_span(stamped)
    assert stamped[start:end] == "12.03.2016"


def test_author_span_points_at_the_name():
    text = seed_text("004")
    start, end = author_span(text, "Stefan Axel Boes")
    assert text[start:end] == "Stefan Axel Boes" and end == len(text)
    byline = "Titel\n\nVon Anna Muster\n\nEin Satz über Anna Muster."
    start, end = author_span(byline, read_author(lines_of(byline)))
    assert (start, end) == (byline.index("Anna"), byline.index("Anna") + len("Anna Muster"))
    assert author_span(byline, None) is None
    assert author_span(byline, "Eva Beispiel") is None


def test_read_metadata_of_a_seed():
    meta = read_metadata(seed_text("004"), "fallback")
    assert (meta.title, meta.date, meta.author, meta.month_day) == (
        WEEK12_TITLE,
        None,
        "Stefan Axel Boes",
        (10, 29),
    )
