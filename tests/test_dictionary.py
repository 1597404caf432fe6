"""English questions meet German articles word for word: Ding's dictionary (Debian's trans-de-en,
installed by scripts/setup), its cache, and its use in lexical search and evidence."""

import json
import logging

import numpy as np
import pytest

from assistant.indexing.lexical import tokens
from assistant.qa.evidence import Evidence
from assistant.qa.figures import counts_asked
from assistant.qa.question import analyse
from assistant.qa.retrieval import lexical_groups
from assistant.text import dictionary

SAMPLE = """\
# Version :: 1.9 2022-10-22
Haubitze {f} [mil.] | Haubitzen {pl} :: howitzer | howitzers
jdn. töten; jdn. umbringen {vt} | tötend | getötet :: to kill sb. | killing | killed
Artilleriegranate {f}; Granate {f} :: artillery shell; shell
ein ganzer Satz; eine Menge {f} | zwei :: a whole lot
"""


@pytest.fixture
def sample(tmp_path, monkeypatch):
    monkeypatch.setattr(dictionary, "CACHE_DIR", tmp_path / "cache")
    path = tmp_path / "de-en"
    path.write_text(SAMPLE, encoding="utf-8")
    dictionary.load.cache_clear()
    yield path
    dictionary.load.cache_clear()


def test_aligned_alternatives_notes_and_placeholders(sample):
    table = dictionary.load(sample)
    assert table["howitzer"] == "haubitze" and table["howitzers"] == "haubitzen"
    assert table["kill"] == "toten umbringen" and table["killed"] == "getotet"
    # synonyms on one side translate every synonym on the other
    assert table["artillery shell"] == table["shell"] == "artilleriegranate granate"
    # sides that do not align give their headwords only; multi-word German is left out
    assert "a whole lot" not in table and "zwei" not in str(table)


def test_notes_with_semicolons_placeholder_pairs_and_persons(tmp_path, monkeypatch):
    """Lines as Ding writes them (2026-12-03: "century", "kill → töten" and every verb's
    persons were missing from the table because of these three shapes)."""
    monkeypatch.setattr(dictionary, "CACHE_DIR", tmp_path / "cache")
    path = tmp_path / "de-en"
    path.write_text(
        "Jahrhundert {n} /Jh./ | Jahrhunderte {pl} :: century /c; cent./ | centuries\n"
        "jdn./etw. töten {vt} | getötet | er/sie tötet "
        ":: to kill sb./sth. | killed | he/she kills\n"
        "singen {vi} | gesungen | ich/er/sie sang :: to sing {sang; sung} | sung | I/he/she sang\n",
        encoding="utf-8",
    )
    table = dictionary.parse(path)
    assert table["century"] == "jahrhundert" and table["centuries"] == "jahrhunderte"
    assert table["kill"] == "toten" and table["kills"] == "totet"
    assert table["sing"] == "singen" and table["sang"] == "sang"


def test_phrases_and_crude_lemmas(sample):
    table = dictionary.load(sample)
    terms = dictionary.translate("How many artillery shells killed the howitzers?", table)
    assert [(t.english, sorted(t.german)) for t in terms] == [
        ("artillery shells", ["artilleriegranate", "granate"]),  # "shells" → "shell" in phrases
        ("killed", ["getotet"]),
        ("howitzers", ["haubitzen"]),
    ]


def test_cached_after_the_first_parse_and_a_damaged_cache_is_replaced(sample):
    table = dictionary.load(sample)
    (cache,) = dictionary.CACHE_DIR.glob("de-en-*.json")
    assert json.loads(cache.read_text(encoding="utf-8")) == table
    for damage in (
        '{"howitzer": ["broken',
        '["valid JSON, wrong shape"]',
        '{"howitzer": ["a list"]}',
    ):
        cache.write_text(damage, encoding="utf-8")
        dictionary.load.cache_clear()
        assert dictionary.load(sample) == table
        assert json.loads(cache.read_text(encoding="utf-8")) == table


