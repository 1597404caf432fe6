"""The chat in a real browser as people use it daily: accessible (axe-core, light and dark,
desktop and phone), answer-first on a phone, the conversation kept across a reload."""

from pathlib import Path

import pytest
from browser import CHROMIUM, ask, browser_page, chromium, served

from assistant.app.chat import ChatApp

AXE = Path(__file__).parent.parent / ".venv" / "axe-core" / "axe.min.js"
QUESTION = "How many North Korean soldiers are reported near Kursk?"
DESKTOP, PHONE = (1366, 900), (390, 844)

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")


@pytest.fixture(scope="module")
def url(assistant):
    with served(ChatApp(assistant).build()) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    """One Chromium for the module; each test gets a fresh context (storage, cookies) in it."""
    with chromium() as browser:
        yield browser


def serious_violations(page) -> list[str]:
    """axe-core's WCAG 2 A/AA violations of impact serious or critical, one line each."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})).violations"
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.skipif(not AXE.is_file(), reason="scripts/setup test fetches axe-core")
@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_accessibility_violations(url, browser, theme, size):
    with browser_page(*size, browser=browser) as page:
        page.emulate_media(color_scheme=theme)
        page.goto(f"{url}?__theme={theme}")
        page.get_by_text("2 articles, Nov 2024").first.wait_for(timeout=30_000)
        # The page's script has run (it names Gradio's example buttons a group: look.PAGE_JS).
        page.locator("#chat .examples[role='group']").wait_for(timeout=30_000)
        assert serious_violations(page) == []  # the welcome page
        ask(page, QUESTION, "über 10.000 nordkoreanische Kämpfer")
        assert serious_violations(page) == []  # an answer with its highlighted sources


def test_a_phone_shows_the_newest_answer_first(url, browser):
    with browser_page(*PHONE, browser=browser) as page:
        page.goto(url)
        ask(page, QUESTION, "über 10.000 nordkoreanische Kämpfer")
        ask(page, "Wie viele Haubitzen hat Nordkorea nach Russland geliefert?", "knapp 50")
        newest = page.locator("#chat .message-row:has(.sources)").last
        lead = newest.locator(".message-content p").first
        for _ in range(100):  # the answer's cards, then the scroll (slower on a busy machine)
            box = lead.bounding_box()
            said = lead.inner_text()
            if "Haubitzen" in said and 0 <= box["y"] and box["y"] + box["height"] <= PHONE[1]:
                break
            page.wait_for_timeout(100)
        assert "knapp 50 schwere Haubitzen" in said
        assert 0 <= box["y"] and box["y"] + box["height"] <= PHONE[1]  # visible, no scrolling


def test_the_conversation_survives_a_reload_and_clearing_clears_it(url, browser):
    with browser_page(*DESKTOP, browser=browser) as page:
        page.goto(url)
        ask(page, QUESTION, "über 10.000 nordkoreanische Kämpfer")
        page.wait_for_timeout(1000)  # the browser stores it
        page.reload()
        row = page.locator("#chat .message-row:has(.sources)")
        row.first.wait_for(timeout=30_000)
        assert "over 10,000 North Korean" in row.first.inner_text()
        assert row.first.locator("mark").count() >= 1  # its sources came back with it
        page.locator("#clear").click()
        page.locator("#chat .message-row").first.wait_for(state="detached", timeout=30_000)
        page.wait_for_timeout(1000)  # the browser stores the cleared conversation
        page.reload()
        page.locator("#chat").get_by_text("2 articles, Nov 2024").wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        assert page.locator("#chat .message-row").count() == 0
