"""Key spans: the name, date, place or figure a quote answers with (real article sentences)."""

import pytest

from assistant.qa.counting import counted
from assistant.qa.keys import key_candidates
from assistant.qa.question import analyse
from assistant.text.dictionary import translate


def keys(sentence: str, question: str, model) -> list[str]:
    return [sentence[a:b] for a, b in key_candidates(sentence, analyse(question, model))]


@pytest.mark.parametrize(
    ("sentence", "question", "expected"),
    [
        (
            "Der südkoreanische Nachrichtendienst NIS teilte mit, dass sich ein Vorauskommando "
            "unter dem stellvertretenden nordkoreanischen Generalstabschef Kim Yong Bok "
            "möglicherweise schon auf dem Weg nach Kursk befinde.",
            "Who leads the North Korean advance party?",
            ["NIS", "Generalstabschef Kim Yong Bok"],
        ),
        (  # initials
            "Im Jahr 1973 ernannte Nixon William E. Simon zum ersten Direktor des Federal Energy "
            "Office.",
            "Wer war der erste Direktor des Federal Energy Office?",
            ["Nixon William E. Simon"],
        ),
        (  # a noun with its "von" complement is not a name; the name after it is
            "Die Hymne ist im Englischen in der Übersetzung von John C. Messenger bekannt.",
            "Wer ist der englische Übersetzer dieser Hymne?",
            ["John C. Messenger"],
        ),
        (
            "Die Warnung ist die jüngste in einer Reihe von Drohungen, die Nordkorea zuletzt "
            "gegen Südkorea und die USA ausgestoßen hat.",
            "Wer ist der Präsident Südkoreas?",
            [],
        ),
        (  # an adjective after an article is not a name; particles inside one are
            "Auch der letzte Premierminister der Deutschen Demokratischen Republik, Lothar de "
            "Maizière, ist Nachfahre einer hugenottischen Familie.",
            "Wer war der letzte Premierminister von Ostdeutschland?",
            ["Lothar de Maizière"],
        ),
        (
            "Der gesuchte sudanesische Präsident Omar al-Bashir darf Südafrika nicht verlassen.",
            "Wer ist der Präsident des Sudan?",
            ["Omar al-Bashir"],
        ),
        (  # a name may open its sentence when its first word is no German word; the
            # question's "Super Bowl" inflected is no name ("Bowls")
            "Peyton Manning wurde zum ersten Quarterback, der zwei verschiedene Teams zu "
            "mehreren Super Bowls führte.",
            "Who was the first quarterback to take two teams to more than one Super Bowl?",
            ["Peyton Manning"],
        ),
        (  # XQuAD: a name first in its sentence ("Who is viewed as the first modern geologist?")
            "James Hutton wird oft als der erste moderne Geologe angesehen.",
            "Who is viewed as the first modern geologist?",
            ["James Hutton"],
        ),
        (  # a noun first in its sentence is none ("Die", "Heute" are German words)
            "Die Broncos besiegten die Pittsburgh Steelers in der Divisional Round. Heute "
            "Abend spielen sie wieder.",
            "Who did the Broncos beat in the Divisional Round?",
            ["Pittsburgh Steelers"],
        ),
        (  # one word that is no German word is a name of its own, beside a longer one
            "Mit einem Budget von 207.000 € wurden die noch vorhandenen Übertragungsdaten von "
            "Apollo 11 von Nafzger zusammengestellt und zur Restauration an Lowry Digital "
            "übergeben.",
            "Who compiled the original surviving Apollo 11 landing data?",
            ["Nafzger", "Lowry Digital"],
        ),
        (  # such a word first in its sentence too ("Grissom, White und Chaffee …")
            "Grissom, White und Chaffee entschlossen sich, ihren Flug als Motivationsschwerpunkt "
            "auf dem ersten bemannten Flug „Apollo 1“ zu nennen.",
            "Who was the main crew of Apollo 1?",
            ["Grissom", "White", "Chaffee"],  # "White" ends in no entry ("Hite"), nor "Chaffee"
        ),
        (  # a surname after a sentence's first article is a noun too ("Die Galater")
            "Die Galater schrieben ihm einen Brief.",
            "Who wrote him a letter?",
            [],
        ),
        (  # and a name first in its sentence is not found again inside itself
            "James Hutton Smith wird oft als der erste moderne Geologe angesehen.",
            "Who is viewed as the first modern geologist?",
            ["James Hutton Smith"],
        ),
        (  # a capital is a place, or its government, not a person (gnad-1028)
            "Nordkorea unterstellt den USA, durch ihre laufenden Militärübungen mit Südkorea einen "
            "Angriff vorzubereiten, was Washington und Seoul bestreiten.",
            "Who leads the North Korean troops?",
            [],
        ),
        (  # a word after an article is a noun, not a surname ("die Galater", Galatians)
            "Er veröffentlichte einen kurzen Kommentar über die Galater und sein Werk über die "
            "Psalmen.",
            "Who did he write a commentary on?",
            [],
        ),
        (  # a compound the dictionary lacks ends in one of its nouns ("Bänder"): no name
            "Sie verlaufen über die Gesamtlänge ihres Körpers und weisen kammartige "
            "Zilienbänder auf, die als „Ctene“ bezeichnet werden.",
            "Who has comb-like bands of cilia?",
            [],
        ),
    ],
)
def test_names_answer_who_questions(sentence, question, expected, model):
    assert keys(sentence, question, model) == expected


