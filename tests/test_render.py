"""The chat's Markdown and each answer's source cards: article text stays literal text, the key and
the quote are highlighted, inferred dates are flagged (tests/data/hostile.txt, the seeds)."""

import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from chat_text import marked, without_tags

from assistant.app.cards import sources_html
from assistant.app.render import (
    answer_markdown,
    escape_markdown,
    llm_markdown,
    loaded_words,
    message_markdown,
    welcome_markdown,
)
from assistant.indexing.store import Index, Manifest
from assistant.ingest.articles import parse_article
from assistant.qa.answer import Answer, Citation
from assistant.qa.question import asked_terms
from assistant.text import gloss
from assistant.text.dictionary import translate
from assistant.text.sentences import sentence_spans

NOT_ANSWERED_CLOSEST = (
    "Die Artikel sagen es nicht. Die nächsten Passagen, die es nicht beantworten:"
)

HOSTILE = Path(__file__).parent / "data" / "hostile.txt"
WEEK12 = "004_647d7f6f4b7e18de"


@pytest.fixture(scope="module")
def hostile() -> Index:
    """An index (no vectors needed) holding the hostile article as it is loaded."""
    article = parse_article(HOSTILE, HOSTILE.read_bytes())
    manifest = Manifest(3, "m", 4, 300, 0, 2, {article.id: article.sha256}, 0, "now")
    return Index(
        manifest, {article.id: article}, [], np.zeros((0, 4), np.float32), np.zeros((0, 4))
    )


def cite(index: Index, article_id: str, sentence_start: str, key: str | None, n: int = 1):
    """A Citation of the sentence of the article that starts with sentence_start."""
    article = index.articles[article_id]
    start = article.text.index(sentence_start)
    end = next(e for s, e in sentence_spans(article.text) if s == start)
    return Citation(n, article.id, article.title, article.date, article.text[start:end], start,
                    end, 0.9, key, month_day=article.month_day)  # fmt: skip


def answered(*citations: Citation) -> Answer:
    return Answer("Wie viele?", "…", False, list(citations), [])


def unescaped(markdown: str, char: str) -> list[int]:
    """Positions of char in markdown that no backslash escapes."""
    return [m.start() for m in re.finditer(rf"(?<!\\){re.escape(char)}", markdown)]


@pytest.mark.parametrize(
    "text",
    ["**38 Millionen Euro**", "`bis 2027`", "[hier klicken](javascript:x)", "# Titel", "a|b"],
)
def test_escape_markdown_leaves_no_markdown_syntax(text):
    escaped = escape_markdown(text)
    for char in "*`[]#|":
        assert unescaped(escaped, char) == []
    assert escaped.replace("\\", "") == text  # the same characters, all literal


def test_escape_markdown_escapes_html():
    escaped = escape_markdown("<script>alert(1)</script> & <img src=x>")
    assert "<" not in escaped and ">" not in escaped
    assert escaped.startswith("&lt;script&gt;") and "&amp;" in escaped


ID = "a0000000f"  # the answer id that makes its links unique on the page


def lead_and_cards(markdown: str) -> tuple[str, str]:
    first, cards_html = markdown.split("\n\n", 1)
    return first, cards_html


def test_a_keyed_answer_bolds_its_key_and_nothing_from_the_article(hostile):
    c = cite(hostile, "hostile", "Die Sanierung kostet", "38 Millionen Euro")
    first, cards_html = lead_and_cards(answer_markdown(answered(c), hostile, ID))
    assert first == f"**38 Millionen Euro** <a class='cite' href='#{ID}-1'>[1]</a>, 18.11.2024"
    # In the quote the key is bold once; the article's own ** and ` stay characters.
    quote = re.search(rf"<mark id='{ID}-1'>(.*?)</mark>", cards_html).group(1)
    assert "&#42;&#42;<strong>38 Millionen Euro</strong>&#42;&#42;" in quote
    assert "&#96;bis 2027&#96;" in quote
    assert "&#60;img src=x" in cards_html  # the title's HTML is text
    assert "<img" not in cards_html and "**" not in cards_html and "`" not in cards_html


