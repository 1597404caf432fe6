"""An answer's sources as HTML inside its own chat message: one card per article, each quote
highlighted once in its paragraph, the whole article a click away; article text stays text.

Every answer carries its cards, so scrolling back to an earlier answer shows its sources. The
lead's `[n]` links to quote n of the same answer: ids are made unique per answer (`answer_id`).
"""

from __future__ import annotations

import re
import uuid

from assistant.indexing.store import Index
from assistant.qa.answer import Answer, Citation
from assistant.text.dates import readable
from assistant.text.gloss import gloss
from assistant.text.sentences import paragraph_bounds

MAX_ARTICLE_CHARS = 20_000  # of an article's text carried by each answer, folded away
# Characters the chat's Markdown and LaTeX rendering would act on, as HTML entities: inside the
# cards they are the article's characters, never syntax.
_SPECIAL = re.compile(r"[\\`*_{}\[\]#|~!$<>&\"']")


def text(value: str) -> str:
    """Article text as literal HTML text (no markup, Markdown or LaTeX from it)."""
    return _SPECIAL.sub(lambda m: f"&#{ord(m.group())};", value)


def new_answer_id() -> str:
    return "a" + uuid.uuid4().hex[:8]


def anchor(answer_id: str, n: int) -> str:
    return f"{answer_id}-{n}"


def cite_link(answer_id: str, n: int) -> str:
    """`[n]` as a link to quote n of the same answer's cards."""
    return f"<a class='cite' href='#{anchor(answer_id, n)}'>[{n}]</a>"


def sources_html(answer: Answer, index: Index, answer_id: str) -> str:
    """The answer's cards: one per article, in the order of their first citation."""
    if not answer.citations:
        return ""
    label = "Closest passages (not an answer)" if answer.abstained else "Sources"
    if answer.german:
        label = "Nächste Passagen (keine Antwort)" if answer.abstained else "Quellen"
    by_article: dict[str, list[Citation]] = {}
    for c in answer.citations:
        by_article.setdefault(c.article_id, []).append(c)
    cards = [_card(cs, index, answer, answer_id) for cs in by_article.values()]
    return f"<div class='sources'><div class='sources-label'>{label}</div>{''.join(cards)}</div>"


def _card(citations: list[Citation], index: Index, answer: Answer, answer_id: str) -> str:
    article = index.articles[citations[0].article_id]
    numbers = "".join(f"[{c.n}]" for c in citations)
    english = ""
    if not answer.german:
        english = f" <i>(“{text(gloss(article.title, None, answer.glossary))}”)</i>"
    date = text(readable(article.date, article.month_day, answer.german))
    # Where the date comes from is shown, not hidden in a tooltip (keyboards and phones).
    meta = f"{date} <span class='date-note'>({text(article.date_note)})</span>"
    meta += f" · <code>{text(article.id)}</code>"
    if article.author:
        meta += f" · {text(article.author)}"
    groups = _by_paragraph(article.text, citations)
    bold = not answer.abstained  # closest passages answer nothing: no key in bold
    body = "".join(_paragraph(article.text, group, answer_id, bold) for group in groups)
    return (
        f"<details class='source' open><summary><b>{numbers} {text(article.title)}</b>"
        f"{english}<br><span class='source-meta'>{meta}</span></summary>"
        f"{body}{_whole_article(article.text)}</details>"
    )


def _by_paragraph(article_text: str, citations: list[Citation]) -> list[list[Citation]]:
    """Citations grouped by the paragraph they sit in (an unverified quote alone), each group
    in text order, the groups in the order of their first citation."""
    groups: dict[object, list[Citation]] = {}
    for c in citations:
        key = paragraph_bounds(article_text, c.start, c.end) if c.verified else c.n
        groups.setdefault(key, []).append(c)
    return [sorted(g, key=lambda c: c.start) for g in groups.values()]


def _paragraph(article_text: str, citations: list[Citation], answer_id: str, bold: bool) -> str:
    """The paragraph around the citations with each quote marked (its key in bold)."""
    first = citations[0]
    if not first.verified:
        return _unverified(first, article_text)
    start, end = paragraph_bounds(article_text, first.start, first.end)
    parts, at = [], start
    for c in citations:
        if c.start < at:  # overlaps the previous quote: shown inside it
            continue
        parts.append(text(article_text[at : c.start]))
        parts.append(f"<mark id='{anchor(answer_id, c.n)}'>{_marked(c, bold)}</mark>")
        at = c.end
    parts.append(text(article_text[at:end]))
    return f"<p>{''.join(parts)}</p>"


def _marked(citation: Citation, bold: bool) -> str:
    number = f"<sup>[{citation.n}]</sup>"
    if not bold or not citation.key or citation.key not in citation.quote:
        return number + text(citation.quote)
    before, _, after = citation.quote.partition(citation.key)
    return f"{number}{text(before)}<strong>{text(citation.key)}</strong>{text(after)}"


def _unverified(citation: Citation, article_text: str) -> str:
    """An LLM quote not found in its passage: flagged, and the passage shown unmarked."""
    start, end = paragraph_bounds(article_text, citation.start, citation.end)
    return (
        f"<p><span class='unverified'>⚠ Not found verbatim in this passage: "
        f"„{text(citation.quote)}“</span><br>{text(article_text[start:end])}</p>"
    )


def _whole_article(article_text: str) -> str:
    shown = article_text[:MAX_ARTICLE_CHARS]
    more = len(article_text) - len(shown)
    paragraphs = "".join(f"<p>{text(p)}</p>" for p in shown.split("\n\n") if p.strip())
    if more:
        paragraphs += f"<p><i>… {more:,} more characters in the article file.</i></p>"
    return (
        f"<details class='article'><summary>Open the whole article</summary>{paragraphs}</details>"
    )
