"""The role a question asks a person by: "Who is South Korea's ambassador to Russia?" asks for
an ambassador of South Korea, "Wer ist der Botschafter Südkoreas …" likewise. A quote that
names someone but not the role does not answer it ("Nachrichtendienst NIS" is no ambassador),
nor does one that names the role of another nation ("der russische Botschafter in Wien").
Read once, by qa/question.py, into the Query; qa/stated.py checks the quotes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.qa.counting import NATION_ENDING, is_nation
from assistant.text.dictionary import Term
from assistant.text.gloss import english_places, is_noun, is_place
from assistant.text.words import fold

# "Who is/was [the] [X's] <role> …" and "Wer ist/war der <Rolle> …". "Which …", "Welche …",
# "What is the name of …" and "Wie heißt …" ask for things as often as for people ("Welches
# Team", "Welcher Prozentsatz") and name them in other words ("Welcher südkoreanische
# Geheimdienst" is a "Nachrichtendienst"): measured, they cost more answers than they caught
# (docs/benchmarks.md, "A person asked by a nation's role").
_ENGLISH = re.compile(
    r"^who (?:is|was|are|were|has been|had been|will be|became)\s+(?P<rest>.*)", re.IGNORECASE
)
_GERMAN = re.compile(
    r"^wer (?:ist|war|sind|waren|wird|wurde) (?:der|die|das)\s+(?P<rest>.*)", re.IGNORECASE
)
# Where an English role phrase ends: "the head of …", "ambassador to …", "the leader when …".
_ENGLISH_END = frozenset(
    "of to for in at on from with who whom that which whose during since by when where while "
    "as and or is was are were the a an".split()
)
_DETERMINERS = frozenset("the a an".split())
# How an English nation's adjective ends ("Ukrainian", "South Korean", "English", "Chinese",
# "Normans"); "federal" ("bundespolitisch") is none.
_DEMONYM = re.compile(r"(?:an|ese|ish|ch|i)s?$")
_WORD = re.compile(r"[^\W\d_][\w'’-]*|[?,.;:!]")


@dataclass(frozen=True)
class Role:
    """The role noun with its German translations, and the nations or countries it is of
    ("South Korea's ambassador", "der ukrainische General"), each with its translations."""

    noun: Term
    nations: tuple[Term, ...] = ()
    text: str = ""  # as the question spells it: "South Korea's ambassador", "Botschafter Südkoreas"


def read(text: str, german: bool, translations: Sequence[Term]) -> Role | None:
    """The role the question asks a person by; None when it asks otherwise ("Who leads …",
    "Who is Tesla?", "Wer führt …")."""
    return _german(text) if german else _english(text, translations)


def _english(text: str, translations: Sequence[Term]) -> Role | None:
    match = _ENGLISH.match(text.strip())
    if not match:
        return None
    phrase: list[str] = []
    owner: list[str] = []  # the possessive before it: "South Korea's"
    spelled: list[str] = []
    of: list[str] | None = None  # the phrase after "of", which the role is spelled with
    words = _WORD.findall(match["rest"])
    for i, word in enumerate(words):
        if not phrase and word.lower() in _DETERMINERS:
            continue
        if word.lower() == "of" and phrase:  # "the head of the South Korean intelligence service"
            owner, of = _of_phrase(words[i + 1 :])
            break
        if word.lower() in _ENGLISH_END or not word[0].isalpha():
            break
        if phrase and word.endswith("ed"):  # "the leader ennobled by …"
            break
        if word.endswith(("'s", "’s", "'", "’")):
            owner = [*phrase, re.sub(r"['’]s?$", "", word)]
            spelled = [*phrase, word]
            phrase = []
        else:
            phrase.append(word)
    if not phrase or not phrase[-1].islower():  # "Who is Tesla?": a name, no role
        return None
    found = [t for t in translations if t.english == fold(phrase[-1]) and t.german]
    if not found:
        return None
    named = {fold(w) for w in owner + phrase[:-1] if w[:1].isupper()}  # not "main" (a river)
    nations = [t for t in translations if set(t.english.split()) <= named and _is_nation_term(t)]
    if not nations:  # a role alone is often paraphrased: "Pass zu Bennie Fowler" for "receiver"
        return None
    spelled = [*spelled, *phrase] if of is None else [*phrase, "of", *of]
    return Role(found[0], tuple(nations), " ".join(spelled))


def _of_phrase(words: list[str]) -> tuple[list[str], list[str]]:
    """After "the head of": the words that may name a nation, and the phrase as spelled, up to
    the next word that ends it ("the South Korean intelligence service NIS")."""
    phrase = []
    for word in words:
        if word.lower() in _ENGLISH_END - _DETERMINERS or not word[0].isalpha():
            break
        phrase.append(word)
    return [w for w in phrase if w.lower() not in _DETERMINERS], phrase


def _is_nation_term(term: Term) -> bool:
    """A nation's adjective ("ukrainian": "ukrainisch", "south korean": "sudkoreanisch") or a
    country of the dictionary ("south korea"); the question capitalises it."""
    return term.english.title() in english_places() or (
        bool(_DEMONYM.search(term.english)) and any(NATION_ENDING.search(g) for g in term.german)
    )


def _german(text: str) -> Role | None:
    """The first capitalised dictionary noun after "wer ist der", past lowercase adjectives
    ("Wer war der erste Präsident"), with a nation's adjective before it ("der ukrainische
    General") or a country's genitive after it ("der Botschafter Südkoreas")."""
    match = _GERMAN.match(text.strip())
    if not match:
        return None
    words = _WORD.findall(match["rest"])
    for i, word in enumerate(words):
        if not word[0].isalpha():
            return None
        if word[0].isupper():
            if not is_noun(word):
                return None
            nations = [w for w in words[:i] if is_nation(w)]  # not "politische"
            spelled = [*nations, word]
            if i + 1 < len(words) and words[i + 1].endswith("s") and is_place(words[i + 1]):
                nations.append(words[i + 1][:-1])  # "Südkoreas"
                spelled.append(words[i + 1])
            if not nations:
                return None
            terms = tuple(Term(fold(w), frozenset()) for w in nations)
            return Role(Term(fold(word), frozenset()), terms, " ".join(spelled))
    return None
