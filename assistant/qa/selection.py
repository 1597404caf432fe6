"""From retrieved chunks to an answer: the evidence steps, in the order they run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np

from assistant.indexing.embedding import embed_passages
from assistant.indexing.store import Index
from assistant.qa import about, abstention, conversation, evidence, figures, keys, stated
from assistant.qa.answer import Answer, compose
from assistant.qa.evidence import Evidence
from assistant.qa.question import Query
from assistant.qa.retrieval import Hit, rank_articles
from assistant.text import gloss
from assistant.text.words import lexical_overlap
from assistant.tuning import (
    KEY_SPANS_MAX,
    KEY_TERMS_WEIGHT,
    MAX_QUOTES,
    NAME_SPANS_MAX,
    OTHER_COUNT_MARGIN,
    QUOTE_MARGIN,
)


def answer(index: Index, query: Query, hits: list[Hit], model, min_margin: float) -> Answer:
    """The Answer to a query from its hits (best first), or an abstention."""
    retrieved = rank_articles(hits)
    # 1. Candidate quotes: the sentences of the best chunks, each with its key span.
    ranked = evidence.select(index, query, hits)
    # 2. The score the best quote must reach, from the question and the best article.
    best = ranked[0] if ranked else None
    signals = abstention.signals(index, query, best and best.article_id, best=best)
    threshold = signals.threshold(min_margin)
    # 3. A follow-up's quotes lose what only the earlier turns give them.
    if query.context is not None:
        ranked = conversation.discount_earlier(index, ranked, query)
    # 4. The quotes to show, or none (abstain).
    chosen = choose(ranked, threshold, same_count=counts_asked_in(index, query))
    # Of quotes that tie, the one that states more of what is asked leads.
    chosen = stated.stated_first(index, query, chosen)
    # 5. A follow-up shows only the quotes it pulls toward.
    if query.context is not None:
        chosen = conversation.pulled_by_follow_up(index, chosen, query)
    # 6. Of several figures or dates in a quote, the one nearest the question; beside a figure
    # that counts what is asked, a measure of something else is no answer.
    keyed = best_keys(index, chosen, query, model)
    chosen = counted_only(index, keyed, query)
    chosen = stated.casualty_keys(index, query, chosen)  # a count of the dead says they died
    chosen = stated.dated_keys(index, query, chosen)  # a date is of the event asked
    # 7. "When was it published?", "Who wrote it?": the best article's date line or byline.
    if chosen and query.topic and retrieved:
        found = about.evidence(index, retrieved[0].article_id, query.topic, chosen[0].score)
        chosen = [found] if found else chosen
    # 8. The quotes must state what is asked, not only the topic ("wounded", not just soldiers),
    # and a figure must be of the nation, country or currency asked about (not Russia's
    # soldiers for "Ukrainian soldiers", not a range for "cost").
    plain = signals.threshold(min_margin, relief=False)
    missing = None if query.topic else stated.unstated(index, query, chosen, plain)
    uncounted = None if query.topic or missing else stated.unqualified(index, query, keyed)
    # 9. Figures change over time: with several, the newest report leads.
    newest_first = query.kind is not None and sum(e.key_start is not None for e in chosen) > 1
    glossary = {} if query.german else gloss.glossary(query.text, query.asked)
    return compose(
        query.text, index, ranked, chosen, retrieved, newest_first, query.german,
        missing or uncounted, glossary, unstated_figure=uncounted is not None,
    )  # fmt: skip


def counts_asked_in(index: Index, query: Query) -> Callable[[Evidence], bool]:
    """Whether a quote's figure counts what the query counts (figures.counts_asked)."""
    return lambda e: figures.counts_asked(index.articles[e.article_id].text, e, query)


def counted_only(index: Index, chosen: list[Evidence], query: Query) -> list[Evidence]:
    """For "how many", a quote whose figure measures something in a unit the question does not
    name ("bis zu 50 Kilometern" for "Wie viele Haubitzen …", "knapp 40 Kilometer" for "How many
    soldiers died …") or counts another thing it names ("bis zu 12.000 Mann" for "Wie viele
    Haubitzen …", "über 10.000 nordkoreanische Kämpfer" for "How many North Korean pilots …",
    whether or not another quote counts the asked thing) is still shown, but its figure leaves
    the lead; so does one whose clause lacks the nation the question counts by ("knapp 50.000
    Soldaten" for "How many Ukrainian soldiers …")."""
    text = lambda e: index.articles[e.article_id].text  # noqa: E731
    counts = counts_asked_in(index, query)
    names = [figures.names_counted(text(e), e, query) for e in chosen]  # each quote's, once
    kept = [
        replace(e, key_start=None, key_end=None)
        if (figures.measures_other(text(e), e, query) and not counts(e))
        or name is False
        or not figures.qualified(text(e), e, query)
        else e
        for e, name in zip(chosen, names, strict=True)
    ]
    # When the best quote's figure counts another thing ("bis zu 12.000 Mann" for "How many
    # howitzers has North Korea sent?"), the quotes whose figure counts the very thing lead.
    leads = [name is True and e.key_start is not None for e, name in zip(kept, names, strict=True)]
    if names and names[0] is False and any(leads):
        pairs = list(zip(kept, leads, strict=True))
        return [e for e, lead in pairs if lead] + [e for e, lead in pairs if not lead]
    return kept


