"""A quote's figure against a counting question: does it count what is asked ("über 10.000
nordkoreanische Kämpfer" for "How many North Korean soldiers …"), measure something else ("bis zu
50 Kilometern" for "Wie viele Haubitzen …") or count another thing it names ("bis zu 12.000
Mann")? Is it of the nation, the country or the currency asked about (qa/counting.py)?
Selection keeps such figures as quotes but out of the lead (qa/selection.py), and says "not
stated" when no figure is of what is asked (qa/stated.py)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from assistant.qa.evidence import Evidence
from assistant.qa.keys import key_context
from assistant.qa.question import Query
from assistant.text.dictionary import Term
from assistant.text.patterns import CAPITALS, CURRENCIES, ENGLISH_UNITS, FIGURE_NOUNS, MEASURES
from assistant.text.words import fold, fold_words, known, stems
from assistant.tuning import NATION_PREFIX, STEM_PREFIX

_INFLECTION_CHARS = 3  # letters an inflection adds to a noun ("Soldat", "Soldaten"; "-ern")


def counts_asked(text: str, evidence: Evidence, query: Query) -> bool:
    """The evidence's quantity names what the question counts: "über 10.000 nordkoreanische
    Kämpfer" for "How many North Korean soldiers …", not "bis zu 12.000 Mann" for "Wie viele
    Mehrfachraketenwerfer …"."""
    if query.kind != "quantity" or evidence.key_start is None:
        return False
    words = fold_words(text[evidence.key_start : evidence.key_end]).split()
    prefixes = stems(query.terms)
    return any(known(w, query.terms, prefixes) for w in words if not w.isdigit())


def key_clause(text: str, evidence: Evidence) -> str:
    """The clause of the evidence's key span in its quote (keys.key_context), which tells what
    the figure or date is of; text is the article's."""
    quote = text[evidence.start : evidence.end]
    start = evidence.key_start - evidence.start
    return key_context(quote, start, start + evidence.key_end - evidence.key_start)


def qualified(text: str, evidence: Evidence, query: Query) -> bool:
    """The evidence's figure is of the nations the question names: of the counted thing's
    (Query.qualifiers) in its clause ("wonach Nordkorea bis zu 12.000 Mann" for "How many North
    Korean soldiers …") or as a country in its quote ("Russland hat … knapp 50.000 Soldaten
    zusammengezogen" for "How many Russian soldiers …"), not as another noun's adjective
    ("ukrainischer Militärexperten … knapp 50.000 Soldaten" for "How many Ukrainian soldiers
    …"); and of the actor's (Query.actors) anywhere in its quote ("die russische Armee … knapp
    40 Kilometer" for "How many kilometres has the Russian army advanced?")."""
    if evidence.key_start is None:
        return True
    if query.money and not _monetary(text[evidence.key_start : evidence.key_end + 25]):
        return False  # "bis zu 50 Kilometern" for "How much does a Koksan howitzer cost?"
    quote = text[evidence.start : evidence.end]
    clause = key_clause(text, evidence)
    countries = " ".join(w for w in quote.split() if w[:1].isupper())  # and other nouns
    counted = names(clause, query.qualifiers) or names(countries, query.qualifiers)
    return counted and names(quote, query.actors)


# A change the question asks the size of, and the words a clause states one with: a rise is no
# answer to "By what percentage did registrations drop?" ("um 24 Prozent gestiegen"), folded.
_CHANGE_WORDS = {  # (language, change): folded words
    ("en", "fall"): r"drop\w*|fell|fall|falls|fallen|falling|declin\w*|decreas\w*|shr[iau]nk\w*"
    r"|sank|sunk|sinks?|sinking",
    ("de", "fall"): r"zuruckgegangen|zuruckging|gesunken|sinken|sinkt|sank|sanken|gefallen|fiel"
    r"|fielen|fallt|abgenommen|nimmt ab|geschrumpft|schrumpft\w*|ruckgang\w*|eingebrochen|minus",
    ("en", "rise"): r"ris(?:e[ns]?|ing)|rose|increas\w*|gr[eo]w(?:s|n|ing)?",
    ("de", "rise"): r"gestiegen|steigen|steigt|stieg|stiegen|zugenommen|nimmt zu|gewachsen|wachst"
    r"|wuchs|wuchsen|anstieg\w*|zuwachs\w*|plus",
}
CHANGES = {key: re.compile(rf"\b(?:{words})\b") for key, words in _CHANGE_WORDS.items()}


def change(text: str, language: str) -> str | None:
    """'fall' or 'rise' when the text, in its language ('en' or 'de'), speaks of one change and
    not the other, else None. German words only in German text: "Fall" and "falls" are a case
    and "if", "Risiko" no rise."""
    folded = fold(text)
    found = [kind for (lang, kind), pattern in CHANGES.items() if lang == language
             and pattern.search(folded)]  # fmt: skip
    return found[0] if len(found) == 1 else None


def opposite_change(text: str, evidence: Evidence, query: Query) -> bool:
    """For a counting question that asks the size of a change ("By how much did … fall?"), the
    figure's clause states the other change ("um 24 Prozent gestiegen")."""
    if query.kind != "quantity" or evidence.key_start is None:
        return False
    if (asked := change(query.text, "de" if query.german else "en")) is None:
        return False
    stated = change(key_clause(text, evidence), "de")
    return stated is not None and stated != asked