def test_an_unwritable_cache_only_costs_time(sample, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(dictionary, "CACHE_DIR", blocker / "cache")  # mkdir fails, as root too
    assert dictionary.load(sample)["howitzer"] == "haubitze"
    assert blocker.read_text(encoding="utf-8") == ""


def test_without_the_file_nothing_is_translated(tmp_path, caplog):
    dictionary.load.cache_clear()
    with caplog.at_level(logging.WARNING):
        table = dictionary.load(tmp_path / "missing")
    assert table == {} and "trans-de-en" in caplog.text
    assert "not translated: no dictionary at" in dictionary.status(tmp_path / "missing")
    assert [t.german for t in dictionary.translate("How many howitzers?", table)] == [frozenset()]


def test_the_installed_dictionary():
    terms = {t.english: t.german for t in dictionary.translate(
        "How many North Korean soldiers have been killed or evacuated in Kursk?"
    )}  # fmt: skip
    assert "nordkoreanisch" in terms["north korean"] and "soldaten" in terms["soldiers"]
    assert "getotet" in terms["killed"] and "evakuiert" in terms["evacuated"]
    assert terms["kursk"] == frozenset()
    table = dictionary.load()
    assert "jahrhundert" in table["century"] and "toten" in table["kill"].split()


def test_english_question_finds_german_words_in_the_lexical_index(seeds_index):
    question = "Which range do the howitzers have?"
    untranslated = seeds_index.lexical.scores(question)
    translated = seeds_index.lexical.scores_any(lexical_groups(dictionary.translate(question)))
    haubitzen = np.array(["Haubitze" in c.text for c in seeds_index.chunks])
    assert untranslated.max() == 0  # no English word of it is in the German articles
    assert translated[haubitzen].min() > 0 and translated[~haubitzen].max() < translated.max()
    assert seeds_index.chunks[int(np.argmax(translated))].text.count("Reichweite") >= 1


def test_names_are_respelled_the_german_way(seeds_index):
    terms = {t.english: t.german for t in dictionary.translate(
        "Did Zelensky visit Pokrovsk, Kurakhove or Donetsk? And how many howitzers?"
    )}  # fmt: skip
    assert terms["pokrovsk"] == {"pokrowsk"} and terms["kurakhove"] == {"kurachowe"}
    assert terms["donetsk"] == {"donezk"} and terms["zelensky"] == {"selensky"}
    assert "howitsers" not in terms["howitzers"]  # not a name: no made-up spelling
    groups = lexical_groups(
        dictionary.translate("What did Barros say about the losses at Pokrovsk?")
    )
    unspelled = [g - set(tokens("pokrowsk")) for g in groups]
    pokrowsk = np.array(["Pokrowsk" in c.text for c in seeds_index.chunks])
    assert seeds_index.lexical.scores_any([{"pokrovsk"}]).max() == 0  # not in German articles
    found, missed = (seeds_index.lexical.scores_any(g)[pokrowsk].max() for g in (groups, unspelled))
    assert found > missed


def test_other_articles_figure_counts_what_is_asked(model):
    text = (
        "Russland hat bereits knapp 50.000 Soldaten zusammengezogen, unter ihnen auch über "
        "10.000 nordkoreanische Kämpfer. Nordkorea will bis zu 12.000 Mann entsenden."
    )

    def figure(phrase: str) -> Evidence:
        start = text.index(phrase)
        return Evidence("a", 0, len(text), 0.9, start, start + len(phrase))

    soldiers = analyse("How many North Korean soldiers are reported near Kursk?", model)
    assert counts_asked(text, figure("über 10.000 nordkoreanische Kämpfer"), soldiers)
    launchers = analyse("Wie viele Mehrfachraketenwerfer sind in Russland eingetroffen?", model)
    assert not counts_asked(text, figure("bis zu 12.000 Mann"), launchers)
    assert not counts_asked(text, Evidence("a", 0, 10, 0.9), soldiers)  # no figure at all
