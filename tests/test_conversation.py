"""Multi-turn chats: follow-up questions are searched with the earlier turn."""

from assistant.conversation import context_for, is_follow_up
from assistant.ui import ChatApp


def test_follow_up_detection():
    assert is_follow_up("And how many howitzers?")
    assert is_follow_up("Und wie weit reichen die?")
    assert is_follow_up("Was ist mit den Raketenwerfern?")
    assert not is_follow_up("How many North Korean soldiers are reported near Kursk?")
    assert not is_follow_up("Welche Reichweite haben die Koksan-Haubitzen?")
    earlier = ["How many North Korean soldiers are near Kursk?", "And how many howitzers?"]
    assert context_for("Und wie weit reichen die?", earlier) == " ".join(earlier)
    assert context_for("What did Barros say?", earlier) is None


def reply(history) -> str:
    return history[-1]["content"]


def test_follow_ups_in_the_chat(assistant):
    chat = ChatApp(assistant)
    history, _, _ = chat.respond("How many North Korean soldiers are reported near Kursk?", [])
    assert "10.000" in reply(history)
    history, _, _ = chat.respond("And how many howitzers?", history)
    assert "Haubitzen" in reply(history) and "50" in reply(history)
    history, sources, _ = chat.respond("Und wie weit reichen die?", history)
    assert "50 Kilometern" in reply(history)


def test_german_follow_up(assistant):
    chat = ChatApp(assistant)
    history, _, _ = chat.respond("Wer analysierte die Frontlage für das ISW?", [])
    assert "George Barros" in reply(history) or "Institut für Kriegsstudien" in reply(history)
    history, _, _ = chat.respond("Und was sagte er über die Verluste bei Pokrowsk?", history)
    assert "Pokrowsk" in reply(history)


def test_a_new_topic_is_not_mixed_with_the_last(assistant):
    chat = ChatApp(assistant)
    history, _, _ = chat.respond("How many North Korean soldiers are reported near Kursk?", [])
    history, _, _ = chat.respond("What is the capital of France?", history)
    assert reply(history).startswith("**The articles do not say.**")
