"""Words as every stage compares them: folded spellings, the one stopword list, content terms."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable

from assistant.tuning import STEM_PREFIX

STOPWORDS = frozenset(
    # German and English function words; question words stay out of the index too.
    "aber alle als also am an auch auf aus bei bin bis bist da dabei damit dann das dass dem den "
    "der des die dies diese diesem diesen dieser dieses doch dort du durch ein eine einem einen "
    "einer eines er es etwa für gegen hat hatte hatten hier ich ihr ihre im in ins ist ja jedoch "
    "kann kein keine man mehr mit nach nicht noch nun nur ob oder ohne seit sein seine sich sie "
    "sind so soll sollen über um und uns unter vom von vor war waren was wer wie wieviel viele "
    "wird wo wann warum welche welcher welches werden wurde wurden zu zum zur zwischen "
    "a about after all an and any are as at be been but by can did do does for from had has "
    "have how i if in into is it its many much of on or than that the their there these they "
    "this to was were what when where which who whom why will with would".split()
)
# Words of a question that never say what it asks about ("reported near Kursk").
QUESTION_FILLERS = frozenset({"near", "reported"})
# The words evidence scoring leaves out of a question: the fillers and the commonest function
# words, fewer than STOPWORDS. With all of STOPWORDS, German XQuAD questions had the answer in
# the first quote for 0.812 instead of 0.813 (benchmarks/quality.py), so the measured list
# stays. A test checks that it adds nothing to STOPWORDS but the fillers.
QUESTION_STOPWORDS = QUESTION_FILLERS | frozenset(
    "the a an of in on at to for is are was were be been by with and or what which who whom "
    "how many much when where why does did do has have had there their its it this that der "
    "die das den dem des ein eine einer eines einem und oder ist sind war waren wird werden "
    "wurde wie viele was wer wo wann warum welche welcher welches im in am an auf bei mit von "
    "zu zum zur für nach über unter es sie er sich nicht auch noch so".split()
)
# Words that frame a question without saying what it asks about; none is ever the part a
# quote must state (qa/stated.py): auxiliaries, pronouns and phrasing of either language.
FRAMING = (
    QUESTION_STOPWORDS
    | STOPWORDS
    | frozenset(
        # German: auxiliaries, pronouns, "what is it called", "which kind of", "take place"
        "als aus beim beiden einen fur gegen gibt gab hatte hatten hast habe haben hat ihrer "
        "ihren ihrem seiner seinen seinem vielen viel wen wem wessen welchen welchem wofur wozu "
        "wahrend laut heisst heissen hiess nennt nennen genannt lautet lautete art arten form "
        "sorte typ zeit jahr jahre anzahl zahl prozentsatz derzeit zuvor je kann man statt "
        "etwa ungefahr andere anderen weit lange ursprunglich verwenden verwendet ereignete "
        "ereignet geschah passierte "
        # English: the same, and "how far/long", "approximately", "some other"
        "most more one get got give gave take took make made become became during being "
        "between versus not say says said text name named called call kind type sort form "
        "time year years number amount percentage currently previously prior according "
        "article report reports other another some both two new use used approximately "
        "around far long old person "
        # English: pronouns ("And how many shells did North Korea send for them?")
        "you your him his she her hers them our ours "
        # English: when and how a fact is told, not the fact ("originally", "66 million years
        # ago", "believed to be", "describe")
        "ago upon like recent recently originally instead able good believe believed believes "
        "describe described describes happen happened happens".split()
    )
)
_NOT_WORD = re.compile(r"[^\w]+")


def fold(text: str) -> str:
    """Lowercase; ä→a, ß→ss and other accents removed, so German and English spellings meet."""
    text = text.lower().replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def fold_words(text: str) -> str:
    """fold(), with punctuation turned into spaces."""
    return _NOT_WORD.sub(" ", fold(text))


def content_terms(text: str) -> set[str]:
    """Folded words of a text without QUESTION_STOPWORDS and one- or two-letter words."""
    return {w for w in fold_words(text).split() if w not in QUESTION_STOPWORDS and len(w) > 2}


def lexical_overlap(terms: Collection[str], text: str) -> float:
    """Share of the terms found in the text (a shared prefix of STEM_PREFIX letters counts)."""
    if not terms:
        return 0.0
    words = content_terms(text)
    found = stems(words)
    return sum(known(t, words, found) for t in terms) / len(terms)


def stems(words: Iterable[str]) -> set[str]:
    """The STEM_PREFIX-letter prefixes of the longer words: German inflections share them."""
    return {w[:STEM_PREFIX] for w in words if len(w) >= STEM_PREFIX}


def known(word: str, words: Collection[str], prefixes: set[str]) -> bool:
    """The word is among the words, or shares its first STEM_PREFIX letters with one of them."""
    return word in words or (len(word) >= STEM_PREFIX and word[:STEM_PREFIX] in prefixes)
