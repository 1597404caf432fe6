"""Loading, cleaning and metadata of article files, on the real seed articles."""

import re
import shutil
from dataclasses import replace
from pathlib import Path

from conftest import SEEDS

from assistant.ingest.articles import from_record, load_folders, parse_article
from assistant.ingest.cleaning import clean_text

KURSK = "000_b82a1ae29ca0ea28"
WEEK12 = "004_647d7f6f4b7e18de"


def seeds():
    return {a.id: a for a in load_folders([SEEDS]).articles}


def test_seed_boilerplate_is_removed():
    text = seeds()[WEEK12].text
    assert "yH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==" not in text
    assert "sut layout500x300" not in text
    assert "Print Friendly" not in text
    assert "StartStreitkräfte" not in text
    assert text.startswith("Ukrainische Kursk-Offensive: 12. Woche\n")


def test_repeated_caption_kept_once():
    text = seeds()[KURSK].text
    caption = "Karte der Ukraine und Russlands, hell schraffiert: von Russland besetzte Gebiete"
    assert text.count(caption) == 1


def test_seed_metadata():
    articles = seeds()
    kursk, week12 = articles[KURSK], articles[WEEK12]
    assert (
        kursk.title
        == "Nach Entsendung von Soldaten Nordkorea liefert Russland offenbar auch Artillerie"
    )
    assert kursk.date == "2024-11-17"
    assert "Stand: 17.11.2024 08:39 Uhr" in kursk.date_note
    assert kursk.author is None
    assert week12.title == "Ukrainische Kursk-Offensive: 12. Woche"
    assert week12.author == "Stefan Axel Boes"
    # The text gives "am 29. Oktober 22:00 MEZ" but no year: no year is made up for it.
    assert (week12.date, week12.month_day) == (None, "--10-29")
    assert "does not state the year" in week12.date_note
    assert "am kommenden Montag" in week12.date_note


def test_cleaned_text_is_the_file_with_whole_lines_dropped():
    """Every line of the cleaned text is a line of the file, whitespace-normalised."""
    for article in seeds().values():
        original = {" ".join(line.split()) for line in Path(article.path).read_text().splitlines()}
        for line in article.text.split("\n"):
            assert line == "" or line in original


def test_latin1_file_is_decoded(tmp_path):
    text = "Die Bürger in Köln äußerten sich über die Straßenbahn. Größere Änderungen folgen."
    (tmp_path / "latin.txt").write_bytes(text.encode("latin-1"))
    collection = load_folders([tmp_path])
    assert [a.text for a in collection.articles] == [text]


def test_bad_files_are_skipped_with_reasons(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "junk.md").write_text(
        "Print Friendly, PDF & Email\n\nyH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==\n"
    )
    (tmp_path / "good.txt").write_text("Ein Satz über Kursk. Noch ein Satz.")
    (tmp_path / "copy.txt").write_text("Ein Satz über Kursk. Noch ein Satz.")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    collection = load_folders([tmp_path])
    assert [a.id for a in collection.articles] == ["copy"]
    reasons = {Path(s.path).name: s.reason for s in collection.skipped}
    assert set(reasons) == {"empty.txt", "binary.txt", "junk.md", "good.txt"}
    assert "binary" in reasons["binary.txt"]
    assert "no text" in reasons["empty.txt"]
    assert "same content as" in reasons["good.txt"]


def test_missing_folder_names_it(tmp_path):
    import pytest

    from assistant.errors import ArticleError

    with pytest.raises(ArticleError, match="does-not-exist"):
        load_folders([tmp_path / "does-not-exist"])


def test_clean_text_normalises_whitespace_only():
    raw = "Titel\r\n\r\n\r\nErster  Satz.\tZweiter\u00a0Satz.\n"
    assert clean_text(raw) == "Titel\n\nErster Satz. Zweiter Satz."


