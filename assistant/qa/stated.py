"""Whether a quote states what the question asks about, not just its topic.

"How many North Korean soldiers were wounded near Kursk?" meets "über 10.000 nordkoreanische
Kämpfer" in a sentence about Kursk: the topic matches, the asked part ("wounded") does not. A
question word counts as stated when the quote has it, its German stem, a compound with it
("Mehrfachraketenwerfer" for "Raketenwerfer", "Jahresbeginn" for "Jahr"), or one of its
dictionary translations. Words
that paraphrase defeat this test, so it speaks only when the word is missing from the quote's
whole article and the evidence does not stand clearly above the abstention threshold
(UNSTATED_MARGIN, measured in docs/tuning.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache

from assistant.indexing.store import Index
from assistant.qa import figures
from assistant.qa.evidence import Evidence
from assistant.qa.question import Query
from assistant.qa.roles import Role
from assistant.text.dictionary import Term
from assistant.text.gloss import is_noun
from assistant.text.words import fold, fold_words
from assistant.tuning import (
    COMPOUND_PART_CHARS,
    ROLE_NATION_WORDS,
    STATED_NEAR,
    STATED_WEIGHT,
    STEM_PREFIX,
    UNSTATED_MARGIN,
)

# A count of the dead or wounded is the figure a reader must never be given wrongly: "über
# 10.000 nordkoreanische Kämpfer" is no answer to "How many North Korean soldiers were killed
# …?", however close its evidence. The words of either language, folded; a casualty question
# is answered only by a quote with one of them (any of them: "starben" answers "killed" as
# well as "died"). The German stems count inside a word too ("abstarb", "Kriegsverletzte").
_CASUALTY_WORDS = (
    r"\b(?:kill|wound|injur|casualt|fatalit)\w*|\b(?:dead|deaths?|died|tot|tote|toten|ums leben)\b"
    r"|starb|storb|sterb|getot|totet|todesopf|verletz|verwund"
    r"|\b(?:lost|loses?|losing|loss|losses)\b|verlust|verlor"
)
CASUALTY = re.compile(rf"{_CASUALTY_WORDS}|\bgefallen\w*")  # "… sind in Kursk gefallen?"
# In a quote, "gefallen" is as often "Schüsse gefallen" or "hat gefallen": there only "gefallene
# Soldaten", "die Gefallenen" and "zum Opfer gefallen" speak of the dead.
CASUALTY_STATED = re.compile(rf"{_CASUALTY_WORDS}|\bgefallene\w*|\bopfer gefallen")
# An age is asked ("How old is Andreas Schieder?", "Wie alt …") and stated ("mit 39 Jahren",
# "der 45-Jährige", "Schieder (46)", "im Alter von", "vor 515 Millionen Jahren", "geboren 1969")
# in few ways; a quote with none of them gives no age, however close.
AGE_ASKED = re.compile(r"\b(?:how old|wie alt|what age|in welchem alter)\b", re.IGNORECASE)
AGE_STATED = re.compile(
    r"\d[\d.,]*(?:\s(?:millionen|milliarden|tausend))?[\s-]*(?:jährig\w*|jahre|jahren|jahres)\b"
    r"|\(\d{1,3}\)|\balter\b|\bmit \d{1,3}\b|\bgeboren\b",
    re.IGNORECASE,
)


def unstated(index: Index, query: Query, chosen: list[Evidence], threshold: float) -> str | None:
    """The asked word that no chosen quote states and whose articles never mention it, as the
    question spells it ("getötet"), or None when a quote states every asked word or stands out
    enough. A count of casualties no chosen quote speaks of is unstated however close it
    stands, and so is an age no chosen quote gives."""
    word = _unstated(index, query, chosen, threshold)
    if word is None:
        return None
    spelled = (w for w in re.findall(r"[^\W\d_][\w-]*", query.text) if fold(w) == word)
    return next(spelled, word)


def _unstated(index: Index, query: Query, chosen: list[Evidence], threshold: float) -> str | None:
    if not chosen:
        return None
    if AGE_ASKED.search(query.text) and not any(
        _gives_age(_quote(index, e), query) for e in chosen
    ):
        return "Alter" if query.german else "age"  # no quote gives the age asked ("how old is he?")
    if not query.asked:
        return None
    if (asked := _casualty(query)) and not any(_casualty_in(index, e) for e in chosen):
        return asked  # no quote speaks of the dead or wounded
    if query.role is not None and not any(names_role(_quote(index, e), query.role) for e in chosen):
        return query.role.text  # no quote names the ambassador (of South Korea)
    if chosen[0].score >= threshold + UNSTATED_MARGIN:
        return None
    missing: list[list[str]] = []  # per quote, the asked words its article never mentions
    for e in chosen:
        if not (absent := _absent(index, query, e)):
            return None
        missing.append(absent)
    # The word no chosen article mentions names the gap best ("china", not "howitzers").
    everywhere = [word for word in missing[0] if all(word in other for other in missing)]
    return (everywhere or missing[0])[0]


def unqualified(index: Index, query: Query, keyed: list[Evidence]) -> str | None:
    """What a figure must be of, as the question spells it ("Ukrainian soldiers", "Ukraine",
    "cost"; or the change asked, "drop", when every figure states the other change), when the
    chosen quotes hold figures but none of it (figures.qualified): "ukrainischer
    Militärexperten bereits knapp 50.000 Soldaten" are Russia's, "bis zu 50 Kilometern" is no
    price. keyed: the quotes with their key spans, before selection dropped any."""
    spans = [e for e in keyed if e.key_start is not None]
    text = lambda e: index.articles[e.article_id].text  # noqa: E731
    if spans and all(figures.opposite_change(text(e), e, query) for e in spans):
        language = "de" if query.german else "en"
        said = (w for w in re.findall(r"\w+", query.text) if figures.change(w, language))
        return next(said, "zurückgegangen" if query.german else "fall")  # as asked: "drop"
    asked = query.counted_text or query.money
    if asked is None:
        return None
    # Beside a figure in an article that names what is asked ("Koksan", "howitzer"), a figure in
    # one that never does is none of it ("knapp 36.700 Euro" for a sticker campaign).
    spans = [e for e in spans if not _absent(index, query, e)] or spans
    if not spans or any(figures.qualified(text(e), e, query) for e in spans):
        return None
    return asked


def casualty_keys(index: Index, query: Query, chosen: list[Evidence]) -> list[Evidence]:
    """For a count of casualties, a quote that does not speak of the dead or wounded, or whose
    figure counts another thing than asked, loses its key: "bis zu 12.000 Mann" and "zwei
    nordkoreanische Ärzte … starben" are shown, but not as the number of soldiers who died."""
    if not _casualty(query):
        return chosen
    return [
        e
        if _casualty_in(index, e)
        and figures.names_counted(index.articles[e.article_id].text, e, query) is not False
        else replace(e, key_start=None, key_end=None)
        for e in chosen
    ]