def test_an_unkeyed_answer_names_its_best_source(hostile):
    c = cite(hostile, "hostile", "Die Pläne stehen", None)
    markdown = answer_markdown(answered(c), hostile, ID)
    assert markdown.startswith(
        f"Siehe <a class='cite' href='#{ID}-1'>[1]</a>: &lt;img src=x onerror="
    )
    assert not re.search(r"(?<!\\)\]\(javascript", markdown)
    assert "&#91;hier klicken&#93;(javascript:" in markdown
    assert "href='javascript" not in markdown and 'href="javascript' not in markdown


def test_dated_keys_show_their_dates(seeds_index):
    a = cite(
        seeds_index,
        "000_b82a1ae29ca0ea28",
        "Russland hat zur",
        "über 10.000 nordkoreanische Kämpfer",
    )
    b = cite(seeds_index, WEEK12, "Die internationale", "bis zu 12.000 Mann", n=2)
    first = without_tags(answer_markdown(answered(a, b), seeds_index, ID).split("\n\n")[0])
    assert first == (
        "**über 10.000 nordkoreanische Kämpfer** [1], 17.11.2024; **bis zu 12.000 Mann** [2],"
        " 29.10. (Jahr nicht genannt)"
    )
    english = answer_markdown(replace(answered(a, b), german=False), seeds_index, ID)
    english = without_tags(english.split("\n\n")[0])
    assert english.startswith(
        "**over 10,000 North Korean fighters** („über 10.000 nordkoreanische Kämpfer“) [1],"
        " 17 Nov 2024; **up to 12,000 men** („bis zu 12.000 Mann“) [2], 29 Oct (year not stated)"
    )
    assert english.endswith("*English glosses are word by word, not translations; the German is"
                            " the article's.*")  # fmt: skip


def test_an_english_lead_and_its_card_gloss_in_the_questions_own_words(seeds_index):
    """The answer's glossary (the question's words for German nouns) reaches the chat: the lead
    says "guns" where the dictionary alone says "mounted guns"."""
    question = "How many guns did North Korea send?"
    asked = asked_terms(question, False, translate(question))
    c = cite(seeds_index, "000_b82a1ae29ca0ea28", "Nordkoreas reichweitenstärkste", "Geschütze")
    plain = replace(answered(c), german=False)
    own = replace(plain, glossary=gloss.glossary(question, asked))
    said = without_tags(answer_markdown(own, seeds_index, ID).split("\n\n")[0])
    assert said.startswith("**guns** („Geschütze“) [1], 17 Nov 2024")
    plain_said = without_tags(answer_markdown(plain, seeds_index, ID).split("\n\n")[0])
    assert plain_said.startswith("**mounted guns** („Geschütze“) [1]")


def test_an_abstention_shows_the_closest_passages_without_bold_keys(hostile):
    c = cite(hostile, "hostile", "In Hostilstadt werden", "42 Brücken")
    answer = Answer("Wer?", NOT_ANSWERED_CLOSEST, True, [c], [])
    markdown = answer_markdown(answer, hostile, ID)
    first, cards_html = lead_and_cards(markdown)
    assert first == "**Die Artikel sagen es nicht.**"
    assert "Nächste Passagen (keine Antwort)" in cards_html
    assert "<strong>42 Brücken</strong>" not in markdown and "42 Brücken" in markdown
    assert "<script>" not in markdown and "&#60;script&#62;" in markdown
    bare = Answer("Who?", "The articles do not say.", True, [], [], german=False)
    assert answer_markdown(bare, hostile, ID) == "**The articles do not say.**"
    unstated = Answer("How many?", "…", True, [c], [], unstated="wounded", german=False)
    assert answer_markdown(unstated, hostile, ID).startswith(
        "**The articles do not say: the closest passages do not mention “wounded”.**"
    )
    assert "Closest passages (not an answer)" in answer_markdown(unstated, hostile, ID)
    uncounted = replace(unstated, unstated="Ukrainian soldiers", unstated_figure=True)
    assert answer_markdown(uncounted, hostile, ID).startswith(
        "**The articles do not say: the closest passages give no figure for “Ukrainian soldiers”.**"
    )


