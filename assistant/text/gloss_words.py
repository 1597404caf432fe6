"""Fixed English glosses for German words whose dictionary line is the wrong sense for news
text: function words and number qualifiers (FIXED, used as they are), and news nouns whose
first dictionary line is a specialist sense (NOUNS, merged into the gloss table, so they also
count as nouns). Read by assistant/text/gloss.py; measured by benchmarks/gloss.py."""

# Words the dictionary renders badly alone (function words, number qualifiers): fixed glosses.
FIXED = {
    "über": "over", "knapp": "almost", "bis": "up", "zu": "to", "rund": "around",
    "etwa": "about", "mehr": "more", "als": "than", "fast": "almost", "mindestens": "at least",
    "höchstens": "at most", "bereits": "already", "insgesamt": "in total", "nur": "only",
    "weniger": "fewer", "gut": "a good", "ca.": "approx.", "circa": "approx.", "und": "and",
    "oder": "or", "der": "the", "die": "the", "das": "the", "den": "the", "dem": "the",
    "des": "of the", "ein": "a", "eine": "a", "einer": "a", "einen": "a", "einem": "a",
    "von": "of", "im": "in the", "in": "in", "am": "on the", "an": "at", "auf": "on",
    "aus": "from", "bei": "near", "mit": "with", "nach": "to", "seit": "since", "für": "for",
    "gegen": "against", "vor": "before", "unter": "among", "sowie": "as well as",
    "auch": "also", "nicht": "not", "sich": "", "ist": "is", "sind": "are", "hat": "has",
    "haben": "have", "habe": "has", "würde": "would", "würden": "would", "wurde": "was",
    "wurden": "were", "werden": "become", "sollen": "are said to", "soll": "is said to",
    "offenbar": "apparently", "sei": "is said to be", "seien": "are said to be", "Mann": "men",
    "Prozent": "percent", "Millionen": "million", "Milliarden": "billion", "Mio.": "million",
    "Mrd.": "billion", "Hunderte": "hundreds", "Tausende": "thousands", "Dutzende": "dozens",
    "Menschen": "people", "Mensch": "person", "Uhr": "o'clock", "Tote": "dead",
    # The commonest words of gnad-1028's news text whose dictionary line is another sense
    # ("es" id, "muss" puree, "waren" products, "laut" loud, "wegen" away, "Ich" ego).
    "es": "it", "er": "he", "sie": "she/they", "ich": "I", "wir": "we", "uns": "us",
    "ihm": "him", "ihn": "him", "ihnen": "them", "mir": "me", "mich": "me", "man": "one",
    "ihr": "her", "ihre": "her", "ihrer": "her", "ihren": "her", "ihrem": "her",
    "seine": "his", "seiner": "his", "seinen": "his", "seinem": "his", "seines": "his",
    "deren": "whose", "dessen": "whose", "denen": "whom", "wird": "will", "war": "was",
    "waren": "were", "hatte": "had", "hatten": "had", "wäre": "would be", "wären": "would be",
    "hätte": "would have", "hätten": "would have", "kann": "can", "können": "can",
    "könnte": "could", "könnten": "could", "konnte": "could", "konnten": "could",
    "muss": "must", "müssen": "must", "musste": "had to", "mussten": "had to",
    "will": "wants to", "wollen": "want to", "wollte": "wanted to", "darf": "may",
    "dürfen": "may", "dürfte": "is likely to", "sollte": "should", "sollten": "should",
    "worden": "been", "gewesen": "been", "bin": "am", "gibt": "there is", "gab": "there was",
    "heißt": "is called", "hieß": "was called", "sagte": "said", "sagt": "says",
    "sagten": "said", "meinte": "said", "mitteilte": "announced", "laut": "according to",
    "zufolge": "according to", "wegen": "because of", "ohne": "without", "zur": "to the",
    "zum": "to the", "vom": "from the", "beim": "at the", "ins": "into the", "durch": "through",
    "dass": "that", "um": "around", "noch": "still", "schon": "already", "nun": "now",
    "doch": "but", "denn": "because", "da": "as", "dabei": "in doing so", "daher": "therefore",
    "dafür": "for it", "darauf": "on it", "davon": "of it", "dazu": "to it",
    "damit": "so that", "wie": "as", "selbst": "itself", "zunächst": "at first",
    "gegenüber": "compared with", "nächsten": "next", "ersten": "first", "zweiten": "second",
    "dritten": "third", "allem": "all", "anderem": "other things", "weiter": "further",
    "eher": "rather", "erst": "only", "jedoch": "however", "allerdings": "however",
    "zudem": "in addition", "sogar": "even", "wohl": "probably", "bisher": "so far",
    "derzeit": "currently", "zuletzt": "most recently", "erstmals": "for the first time",
    "heute": "today", "jetzt": "now", "sondern": "but", "ob": "whether", "wenn": "if",
    "weil": "because", "während": "while", "geht": "goes", "kommt": "comes", "liegt": "lies",
    "steht": "stands", "sieht": "sees", "gilt": "is considered", "lässt": "lets",
    "zeigt": "shows", "Anfang": "beginning", "Personen": "people", "Jährige": "year-old",
}  # fmt: skip
# News nouns whose first line in Ding's dictionary is a specialist or rare sense: "Panzer" is
# first a biology line ("wear-resistant housing"), "Truppen" "troups", "Grenze" "limit".
NOUNS = {
    "Panzer": "tank", "Panzern": "tanks", "Truppe": "troop", "Truppen": "troops",
    "Grenze": "border", "Stellung": "position", "Stellungen": "positions", "Gespräche": "talks",
    "Polizei": "police", "Bauer": "farmer", "Bauern": "farmers", "Bund": "federation",
    "Bord": "board", "Pension": "pension", "Pensionen": "pensions",
}  # fmt: skip
