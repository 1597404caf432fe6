"""Patterns for what answers are made of: dates, quantities, names, places; control characters."""

from __future__ import annotations

import re

MONTHS = {
    "januar": 1, "jänner": 1, "january": 1, "februar": 2, "february": 2, "märz": 3,
    "march": 3, "april": 4, "mai": 5, "may": 5, "juni": 6, "june": 6, "juli": 7, "july": 7,
    "august": 8, "september": 9, "oktober": 10, "october": 10, "november": 11,
    "dezember": 12, "december": 12,
}  # fmt: skip
# Month names as they stand in running text; not "May", which is also a name (Theresa May).
_MONTH = "(?:" + "|".join(m.capitalize() for m in MONTHS if m != "may") + ")"

_YEAR_WORDS = "|".join(
    f"(?<=\\b{w} )"
    for word in "im in um ab bis vor von seit nach jahr jahre".split()
    for w in (word, word.capitalize())
)
# A year before 1900 that is one, not a count: no noun or decimals after it ("im Jahr 1817
# gegründet", not "pro Jahr 1500 Menschen" nor "im Jahr 1200,5 Tonnen").
_EARLIER = r"1[0-8]\d{2}\b(?![.,]\d| [A-ZÄÖÜ])"
DATE = re.compile(
    rf"\b\d{{1,2}}\.\s?{_MONTH}(?:\s\d{{4}})?|\b\d{{1,2}}\.\d{{1,2}}\.(?:\d{{4}}|\d{{2}})\b"
    rf"|\b(?:(?:im|seit|bis|Anfang|Ende|Mitte)\s)?{_MONTH}(?:\s(?:19|20)\d{{2}}|\s{_EARLIER})?"
    # a decade: "in den 1950er Jahren", "seit den 90er Jahren"
    r"|\b(?:(?:[Ii]n|[Ss]eit|[Bb]is|Anfang|Ende|Mitte)\s(?:den|der)\s)?(?:(?:1\d|20)?\d0)er\sJahren?\b"
    r"|\b(?:19|20)\d{2}\b"
    rf"|(?<=\b[Jj]ahr ){_EARLIER}|(?<=\b[Jj]ahre ){_EARLIER}"  # "im Jahr 1817"
)
# An earlier year where the words say it is one ("im Jahr 1857", "seit 1620", "von 1870"): no
# count, though not a date a "when" question is answered with either (measured: as one, XQuAD's
# date leads fell 0.820 -> 0.775), except after "Jahr(e)" (DATE: "im Jahr 1817" is one; date
# leads 0.848 -> 0.857); not when a noun follows ("bis 1500 Menschen" counts).
OLD_YEAR = re.compile(rf"(?:{_YEAR_WORDS}){_EARLIER}")
TIME = re.compile(r"\b\d{1,2}:\d{2}\b")
_NUMBER_WORDS = (
    r"(?:zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|zwanzig|dreißig|hundert|"
    r"tausend|Hunderte|Tausende|Zehntausende|Dutzende|Millionen|two|three|four|five|six|seven|"
    r"eight|nine|ten|twelve|twenty|hundreds|thousands|dozens)"
)
_QUALIFIER = (
    r"(?:über|mehr als|rund|etwa|knapp|bis zu|fast|ca\.|circa|gut|weniger als|mindestens|"
    r"höchstens|nur|bereits|insgesamt|more than|about|around|nearly|up to|over|at least)"
)
QUANTITY = re.compile(
    rf"(?:\b{_QUALIFIER}\s)?(?:\b\d{{1,3}}(?:\.\d{{3}})+|\b\d+(?:,\d+)?|\b{_NUMBER_WORDS}\b)"
    r"(?:\s(?:Millionen|Milliarden|Mio\.|Mrd\.|Prozent|%))?"
    r"(?:\s[a-zäöüß-]+){0,2}(?:\s[A-ZÄÖÜ][\wäöüß-]*)?",
)
# Units of measure (folded, as words.fold_words gives them): a figure in one of them measures
# something ("bis zu 50 Kilometern": a range) rather than counting the asked thing.
MEASURES = frozenset(
    "kilometer kilometern km meter metern m zentimeter cm millimeter mm meile meilen "
    "tonne tonnen t kilogramm kg gramm g liter l grad prozent prozentpunkte hektar fuss yard "
    "euro dollar us-dollar rubel pfund franken yen "
    "sekunde sekunden minute minuten stunde stunden tag tage tagen woche wochen monat monate "
    "monaten jahr jahre jahren".split()
)
# Currencies (folded) and their signs: a figure in one of them is an amount of money.
CURRENCIES = frozenset(
    "euro euros eur dollar dollars us-dollar usd pfund pound pounds franken franc francs yen "
    "rubel ruble rubles mark cent cents € $ £".split()
)
# The same units as an English question names them ("How many metric tons …" asks a measure).
ENGLISH_UNITS = frozenset(
    "ton tons tonne tonnes kilometer kilometers kilometre kilometres km mile miles meter meters "
    "metre metres feet foot yard yards acre acres hectare hectares percent dollars euros pounds "
    "kilograms kg liters litres gallons degrees seconds minutes hours days weeks months "
    "years".split()
)
# News names a country by its capital or seat of power ("Moskau habe … verloren" is Russia's
# loss): folded, each with its country, folded. Data, not tuned.
CAPITALS = {
    "moskau": "russland", "kreml": "russland", "kiew": "ukraine", "kyjiw": "ukraine",
    "pjongjang": "nordkorea", "seoul": "sudkorea", "peking": "china", "washington": "usa",
    "berlin": "deutschland", "paris": "frankreich", "london": "grossbritannien",
    "wien": "osterreich", "damaskus": "syrien", "teheran": "iran", "ankara": "turkei",
    "kabul": "afghanistan", "jerusalem": "israel", "rom": "italien", "warschau": "polen",
    "minsk": "belarus", "tokio": "japan", "bagdad": "irak", "kairo": "agypten",
    "madrid": "spanien", "bern": "schweiz", "budapest": "ungarn", "athen": "griechenland",
}  # fmt: skip
# Capitalised words that belong to a figure rather than name what it counts ("zwei Drittel
# seiner Bevölkerung", "390 Milliarden Bäume", "Tausende Menschen"), folded.
FIGURE_NOUNS = frozenset(
    "drittel viertel funftel sechstel achtel zehntel halfte prozent prozentpunkte hundert "
    "hunderte tausend tausende zehntausende hunderttausende dutzend dutzende million millionen "
    "milliarde milliarden billion billionen mio mrd mal".split()
)
# Two or more capitalised words or initials in a row, not first in the sentence, with name
# particles inside: "Kim Yong Bok", "William E. Simon", "Lothar de Maizière", "Omar al-Bashir".
WORD = r"[A-ZÄÖÜ][\wäöüß'-]+"
_INITIAL = r"[A-Z]\."
NAME_PARTICLE = r"(?:von der|von|van der|van|de|da|di)"
_NAME_BODY = rf"(?:{_INITIAL} )*{WORD}(?: (?:{_INITIAL} )*(?:{NAME_PARTICLE} )?(?:al-|el-)?{WORD})+"
NAME = re.compile(rf"(?<=[\w,;:] ){_NAME_BODY}")
# The same first in a sentence, where a German noun is capitalised too ("James Hutton wird …",
# "Die Broncos …"): qa/names.py keeps it only when its first word is no dictionary word.
FIRST_NAME = re.compile(rf"(?:^|(?<=[.!?] )|(?<=[.!?][“\"] )){_NAME_BODY}")
# Prepositions after which a name is a place ("bei Russkoje Poretschnoje", "nördlich
# Ljubimowka"); "von", "vor" and "um" may also precede one, but as often a person ("von Donald
# Trump"), so only PLACE, which looks for places, takes them too.
PLACE_PREPOSITIONS = "in|im|bei|nach|aus|nahe|Richtung|nördlich|südlich|westlich|östlich"
# A capitalised name after a place preposition: "bei Pokrowsk", "in Washington", "nach Kursk".
PLACE = re.compile(
    rf"\b(?:{PLACE_PREPOSITIONS}|um|von|vor) "
    rf"(?:(?:der|dem|den|die) )?(?P<place>{WORD}(?: (?!Richtung\b){WORD})?)"
)
# Characters that are never text: C0/C1 controls (not tab and newline), zero-width and
# direction marks, line/paragraph separators, bidirectional embeddings and isolates, BOM.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]")
# Lone surrogates: a str can hold them (JSON "\ud800", undecodable file names), UTF-8 cannot.
SURROGATES = re.compile(r"[\ud800-\udfff]")