def names(text: str, nations: Iterable[Term]) -> bool:
    """The text names every nation, in any form ("Nordkorea" for "North Korean",
    "nordkoreanische"; "Russland" for "russisch", "Frankreich" for "französisch" by their first
    NATION_PREFIX letters)."""
    words = set(fold_words(text).split())
    words |= {CAPITALS[w] for w in words if w in CAPITALS}  # "Moskau" names Russia
    prefixes = stems(words)  # "nordkoreanisch" meets "Nordkorea"
    countries = {w[:NATION_PREFIX] for w in words if len(w) > NATION_PREFIX}
    return all(
        any(
            all(known(p, words, prefixes) for p in form.split())
            or (" " not in form and form[:NATION_PREFIX] in countries)
            for form in _forms(t)
        )
        for t in nations
    )


def _forms(nation: Term) -> list[str]:
    """A nation's words, and its country's where the question names it by its capital ("How
    many troops has Moscow massed …" is answered by "das russische Militär")."""
    forms = [nation.english, *nation.german]
    return forms + [CAPITALS[f] for f in map(fold, forms) if f in CAPITALS]


def _same_noun(word: str, counted: frozenset[str]) -> bool:
    """The word is a counted one or an inflection of it ("Soldaten", "Soldat"), not a compound
    sharing its first letters ("Kämpfer" is no "Kampfpanzer", a tank)."""
    return word in counted or any(
        c[:STEM_PREFIX] == word[:STEM_PREFIX] and abs(len(c) - len(word)) <= _INFLECTION_CHARS
        for c in counted
        if len(word) >= STEM_PREFIX
    )


def measures_other(text: str, evidence: Evidence, query: Query) -> bool:
    """The evidence's figure is a measure in a unit the question does not name ("bis zu 50
    Kilometern" for "Wie viele Haubitzen …"): not a count of what is asked. Only a question that
    counts ("how many", "wie viele") is asked; "how much time" asks for a measure itself."""
    if query.counted is None or evidence.key_start is None or _counts_units(query.counted):
        return False  # "How many metric tons …": the question asks for a measure itself
    words = fold_words(text[evidence.key_start : evidence.key_end]).split()
    units = [w for w in words if _is_unit(w)]
    prefixes = stems(query.terms)
    return bool(units) and not any(known(w, query.terms, prefixes) for w in units)


# News counts armed forces in several words, each the others' ("Kämpfer", "Mann", "Soldaten"),
# folded, German and English.
_FORCES = frozenset(
    "soldat soldaten kampfer mann truppen streitkrafte militars krieger soldier soldiers troops "
    "fighters men forces".split()
)


# Counted nouns that name no kind of thing, which the question's other words do ("how many
# items are in the costume collection": "über 14.000 Kostüme"; "rocket artillery systems":
# "knapp 20 Mehrfachraketenwerfer"), folded.
_GENERIC = frozenset(
    "items things objects pieces units systems people persons members cases examples types "
    "kinds elements parts gegenstande dinge stucke einheiten systeme menschen personen "
    "mitglieder falle arten elemente teile".split()
)


def names_counted(text: str, evidence: Evidence, query: Query) -> bool | None:
    """Whether the evidence's figure counts the very thing the question counts ("knapp 50
    schwere Haubitzen" for "How many howitzers …": True), another thing it names ("bis zu 12.000
    Mann": False), or names nothing the question could be told from ("10.000", "zwei Drittel":
    None). A question that counts units ("Wie viele Tonnen …") is left to measures_other."""
    counted = query.counted
    if not counted or evidence.key_start is None or _counts_units(counted) or counted & _GENERIC:
        return None
    span = text[evidence.key_start : evidence.key_end]
    nouns = " ".join(w for w in span.split() if w[:1].isupper())  # "Nordkoreaner" counts people
    if counted & _FORCES and (
        set(fold_words(span).split()) & _FORCES
        or (nouns and query.qualifiers and names(nouns, query.qualifiers))
    ):
        return True  # "über 10.000 nordkoreanische Kämpfer", "10.000 Nordkoreaner": soldiers
    for word in fold_words(span).split():  # "Kampfpanzer" counts "Panzer"
        if _same_noun(word, counted) or any(word.endswith(c) for c in counted if len(c) > 3):
            return True
        # and "Haubitzen" the "Panzerhaubitze" of "self-propelled howitzers": its head noun
        if len(word) > 5 and any(c.endswith(word.rstrip("n")) for c in counted):
            return True
    figure = re.search(r"\d", span)
    after = span[figure.start() :] if figure else span  # the counted noun follows the figure
    nouns = [w for w in re.findall(r"[^\W\d_][\w-]*", after) if w[:1].isupper()]
    return False if any(fold(w) not in FIGURE_NOUNS for w in nouns) else None


def _monetary(figure: str) -> bool:
    """A figure, with what follows it, in a currency ("knapp 36.700 Euro", "500-Millionen-Dollar",
    "207.000 €")."""
    head = " ".join(figure.split()[:4])
    return any(sign in head for sign in "€$£") or any(
        part in CURRENCIES for part in re.split(r"[\s-]+", fold_words(head))
    )


def _counts_units(counted: frozenset[str]) -> bool:
    """The question counts units ("Wie viele Tonnen …"): it asks for a measure itself."""
    return any(map(_is_unit, counted))


def _is_unit(word: str) -> bool:
    return (
        word in MEASURES
        or word in ENGLISH_UNITS
        or any(word.endswith(m) for m in MEASURES if len(m) > 3)
    )
