"""The question analysed once: its language, the kind of answer it asks for, its words and their
German translations, the earlier turns a follow-up leans on, and its vectors."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from assistant.config import MAX_QUESTION_CHARS, MAX_QUESTION_TOKENS
from assistant.errors import QuestionError
from assistant.qa import roles
from assistant.qa.counting import read
from assistant.text.dictionary import Term, translate
from assistant.text.language import is_german
from assistant.text.patterns import CONTROL, SURROGATES
from assistant.text.words import FRAMING, content_terms, fold
from assistant.tuning import FOLLOW_UP_MAX_WORDS, MAX_CHAIN

KINDS = {
    "quantity": re.compile(r"\b(how (many|much)|wie ?viele?|wieviele?|number of|anzahl)\b", re.I),
    "date": re.compile(r"\b(when|wann|what (date|day|year)|seit wann|an welchem tag)\b", re.I),
    "person": re.compile(r"\b(who|whom|wer|wem|wen)\b", re.I),
    "place": re.compile(r"\b(where|wo|wohin|woher|in which (city|town|country|region))\b", re.I),
}
_WHEN_CLAUSE = re.compile(
    r"^\W*(?:what|which|who|whom|whose|how|why|was|welche[rsmn]?|wer|wie|warum)\b.*"
    r"(?<!\band )(?<!\bund )\b(?:when|wann)$",
    re.IGNORECASE,
)
# Questions about the article itself: its date line or byline answers them (qa/about.py).
_ARTICLE = r"(?:article|report|story|piece|artikel|bericht|beitrag|meldung|text)"
_PUBLISHED = re.compile(
    r"\b(?:published|released|veröffentlicht|erschienen|publiziert)\b"
    rf"|\bwhat date (?:is|was) the {_ARTICLE}\b"
    rf"|\b(?:date|datum) (?:of|des|der) (?:the )?{_ARTICLE}",
    re.IGNORECASE,
)
_AUTHOR = re.compile(
    r"\b(?:who wrote|who is the author|written by|author|wer hat\b.*\bgeschrieben|wer schrieb"
    r"|autor(?:in)?|verfasst)\b",
    re.IGNORECASE,
)
_OPENERS = re.compile(
    r"^(and|und|also|so|what about|how about|und was ist mit|was ist mit|und wie|und wo|und wer|"
    r"und wann|und warum|und welche)\b",
    re.IGNORECASE,
)
_BACK_REFERENCES = re.compile(
    r"\b(they|them|those|these|it|its|their|he|him|she|his|her|there|that one|"
    r"sie|ihnen|ihre|ihr|er|es|ihn|ihm|dort|davon|dafür|darüber|dazu|deren|dessen|denen|diese|"
    r"dieser|diesen)\b",
    re.IGNORECASE,
)
_TRAILING_PRONOUN = re.compile(r"\b(die|der|das|den|dem)\s*[?.!]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Search:
    """What retrieval searches with: for a follow-up, the conversation, else the question."""

    text: str
    vector: np.ndarray  # (dim,) unit vector of text
    german: bool
    translations: tuple[Term, ...]  # an English text's words with their German translations


@dataclass(frozen=True)
class Query:
    text: str  # the question without control characters and outer spaces
    german: bool
    kind: str | None  # "quantity", "date", "person", "place" or None: what the answer is
    topic: str | None  # "published" or "author" when it asks about the article itself
    words: frozenset[str]  # its content words, folded
    terms: frozenset[str]  # the words and, for an English question, their German translations
    vector: np.ndarray  # (dim,) unit vector of the question alone
    search: Search
    context: str | None = None  # a follow-up: the earlier turns it is searched with
    context_vector: np.ndarray | None = None  # ... and their vector
    # Its own content words, each with its German translations (none for a German question):
    # what a quote must state for the question to be answered (qa/stated.py).
    asked: tuple[Term, ...] = ()
    # A counting question ("how many", "wie viele"): the folded words, German included, that
    # name what it counts ({"soldiers", "soldaten", …}; empty if not found); None otherwise.
    counted: frozenset[str] | None = None
    # The nation or name that narrows what is counted ("How many Ukrainian soldiers …",
    # "Wie viele nordkoreanische Soldaten …"), with its German translations; () if none.
    qualifiers: tuple[Term, ...] = ()
    # Who did it: a nation's adjective elsewhere ("the Ukrainian army"), a country ("Ukraine").
    actors: tuple[Term, ...] = ()
    # The first of these with the word it qualifies, as the question spells them ("Ukrainian
    # soldiers", "Ukrainian army").
    counted_text: str | None = None
    # "How much" asking for money: the word that asks it ("cost", "kostet"); None otherwise.
    money: str | None = None
    # The role a person is asked by ("South Korea's ambassador" in "Who is South Korea's
    # ambassador to Russia?"): a quote must name it, and its nation; None if none.
    role: roles.Role | None = None


def analyse(question: str, model, earlier: Sequence[str] = ()) -> Query:
    """The Query of a question (QuestionError if unusable); earlier: the conversation's
    previous questions, which a follow-up leans on."""
    # The model is only embedded with; importing indexing.embedding here would load torch
    # for every command that checks a question.
    from assistant.indexing.embedding import embed_query

    text = check_question(question)
    german = is_german(text)
    translations = () if german else tuple(translate(text))
    words = frozenset(content_terms(text))
    translated = {part for t in translations for g in t.german for part in g.split("-")}
    vector = embed_query(model, text)
    search = Search(text, vector, german, translations)
    context = context_for(text, usable(earlier))
    context_vector = None
    if context is not None:
        # A follow-up is searched as the conversation: the earlier turns it leans on, then
        # itself, as one text ("Wie viele Haubitzen …? Und wie weit reichen die?").
        joined = f"{context} {text}"
        joined_german = is_german(joined)
        search = Search(
            joined,
            embed_query(model, joined),
            joined_german,
            () if joined_german else tuple(translate(joined)),
        )
        context_vector = embed_query(model, context)
    counting = read(text, german, translations)
    return Query(
        text, german, question_kind(text), topic(text), words, words | translated, vector,
        search, context, context_vector, asked_terms(text, german, translations),
        counting.counted, counting.qualifiers, counting.actors, counting.counted_text,
        counting.money, roles.read(text, german, translations),
    )  # fmt: skip


def asked_terms(text: str, german: bool, translations: Sequence[Term]) -> tuple[Term, ...]:
    """The question's content words with their German translations, without the words that
    only frame a question ("How many", "reported", "does the text say"). An English word the
    dictionary does not know cannot be looked for in German and is left out ("spacesuits",
    "phylum"), unless it is capitalised: a name is looked for as it is ("Kursk")."""
    if german:
        return tuple(Term(w, frozenset()) for w in sorted(content_terms(text)) if w not in FRAMING)
    capitalised = {fold(w) for w in re.findall(r"\b[A-Z][\w-]*", text)}
    return tuple(
        t
        for t in translations
        if t.english not in FRAMING
        and len(t.english) > 2
        and (t.german or capitalised.intersection(t.english.split()))
    )


def check_question(question: str, tokens: Callable[[str], int] | None = None) -> str:
    """The question without control characters, lone surrogates (text UTF-8 cannot hold) and
    outer spaces; QuestionError if unusable. tokens: the model's token count of a text; a
    question over MAX_QUESTION_TOKENS is refused (its embedding would cost several windows)."""
    question = SURROGATES.sub(" ", CONTROL.sub(" ", question or "")).strip()
    if not question:
        raise QuestionError("The question is empty. Type a question about the articles.")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"The question has {len(question):,} characters; the limit is "
            f"{MAX_QUESTION_CHARS:,}. Ask a shorter question."
        )
    if tokens is not None and (count := tokens(question)) > MAX_QUESTION_TOKENS:
        raise QuestionError(
            f"The question is {count:,} tokens long for the model; the limit is "
            f"{MAX_QUESTION_TOKENS:,} (emoji and Chinese characters take a token or more each). "
            "Ask a shorter question."
        )
    return question


def usable(questions: Sequence[str]) -> list[str]:
    """The earlier questions a follow-up may lean on: not the empty or over-long ones that were
    refused (the chat keeps them in its history, with the error)."""
    result = []
    for question in questions:
        try:
            result.append(check_question(question))
        except QuestionError:
            continue
    return result


def question_kind(question: str) -> str | None:
    """'quantity', 'date', 'person', 'place' or None for other questions. A "when" after
    another question word opens a clause, not the question ("What satellite was used when Sky
    Digital was launched?" asks for a satellite; "How and when …" still asks when)."""
    for name, pattern in KINDS.items():
        found = pattern.search(question)
        if found and not (name == "date" and _WHEN_CLAUSE.match(question[: found.end()])):
            return name
    return None


def topic(question: str) -> str | None:
    """'published' or 'author' when the question asks about the article, else None."""
    if _AUTHOR.search(question):
        return "author"
    if _PUBLISHED.search(question):
        return "published"
    return None


def is_follow_up(question: str) -> bool:
    """True if the question leans on an earlier turn (opener, pronoun, or few words)."""
    words = question.split()
    if _OPENERS.match(question.strip()) or _TRAILING_PRONOUN.search(question):
        return True
    return len(words) <= FOLLOW_UP_MAX_WORDS and bool(_BACK_REFERENCES.search(question))


def context_for(question: str, earlier: Sequence[str]) -> str | None:
    """The earlier questions that a follow-up refers to (the chain back to a full question)."""
    if not earlier or not is_follow_up(question):
        return None
    chain = [earlier[-1]]
    for previous in reversed(earlier[:-1]):
        if not is_follow_up(chain[0]):
            break
        chain.insert(0, previous)
    # A long run of follow-ups keeps its full question (the topic) and the latest turns, so
    # that the new follow-up is not drowned in the whole conversation.
    if len(chain) > MAX_CHAIN:
        chain = chain[:1] + chain[1 - MAX_CHAIN :]
    return " ".join(chain)