def dated_keys(index: Index, query: Query, chosen: list[Evidence]) -> list[Evidence]:
    """For "when", a date whose clause states none of the asked words loses its key: "When did
    North Korean troops arrive in Kursk?" is not answered by "erst im Juni dieses Jahres von
    beiden Seiten unterzeichnete Vertrag", the month a treaty was signed."""
    if query.kind != "date" or not query.asked:
        return chosen
    kept = []
    for e in chosen:
        text = index.articles[e.article_id].text
        if e.key_start is not None and share(query, figures.key_clause(text, e)) == 0:
            e = replace(e, key_start=None, key_end=None)
        kept.append(e)
    return kept


def _gives_age(quote: str, query: Query) -> bool:
    """Whether the quote states an age, and the names the question asks it of ("Kim Jong Un":
    "Der 21-jährige Otto Warmbier" is another's); a German noun is no name ("Fossilien")."""
    if not AGE_STATED.search(quote):
        return False
    _, *rest = re.findall(r"[^\W\d_][\w-]*", query.text)  # not the first: it is capitalised
    names = {fold(w) for w in rest if w[:1].isupper() and not (query.german and is_noun(w))}
    words = _words(quote)
    return all(states(t, words) for t in query.asked if names.intersection(t.english.split()))


def _casualty(query: Query) -> str | None:
    """The question's word for the dead or wounded ("killed", "getötet"), if it counts them."""
    if query.kind != "quantity":
        return None
    return next((t.english for t in query.asked if CASUALTY.search(t.english)), None)


def _casualty_in(index: Index, evidence: Evidence) -> bool:
    return bool(CASUALTY_STATED.search(fold_words(_quote(index, evidence))))