def choose(
    ranked: list[Evidence],
    min_score: float,
    max_quotes: int = MAX_QUOTES,
    quote_margin: float = QUOTE_MARGIN,
    same_count: Callable[[Evidence], bool] | None = None,
    other_count_margin: float = OTHER_COUNT_MARGIN,
) -> list[Evidence]:
    """The quotes to show: those close to the best one; empty when the best is below min_score.

    same_count tells a quote whose figure counts what the question counts: when the best quote
    holds a figure, such a quote from another article may be further behind
    (other_count_margin), so that where articles disagree ("bis zu 12.000 Mann" in one, "über
    10.000 nordkoreanische Kämpfer" in the other) both figures are shown.
    """
    if not ranked or ranked[0].score < min_score:
        return []
    best = ranked[0].score
    shown = [e for e in ranked if e.score >= best - quote_margin]
    if same_count is not None and ranked[0].key_start is not None:
        cited = {e.article_id for e in shown}
        for e in ranked:
            if e.score < best - other_count_margin:
                break
            if e.article_id not in cited and same_count(e):
                shown.append(e)
                cited.add(e.article_id)
    kept: list[Evidence] = []
    for e in sorted(shown, key=lambda e: -e.score):  # a quote holding a better one's text: no
        if not any(
            k.article_id == e.article_id and k.start < e.end and e.start < k.end for k in kept
        ):
            kept.append(e)
    return kept[:max_quotes]


def best_keys(index: Index, chosen: list[Evidence], query: Query, model) -> list[Evidence]:
    """Where a quote holds several spans of the asked kind, keep the one whose clause is
    nearest the question (each clause embedded: "knapp 50 schwere Haubitzen" over "bis zu 50
    Kilometern" for "Wie viele Haubitzen …"); where it holds more than KEY_SPANS_MAX (for names
    and dates NAME_SPANS_MAX), none is singled out: the quote itself is the answer to read."""
    if query.kind is None:
        return chosen
    owners: list[int] = []  # the quote each option belongs to
    spans: list[tuple[int, int]] = []  # its key span, in article offsets
    clauses: list[str] = []  # the text embedded to compare it with the question
    chosen = list(chosen)
    for i, e in enumerate(chosen):
        quote = index.articles[e.article_id].text[e.start : e.end]
        found = keys.key_candidates(quote, query)
        named = [
            s for s in found if query.kind == "person" and keys.introduced(quote, s, query.terms)
        ]
        if len(found) > 1 and len(named) == 1:  # "ISW-Analyst George Barros", not "CNN"
            chosen[i] = replace(
                e, key_start=e.start + named[0].start, key_end=e.start + named[0].end
            )
        elif len(found) > (NAME_SPANS_MAX if query.kind in ("person", "date") else KEY_SPANS_MAX):
            chosen[i] = replace(e, key_start=None, key_end=None)
        elif len(found) > 1:
            for span in found:
                owners.append(i)
                spans.append((e.start + span.start, e.start + span.end))
                clauses.append(keys.key_context(quote, span.start, span.end))
    if not clauses:
        return chosen
    similarity = embed_passages(model, clauses) @ query.vector
    # The question's own words beside a span tell what it is about ("vier erzwungene Fumbles"
    # for "How many forced fumbles …", not "5½ Sacks"), where meaning alone is close.
    score = similarity + KEY_TERMS_WEIGHT * np.array(
        [lexical_overlap(query.terms, clause) for clause in clauses]
    )
    # A figure that counts the very thing asked, of the nations asked, wins over any other
    # ("knapp 50 schwere Haubitzen", not "knapp 20 Mehrfachraketenwerfer", for "How many
    # howitzers has Pyongyang delivered to Russia?", whose "Russia" is nearer the other's clause;
    # not "knapp 50.000 Soldaten", Russia's, for "How many North Korean soldiers …").
    asked = [_counts_asked_of(index, replace(chosen[i], key_start=a, key_end=b), query)
             for i, (a, b) in zip(owners, spans, strict=True)]  # fmt: skip
    result = list(chosen)
    for i in set(owners):
        options = (j for j, owner in enumerate(owners) if owner == i)
        best = max(options, key=lambda j: (asked[j], score[j]))
        result[i] = replace(result[i], key_start=spans[best][0], key_end=spans[best][1])
    return result


def _counts_asked_of(index: Index, evidence: Evidence, query: Query) -> bool:
    text = index.articles[evidence.article_id].text
    return bool(
        figures.names_counted(text, evidence, query) and figures.qualified(text, evidence, query)
    )
