"""Format answers for the chat: Markdown message, HTML sources panel; article text escaped."""

from __future__ import annotations

import html
import re

from assistant.indexing.store import Index, Manifest
from assistant.qa.answer import EXTRACTIVE, Answer, Citation
from assistant.qa.lead import (
    WORD_BY_WORD,
    abstention_text,
    closest_label,
    date_words,
    lead,
    source_line,
)
from assistant.text.dates import readable
from assistant.text.gloss import gloss
from assistant.text.sentences import paragraph_bounds

# Inline Markdown syntax; line-start syntax ("1.", "-", "#") cannot occur: quotes sit mid-line.
MAX_ARTICLE_CHARS = 20_000  # of an article's text sent with each answer's sources
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]#|~!$])")


def escape_markdown(text: str) -> str:
    """Article text shown as literal text: no HTML, links, emphasis or code from it."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def answer_markdown(answer: Answer) -> str:
    """The chat message: key fact first, then each quote with its source; or the abstention."""
    german = answer.german
    if answer.abstained:
        lines = [f"**{escape_markdown(abstention_text(german, answer.unstated, False))}**"]
        if answer.citations:
            lines.append(escape_markdown(closest_label(german)))
            lines += [_quote_block(c, german, highlight_key=False) for c in answer.citations]
        return "\n\n".join(lines)
    first = lead(answer.citations)
    if first.keyed:
        line = "; ".join(_key_markdown(c, german) for c in first.citations)
    elif german:
        line = f"Siehe [1]: {escape_markdown(answer.citations[0].title)}"
    else:
        c = answer.citations[0]
        line = f"[1], {date_words(c, False)}, word by word: *{escape_markdown(gloss(c.quote))}*"
    if not german:
        line += f"  \n*{escape_markdown(WORD_BY_WORD)}*"
    return "\n\n".join([line] + [_quote_block(c, german) for c in answer.citations])


def _key_markdown(citation: Citation, german: bool) -> str:
    """One key fact of the lead: bold, its English gloss first for English readers."""
    key = escape_markdown(citation.key or "")
    said = f"**{key}**" if german else f"**{escape_markdown(gloss(citation.key or ''))}** („{key}“)"
    return f"{said} [{citation.n}], {date_words(citation, german)}"


def _quote_block(citation: Citation, german: bool, highlight_key: bool = True) -> str:
    quote = _emphasise(citation, citation.quote, highlight_key)
    return f"> [{citation.n}] „{quote}“  \n> — *{escape_markdown(source_line(citation, german))}*"


def _emphasise(citation: Citation, quote: str, highlight_key: bool) -> str:
    """The quote escaped, with its key span in bold."""
    if not (highlight_key and citation.key and citation.key in quote):
        return escape_markdown(quote)
    before, _, after = quote.partition(citation.key)
    return f"{escape_markdown(before)}**{escape_markdown(citation.key)}**{escape_markdown(after)}"


def sources_html(answer: Answer, index: Index) -> str:
    """Each cited quote highlighted inside its paragraph, under the article's title and date."""
    if not answer.citations:
        return "<p class='no-sources'>No sources for this answer.</p>"
    label = "Closest passages (not an answer)" if answer.abstained else "Sources"
    parts = [f"<h3>{label}</h3>"]
    for c in answer.citations:
        article = index.articles[c.article_id]
        start, end = paragraph_bounds(article.text, c.start, c.end)
        marked = (
            html.escape(article.text[start : c.start])
            + f"<mark>{_mark_key(c)}</mark>"
            + html.escape(article.text[c.end : end])
            if c.verified
            else _unverified_html(c, article.text[start:end])
        )
        date = html.escape(readable(article.date, article.month_day))
        english = "" if answer.german else f" <i>(“{html.escape(gloss(article.title))}”)</i>"
        parts.append(
            f"<div class='source' id='source-{c.n}'>"
            f"<div class='source-meta'><b>[{c.n}] {html.escape(article.title)}</b>{english}<br>"
            f"<span title='{html.escape(article.date_note, quote=True)}'>{date}</span> · "
            f"<code>{html.escape(article.id)}</code>"
            + (f" · {html.escape(article.author)}" if article.author else "")
            + f"</div><p>{marked}</p>{_whole_article(article.text)}</div>"
        )
    return "\n".join(parts)


def _whole_article(text: str) -> str:
    """The article's full text, folded away: open it to read the quote in context."""
    shown = text[:MAX_ARTICLE_CHARS]
    more = len(text) - len(shown)
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in shown.split("\n\n") if p.strip())
    if more:
        paragraphs += f"<p><i>… {more:,} more characters in the article file.</i></p>"
    return (
        f"<details class='article'><summary>Open the whole article</summary>{paragraphs}</details>"
    )


def _unverified_html(citation: Citation, paragraph: str) -> str:
    """An LLM quote not found in its passage: flagged, and the passage shown unhighlighted."""
    return (
        f"<span class='unverified'>⚠ Not found verbatim in this passage: "
        f"„{html.escape(citation.quote)}“</span><br>{html.escape(paragraph)}"
    )


def _mark_key(citation: Citation) -> str:
    if not citation.key or citation.key not in citation.quote:
        return html.escape(citation.quote)
    before, _, after = citation.quote.partition(citation.key)
    return f"{html.escape(before)}<strong>{html.escape(citation.key)}</strong>{html.escape(after)}"


def status_markdown(manifest: Manifest) -> str:
    """One line on what the index holds."""
    if not manifest.articles:
        return "**Index:** no articles indexed yet"
    return (
        f"**Index:** {len(manifest.articles)} articles · {manifest.chunks} chunks · "
        f"model `{manifest.model}` · built {manifest.built_at}"
    )


def message_markdown(answer: Answer) -> str:
    """The chat message of any answerer: its notice, then the LLM's or the extractive answer."""
    body = answer_markdown(answer) if answer.answerer == EXTRACTIVE else llm_markdown(answer)
    if answer.notice:
        body = f"*{escape_markdown(answer.notice)}*\n\n{body}"
    if answer.follow_up_of:
        earlier = escape_markdown(answer.follow_up_of)
        body = f"*Follow-up, searched together with: {earlier}*\n\n{body}"
    return body


def llm_markdown(answer: Answer) -> str:
    """An LLM's checked answer as literal text (it may echo articles), then its sources."""
    text = "  \n".join(escape_markdown(line) for line in answer.answer.splitlines())
    sources, seen = [], set()
    for c in answer.citations:
        if c.n not in seen:
            seen.add(c.n)
            sources.append(f"[{c.n}] {escape_markdown(source_line(c, answer.german))}")
    return text + ("\n\n*Sources:*  \n" + "  \n".join(sources) if sources else "")


def draft_markdown(text: str, answerer: str) -> str:
    """An LLM's answer while it is being written: shown as it comes, checked when complete."""
    body = "  \n".join(escape_markdown(line) for line in text.splitlines()) or "…"
    return f"{body} ▍\n\n*{escape_markdown(answerer)} is writing; quotes are checked at the end.*"