def stated_first(index: Index, query: Query, chosen: list[Evidence]) -> list[Evidence]:
    """The chosen quotes with those within STATED_NEAR of the best reordered by their score
    plus STATED_WEIGHT times the share of the asked words they state: of two sentences that tie
    on meaning, the one that says "bei nur 17 Sekunden verbleibender Spielzeit" to "How much
    time remained …" leads. Not for who, when and where: their key span decides (KEY_BONUS), and
    the words of their topic misled ("Super Bowl" over "führte die Nationalhymne auf")."""
    if len(chosen) < 2 or not query.asked or query.kind in ("person", "date", "place"):
        return chosen
    best = chosen[0].score
    near = [e for e in chosen if e.score >= best - STATED_NEAR]
    if len(near) < 2:
        return chosen

    def score(e: Evidence) -> float:
        return e.score + STATED_WEIGHT * share(query, _quote(index, e))

    return sorted(near, key=score, reverse=True) + [e for e in chosen if e not in near]


def share(query: Query, quote: str) -> float:
    """The share of the question's asked words that the quote states (0 when none asked)."""
    if not query.asked:
        return 0.0
    words = _words(quote)
    return sum(states(t, words) for t in query.asked) / len(query.asked)


def _absent(index: Index, query: Query, evidence: Evidence) -> list[str]:
    """The asked words that neither the quote nor its article states."""
    article = index.articles[evidence.article_id].text
    quote_words = _words(article[evidence.start : evidence.end])
    article_words = _words(article)
    return [
        t.english
        for t in query.asked
        if not states(t, quote_words) and not states(t, article_words)
    ]


def _quote(index: Index, evidence: Evidence) -> str:
    return index.articles[evidence.article_id].text[evidence.start : evidence.end]


def names_role(quote: str, role: Role) -> bool:
    """Whether the quote names the role, with its nations within ROLE_NATION_WORDS of it
    (figures.names: "der russische Botschafter" is no ambassador of South Korea). The role: its
    word, a translation, an inflection or a compound of it ("Botschafterin", "Generalstabschef"),
    or the verb of an agent noun ("Übersetzung von" for "Übersetzer"), not a noun it is made from
    ("Botschaft" is no "Botschafter"). The forms are folded: a stem with an umlaut is never
    found a noun, so it counts as a verb's ("handl" for "Händler")."""
    words = fold_words(quote).split()
    forms = [f for f in _forms(role.noun) if len(f) >= COMPOUND_PART_CHARS]
    forms += [f[:-2] for f in forms if f.endswith("er") and not is_noun(f[:-2].capitalize())]
    return any(
        any(w == f or w.startswith(f) or w.endswith(f) for f in forms)
        and figures.names(
            " ".join(words[max(0, i - ROLE_NATION_WORDS) : i + ROLE_NATION_WORDS + 1]), role.nations
        )
        for i, w in enumerate(words)
    )


def states(term: Term, words: frozenset[str]) -> bool:
    """Whether the words hold the term, one of its translations, their stem or a compound."""
    return any(_holds(form, words) for form in _forms(term))


def _forms(term: Term) -> Iterable[str]:
    """The term, its translations, their hyphenated parts, and participles without their "ge"
    ("geliefert" meets "liefert")."""
    for form in (term.english, *term.german):
        for part in {form, *form.split("-")}:
            yield part
            if part.startswith("ge") and len(part) > STEM_PREFIX + 2:
                yield part[2:]


_INFLECTIONS = ("e", "en", "er", "es", "n", "s")  # of a short word: "Arten" for "Art"


def _holds(form: str, words: frozenset[str]) -> bool:
    if form in words:
        return True
    if " " in form:  # a phrase ("north korean"): each of its words
        return all(_holds(part, words) for part in form.split())
    if form.isdigit():
        return False
    if len(form) < COMPOUND_PART_CHARS:  # inflected, not inside a compound: "Arten" for "Art"
        return any(form + ending in words for ending in _INFLECTIONS)
    stem = form[:STEM_PREFIX]
    return any(
        (len(form) >= STEM_PREFIX and w[:STEM_PREFIX] == stem)
        or (len(w) > len(form) and (w.startswith(form) or w.endswith(form)))  # a compound
        for w in words
    )


@lru_cache(maxsize=4096)
def _words(text: str) -> frozenset[str]:
    return frozenset(fold_words(text).split())
