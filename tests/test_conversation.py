"""Multi-turn chats: follow-up questions are searched with the earlier turn."""

from assistant.app.chat import ChatApp
from assistant.qa import evidence
from assistant.qa.conversation import discount_earlier
from assistant.qa.question import analyse, context_for, is_follow_up
from assistant.qa.retrieval import retrieve


def test_follow_up_detection():
    assert is_follow_up("And how many howitzers?")
    assert is_follow_up("Und wie weit reichen die?")
    assert is_follow_up("Was ist mit den Raketenwerfern?")
    assert is_follow_up("Was sagte Barros darüber?") and is_follow_up("Who trained him?")
    assert not is_follow_up("How many North Korean soldiers are reported near Kursk?")
    assert not is_follow_up("Welche Reichweite haben die Koksan-Haubitzen?")
    earlier = ["How many North Korean soldiers are near Kursk?", "And how many howitzers?"]
    assert context_for("Und wie weit reichen die?", earlier) == " ".join(earlier)
    assert context_for("What did Barros say?", earlier) is None
    long = [earlier[0], "And how many howitzers?", "Und wie weit?", "Und wo?", "Und wann?"]
    assert context_for("Und wer?", long) == f"{earlier[0]} Und wo? Und wann?"


def reply(history) -> str:
    return history[-1]["content"]


def test_follow_ups_in_the_chat(assistant):
    chat = ChatApp(assistant)
    history, _ = chat.respond("How many North Korean soldiers are reported near Kursk?", [])
    assert "10.000" in reply(history)
    assert "Follow-up" not in reply(history)
    history, _ = chat.respond("And how many howitzers?", history)
    assert reply(history).startswith(
        "*Follow-up, searched together with: How many North Korean soldiers are reported near "
        "Kursk?*"
    )
    assert answered(reply(history)) and "50 schwere Haubitzen" in reply(history)
    assert "12.000 Mann" not in reply(history)  # the earlier turn's answer is not repeated
    history, _ = chat.respond("Wie viele Haubitzen hat Nordkorea geliefert?", [])
    history, _ = chat.respond("Und wie weit reichen die?", history)
    assert answered(reply(history)) and "50 Kilometern" in reply(history)


def test_german_follow_up(assistant):
    chat = ChatApp(assistant)
    history, _ = chat.respond("Wer analysierte die Frontlage für das ISW?", [])
    assert "George Barros" in reply(history) or "Institut für Kriegsstudien" in reply(history)
    history, _ = chat.respond("Und was sagte er über die Verluste bei Pokrowsk?", history)
    assert answered(reply(history)) and "fünf gepanzerten Divisionen" in reply(history)


def answered(text: str) -> bool:
    return "**The articles do not say.**" not in text


def test_a_follow_up_the_articles_do_not_answer(assistant):
    earlier = ["Where did the Ukrainian troops have to retreat?"]
    assert not assistant.ask(earlier[0]).abstained
    answer = assistant.ask("And how many civilians live there?", earlier=earlier)
    assert answer.abstained, answer.answer
    answer = assistant.ask("Und wie viele Zivilisten leben dort?", earlier=earlier)
    assert answer.abstained, answer.answer


def test_evidence_for_the_earlier_turn_only_loses_its_lead(assistant, seeds_index, model):
    """After "how many soldiers", the soldiers' sentence answers "how many howitzers" less well
    than the howitzers' sentence, and no better than it answers the earlier turn alone."""
    earlier = "How many North Korean soldiers are reported near Kursk?"
    follow_up = "And how many howitzers?"
    query = analyse(follow_up, model, [earlier])
    assert query.search.text == f"{earlier} {follow_up}" and query.context == earlier
    hits = retrieve(seeds_index, query, 50, assistant.config.lexical_weight)
    ranked = evidence.select(seeds_index, query, hits)
    rescored = discount_earlier(seeds_index, ranked, query)

    def score(evidences, words):
        text = seeds_index.articles
        return max(e.score for e in evidences if words in text[e.article_id].text[e.start : e.end])

    soldiers, howitzers = "über 10.000 nordkoreanische", "50 schwere Haubitzen"
    assert score(rescored, soldiers) < score(ranked, soldiers)
    assert score(rescored, howitzers) == score(ranked, howitzers)
    assert score(rescored, howitzers) > score(rescored, soldiers)
    assert [e.score for e in rescored] == sorted((e.score for e in rescored), reverse=True)


def test_a_new_topic_is_not_mixed_with_the_last(assistant):
    chat = ChatApp(assistant)
    history, _ = chat.respond("How many North Korean soldiers are reported near Kursk?", [])
    history, _ = chat.respond("What is the capital of France?", history)
    assert reply(history).startswith("**The articles do not say.**")


def test_refused_questions_are_not_leaned_on(assistant):
    refused = "Kursk " * 500  # over the question limit: the chat showed an error for it
    answer = assistant.ask("And how many howitzers?", earlier=[refused])
    assert answer.follow_up_of is None
    earlier = ["How many North Korean soldiers are reported near Kursk?", refused, "   "]
    answer = assistant.ask("And how many howitzers?", earlier=earlier)
    assert answer.follow_up_of == earlier[0]
