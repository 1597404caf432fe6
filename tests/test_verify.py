"""Checking an LLM's answer against the passages it was given: real seed sentences, LLM-like
answers (tests/test_llm.py covers quotation styles with one passage, uncited sentences and an
unknown [n] through the CLI; here: several passages, wrong citations, offsets, sentence rules)."""

import pytest

from assistant.llm import verify
from assistant.llm.prompt import Passage
from assistant.llm.verify import check, normalise, quote_spans

KURSK = "000_b82a1ae29ca0ea28"
WEEK12 = "004_647d7f6f4b7e18de"
FIGHTERS = "über 10.000 nordkoreanische Kämpfer"
MANN = "bis zu 12.000 Mann"
KOKSAN = 'Die Haubitzen "Koksan", die vor einigen Tagen auf einem russischen Bahnhof gesichtet'


@pytest.fixture(scope="module")
def passages(seeds_index) -> list[Passage]:
    """[1]: the Kursk article's paragraph with the fighters, [2]: the week-12 one with 12.000,
    [3]: the Kursk paragraph that names the Koksan howitzers."""
    items = []
    needles = [(KURSK, FIGHTERS), (WEEK12, MANN), (KURSK, KOKSAN)]
    for n, (article_id, needle) in enumerate(needles, start=1):
        article = seeds_index.articles[article_id]
        at = article.text.index(needle)
        start = article.text.rfind("\n\n", 0, at) + 2
        end = article.text.find("\n\n", at)
        items.append(
            Passage(n, article_id, article.title, article.date, article.text[start:end], start, end)
        )
    return items


def located(seeds_index, quote) -> str:
    return seeds_index.articles[quote.article_id].text[quote.start : quote.end]


def test_a_verbatim_quote_is_located_in_the_article(seeds_index, passages):
    checked = check(f"Mehr als 10.000: „{FIGHTERS}“ [1].", passages)
    (quote,) = checked.quotes
    assert quote.verified and quote.n == 1 and quote.article_id == KURSK
    assert located(seeds_index, quote) == FIGHTERS
    assert checked.text == f"Mehr als 10.000: „{FIGHTERS}“ [1]."  # nothing to mark
    assert checked.cited == [1] and checked.unknown == [] and checked.uncited == []


def test_a_quote_cited_to_the_wrong_passage_is_unverified(passages):
    checked = check(f"Laut Bericht „{MANN}“ [1].", passages)
    (quote,) = checked.quotes
    assert not quote.verified and quote.n == 1 and quote.start is None
    assert checked.text == f"Laut Bericht „{MANN}“{verify.UNVERIFIED} [1]."


def test_a_quote_citing_several_passages_is_found_in_the_one_that_holds_it(seeds_index, passages):
    checked = check(f"Bis zu 12.000: „{MANN}“ [1, 2].", passages)
    (quote,) = checked.quotes
    assert quote.verified and quote.n == 2 and quote.article_id == WEEK12
    assert located(seeds_index, quote) == MANN
    assert checked.cited == [1, 2]
    assert check(f"„{MANN}“ [1; 2].", passages).cited == [1, 2]


def test_one_changed_word_makes_a_quote_unverified(passages):
    changed = FIGHTERS.replace("10.000", "20.000")
    checked = check(f"„{changed}“ [1].", passages)
    assert [q.verified for q in checked.quotes] == [False]
    assert verify.UNVERIFIED in checked.text


@pytest.mark.parametrize(
    "quoted",
    [
        f'"{FIGHTERS}"',  # straight marks
        f"«{FIGHTERS}»",
        f'„{FIGHTERS}"',  # German opening, straight closing
        f"“{FIGHTERS}”",
        f"„{FIGHTERS.replace(' ', '   ', 1)}“",  # a run of spaces
        f"„… {FIGHTERS}.“",  # an ellipsis for the sentence's start, a full stop added
    ],
)
def test_quotation_styles_spaces_and_ellipses(seeds_index, passages, quoted):
    checked = check(f"Es sind {quoted} [1].", passages)
    assert [q.verified for q in checked.quotes] == [True]
    assert located(seeds_index, checked.quotes[0]) == FIGHTERS
    assert "⚠" not in checked.text


def test_a_quote_inside_a_quote_in_other_marks_is_verified(seeds_index, passages):
    nested = KOKSAN.replace('"Koksan"', "„Koksan“")
    checked = check(f"Sie heißen „{nested}“ [3].", passages)
    (quote,) = checked.quotes
    assert quote.text == nested  # the inner „…“ does not close the outer one
    assert quote.verified and located(seeds_index, quote) == KOKSAN
    assert "⚠" not in checked.text


def test_an_unknown_passage_number_is_marked_and_not_cited(passages):
    checked = check(f"„{FIGHTERS}“ [1]. Und Moskau plant mehr [7].", passages)
    assert checked.cited == [1] and checked.unknown == [7]
    assert checked.text.endswith(f"[7]{verify.UNKNOWN}.")
    assert [q.verified for q in checked.quotes] == [True]
    # A quote citing only a missing passage cannot be verified.
    missing = check(f"„{FIGHTERS}“ [5].", passages)
    assert missing.quotes[0].n is None and not missing.quotes[0].verified
    assert missing.text == f"„{FIGHTERS}“{verify.UNVERIFIED} [5]{verify.UNKNOWN}."


def test_a_citation_in_a_later_sentence_does_not_cover_a_quote(passages):
    checked = check(f"Es hieß „{FIGHTERS}“. Später wurde mehr bekannt [1].", passages)
    assert [(q.n, q.verified) for q in checked.quotes] == [(None, False)]
    assert checked.uncited == [f"Es hieß „{FIGHTERS}“."]


def test_a_citation_after_the_full_stop_belongs_to_the_sentence_before(passages):
    checked = check(f"Nordkorea hat über 10.000 Kämpfer geschickt. [1] Das sagt „{FIGHTERS}“ [1].",
                    passages)  # fmt: skip
    assert checked.uncited == []
    assert [q.verified for q in checked.quotes] == [True]


def test_full_stops_inside_a_quote_do_not_end_the_sentence(passages):
    sentence = f"{FIGHTERS}. Diese waren zuletzt in Russland weiter ausgebildet"
    checked = check(f"Zitat: „{sentence}“ steht so im Artikel [1].", passages)
    assert checked.uncited == []
    assert [q.verified for q in checked.quotes] == [True]


def test_short_fragments_need_no_citation(passages):
    checked = check(f"„{FIGHTERS}“ [1]. Ja, genau.\nOk.", passages)
    assert checked.uncited == []  # fewer than three words


def test_an_apostrophe_opens_no_quote():
    assert quote_spans("Russia's army and Kim's troops") == []
    assert quote_spans('He said "yes" and „nein“') == [(8, 12), (18, 23)]
    # A quotation ends at the line break: an unclosed mark opens nothing.
    assert quote_spans("„offen\nzu“") == []


def test_normalise_maps_back_to_the_original_positions():
    text = "Die  „Koksan“\nreicht"
    flat, where = normalise(text)
    assert flat == 'Die "Koksan" reicht'
    assert [text[where[i]] for i in range(len(flat))][4:12] == list("„Koksan“")
    assert where[flat.index("reicht")] == text.index("reicht")