def test_the_questions_own_name_by_its_full_name_is_no_answer(model):
    """ "Who plays Geralt in the Witcher film?" (close set) led with "Riva", from "Geralt von
    Riva", the character's full name; another name after the question's is still one."""
    question = "Who plays Geralt in the Witcher film?"
    assert keys("Denn Geralt von Riva kommt ins Kino.", question, model) == []
    assert "Henry Cavill" in keys("Geralt spielt Henry Cavill, sagte Netflix.", question, model)


@pytest.mark.parametrize(
    ("sentence", "question", "not_a_name"),
    [  # gnad-1028 sentences met by the close-to-topic questions
        ("Denn Geralt von Riva kommt ins Kino.", "Who plays Geralt in the Witcher film?",
         "von Riva"),
        ("Die Maschine vom Typ Mi-17 gehörte demnach der Privatfirma Walan ICC aus Moldau.",
         "Who was the pilot of the Mi-17 helicopter?", "Mi-17"),
        ("Der Zeitpunkt des Events ist interessant gewählt: Am Tag darauf gibt es in dem "
         "Verfahren um das Entsperren des iPhones eines toten Attentäters in Kalifornien eine "
         "wichtige Anhörung.", "Who is the judge in the iPhone case?", "Am Tag"),
    ],
)  # fmt: skip
def test_a_name_neither_begins_with_a_function_word_nor_holds_a_digit(
    sentence, question, not_a_name, model
):
    assert not any(not_a_name in key for key in keys(sentence, question, model))


# The seeds' sentences: a newspaper, a broadcaster are where a report comes from.
FT = "Laut einem Bericht der Financial Times will Moskau diese für eine Gegenoffensive einsetzen."
FT_REPORTED = (
    "So sollen knapp 20 Mehrfachraketenwerfer in Russland eingetroffen sein, wie die Zeitung "
    "Financial Times unter Berufung auf eine Einschätzung des ukrainischen Geheimdienstes "
    "berichtete."
)
CNN = "Das sei eine wirklich schlechte Leistung, sagte ISW-Analyst George Barros dem US-Sender CNN."


def test_the_source_of_a_report_answers_only_who_reported(model):
    """ "Who leads the Russian counteroffensive in Kursk?" (close-to-topic) led with "Financial
    Times", the newspaper that reported it. A source answers only a question about sources."""
    leads = "Who leads the Russian counteroffensive in Kursk?"
    for sentence in (FT, FT_REPORTED):
        assert keys(sentence, leads, model) == [], sentence
        assert keys(sentence, "Wer führt die russische Gegenoffensive an?", model) == []
        assert keys(sentence, "Who reported on the artillery?", model) == ["Financial Times"]
    assert keys(CNN, "Who spoke about the losses?", model) == ["ISW-Analyst George Barros"]
    assert keys(CNN, "Who is the ISW analyst quoted here?", model)[-1] == "US-Sender CNN"


def test_the_question_s_own_words_are_not_its_answer(model):
    sentence = (
        "Sie schlugen daraufhin im AFC-Championship-Spiel den verteidigenden Super Bowl "
        "XLIX-Champion, die New England Patriots, 20-18."
    )
    assert keys(sentence, "Who won Super Bowl XLIX?", model) == ["New England Patriots"]
    # The words the question shares are trimmed from the edges of a name.
    barros = "Die Lage sei kritisch, sagte ISW-Analyst George Barros dem Sender."
    assert keys(barros, "Who is the ISW analyst quoted?", model) == ["George Barros"]
    assert keys(barros, "Who said the situation is critical?", model) == [
        "ISW-Analyst George Barros"
    ]


def test_a_counted_noun_that_the_question_names_stays_with_its_figure(model):
    sentence = "Nordkorea soll knapp 50 schwere Haubitzen an Russland geliefert haben."
    assert keys(sentence, "Wie viele schwere Haubitzen hat Nordkorea geliefert?", model) == [
        "knapp 50 schwere Haubitzen"
    ]


def test_a_date_the_question_gives_is_not_the_answer(model):
    sentence = "Der Vertrag wurde im Juni 2024 unterzeichnet und trat am 4. Dezember 2024 in Kraft."
    assert keys(sentence, "Wann trat der im Juni 2024 unterzeichnete Vertrag in Kraft?", model) == [
        "4. Dezember 2024"
    ]


def test_times_of_any_length_keep_the_figures_in_place(model):
    # gnad-0270-sport's results: "1:19:14" holds the 4-character time "1:19"; blanking it
    # with 5 characters moved every later offset, and "Wie viele Haubitzen?" crashed.
    sentence = (
        "20 km Gehen Gold: Miguel Angel Lopez (Spanien) 1:19:14 StundenSilber: Wang Zhen (China) "
        "1:19:29Bronze: Benjamin Thorne (Kanada) 1:19:57, 4. Igor Glawan (Ukraine) 1:20:29."
    )
    found = keys(sentence, "Wie viele Haubitzen?", model)
    assert found[0] == "20 km Gehen" and all(k[0].isdigit() for k in found)


@pytest.mark.parametrize(
    ("question", "counts"),
    [
        ("How many North Korean soldiers are reported near Kursk?", {"soldiers", "soldaten"}),
        ("How many people live there?", {"people", "menschen"}),  # not "live"
        ("Wie viele nordkoreanische Soldaten wurden verwundet?", {"soldaten"}),
        ("Wie viele Menschen leben dort?", {"menschen"}),  # the noun, not the verb after it
        ("How many of them were there?", set()),  # counts, but names nothing
        ("How much money did it cost?", None),  # a measure, not a count
        ("Wann wurde es gebaut?", None),
    ],
)
def test_a_counting_question_names_what_it_counts(question, counts):
    german = not question.startswith("How")
    found = counted(question, german, () if german else translate(question))
    assert found == counts if not counts else counts <= found