def test_cards_highlight_each_quote_once_inside_its_paragraph_and_escape_html(hostile):
    c = cite(hostile, "hostile", "In Hostilstadt werden", "42 Brücken")
    html = sources_html(answered(c), hostile, ID)
    assert "<script>" not in html and "<img" not in html and "<a href" not in html
    assert "&#60;script&#62;window.&#95;&#95;pwned=&#39;quote&#39;&#60;/script&#62;" in html
    assert "<script>window.__pwned='quote'</script>" in without_tags(html)  # shown as text
    assert marked(html) == [c.quote]  # the quote, character for character
    assert marked(html)[0].startswith("In Hostilstadt werden 42 Brücken saniert")
    assert "<strong>42 Brücken</strong>" in html
    assert "Quellen" in html and "18.11.2024" in html and "Jahr nicht genannt" not in html
    assert "<details class='article'>" in html and "Die Sanierung kostet" in html


def test_one_card_per_article_with_all_its_quotes(seeds_index):
    a = cite(seeds_index, WEEK12, "Die internationale", "bis zu 12.000 Mann")
    b = cite(seeds_index, "000_b82a1ae29ca0ea28", "Russland hat zur", None, n=2)
    c = cite(seeds_index, WEEK12, "Nach letzten US-Berichten", None, n=3)
    html = sources_html(replace(answered(a, b, c), german=False), seeds_index, ID)
    assert html.count("<details class='source'") == 2
    first, second = html.split("<details class='source'")[1:]
    assert "[1][3]" in first and f"<mark id='{ID}-1'>" in first and f"<mark id='{ID}-3'>" in first
    assert "[2]" in second and f"<mark id='{ID}-2'>" in second
    assert "Sources" in html


def test_no_citations_no_cards(hostile):
    assert sources_html(Answer("Wer?", "…", True, [], []), hostile, ID) == ""


def test_an_unverified_llm_quote_is_flagged_not_highlighted(hostile):
    article = hostile.articles["hostile"]
    start = article.text.index("In Hostilstadt")
    c = Citation(1, "hostile", article.title, article.date, "<b>erfunden</b>", start, start + 40,
                 0.9, verified=False)  # fmt: skip
    html = sources_html(answered(c), hostile, ID)
    assert "<mark" not in html and "Not found verbatim in this passage" in html
    assert "„&#60;b&#62;erfunden&#60;/b&#62;“" in html


def test_a_date_without_its_year_says_so_with_its_reason(seeds_index):
    c = cite(seeds_index, WEEK12, "Die internationale", "bis zu 12.000 Mann")
    html = sources_html(replace(answered(c), german=False), seeds_index, ID)
    assert "29 Oct (year not stated)" in html and "2024-10-29" not in html
    assert "does not state the year" in html  # the note, shown (no mouse-only tooltip)
    assert " title=" not in html
    assert "Stefan Axel Boes" in html  # the byline


def test_llm_and_follow_up_messages_are_literal_text(hostile):
    c = cite(hostile, "hostile", "Die Sanierung kostet", "38 Millionen Euro")
    llm = Answer("Was?", "Es kostet **viel** [1].\n<script>x</script>", False, [c, c], [],
                 answerer="llm m", notice="⚠ *Hinweis*", follow_up_of="Und `das`?")  # fmt: skip
    text = message_markdown(llm, hostile, ID)
    assert text.startswith("*Follow-up, searched together with: Und \\`das\\`?*")
    assert "*⚠ \\*Hinweis\\**" in text
    assert "\\*\\*viel\\*\\*" in text and "&lt;script&gt;" in text
    assert llm_markdown(llm, hostile, ID).count("<details class='source'") == 1  # one card


def test_loaded_words_name_the_months(seeds_index):
    assert loaded_words(seeds_index) == "2 articles, Nov 2024"  # the other has no year
    assert welcome_markdown(seeds_index).startswith("### 2 articles, Nov 2024\nAsk about them")