def test_single_paragraph_article_gets_a_short_title(tmp_path):
    path = tmp_path / "gnad-x.txt"
    body = "Die Gewerkschaft sieht Handlungsbedarf bei sogenannten All-in-Verträgen. " * 5
    article = parse_article(path, body.encode())
    assert article.title.endswith("…") and len(article.title) <= 102
    assert re.match(r"Die Gewerkschaft", article.title)


def test_unchanged_files_are_not_parsed_again(tmp_path):
    """An update passes the index's articles: unchanged files come back as they were read."""
    for path in SEEDS.iterdir():
        shutil.copy(path, tmp_path)
    first = {a.id: a for a in load_folders([tmp_path]).articles}
    stated, yearless = first[KURSK], first[WEEK12]
    assert (stated.date, stated.month_day) == ("2024-11-17", None)
    assert (yearless.date, yearless.month_day) == (None, "--10-29")

    again = {a.id: a for a in load_folders([tmp_path], known=first).articles}
    assert again == first
    assert again[stated.id] is stated and again[yearless.id] is yearless  # reused

    path = Path(stated.path)
    path.write_text(path.read_text("utf-8").replace("Kursk", "Kursk-Gebiet", 1), "utf-8")
    edited = {a.id: a for a in load_folders([tmp_path], known=first).articles}
    assert edited[stated.id].sha256 != stated.sha256
    assert "Kursk-Gebiet" in edited[stated.id].text


def test_a_moved_folder_is_not_parsed_again(tmp_path):
    """The same files in another folder (moved, remounted): each keeps its record, with its
    new path, instead of being cleaned and parsed again; a file whose bytes differ is read."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    for path in SEEDS.iterdir():
        shutil.copy(path, old)
    first = {a.id: a for a in load_folders([old]).articles}
    shutil.move(old, new)
    moved = {a.id: a for a in load_folders([new], known=first).articles}
    assert moved.keys() == first.keys()
    for article_id, article in moved.items():
        assert article.path == str(new / Path(first[article_id].path).name)
        assert article.text is first[article_id].text  # reused, not parsed again
        assert replace(article, path=first[article_id].path) == first[article_id]
    path = new / Path(first[KURSK].path).name
    path.write_text(path.read_text("utf-8").replace("Kursk", "Kursk-Gebiet", 1), "utf-8")
    edited = {a.id: a for a in load_folders([new], known=first).articles}
    assert "Kursk-Gebiet" in edited[KURSK].text and edited[WEEK12].text is first[WEEK12].text


def test_adding_an_article_from_another_year_changes_no_date(tmp_path):
    """An article's date depends on itself alone: a 2030 article beside the seeds moves neither
    the dated seed nor the one whose text gives no year (it stays "29 Oct, year not stated")."""
    for path in SEEDS.iterdir():
        shutil.copy(path, tmp_path)
    before = {a.id: (a.date, a.month_day, a.date_note) for a in load_folders([tmp_path]).articles}
    (tmp_path / "later.txt").write_text(
        "Neue Lage\n\nStand: 03.02.2030 10:00 Uhr\n\nIn Kursk ist es ruhig geworden, "
        "berichten Beobachter.\n",
        "utf-8",
    )
    after = {a.id: (a.date, a.month_day, a.date_note) for a in load_folders([tmp_path]).articles}
    assert after["later"][0] == "2030-02-03"
    assert {k: after[k] for k in before} == before
    assert before[WEEK12][:2] == (None, "--10-29")


def test_an_index_record_with_an_inferred_year_loads_with_the_date_its_text_states():
    record = {
        "id": "x", "title": "T", "date": "2024-10-29", "author": None, "text": "…",
        "date_note": "day and month from '29. Oktober 22:00'; the text does not state the year; "
        "year 2024 inferred from the other articles (dated 2024-11-17 to 2024-11-17), so the "
        "date is uncertain",
        "date_certain": False, "sha256": "0", "path": "x.txt",
    }  # fmt: skip
    article = from_record(record)
    assert (article.date, article.month_day) == (None, "--10-29")
    assert article.date_note.endswith("the text does not state the year")
    assert from_record({**record, "date_certain": True}).date == "2024-10-29"
