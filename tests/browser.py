"""Helpers to serve the real app on 127.0.0.1 and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import contextlib
import socket

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(page_blocks, **settings):
    """Serve a Gradio Blocks as `assistant serve` does, on a free 127.0.0.1 port; yield its URL.

    settings: Config fields such as auth="user:pw" or max_upload_bytes=1000.
    """
    from assistant.app.server import launch
    from assistant.config import Config

    config = Config(host="127.0.0.1", port=free_port(), **settings)
    launch(page_blocks, config, block=False)
    try:
        yield f"http://127.0.0.1:{config.port}/"
    finally:
        page_blocks.close()


@contextlib.contextmanager
def chromium():
    """One headless Debian Chromium (Playwright's sync API), for a module's tests to share.

    Only for modules whose every test drives the browser: while it runs, this thread has
    Playwright's event loop, so asyncio.run() in the same thread would fail.
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def browser_page(width: int = 1400, height: int = 1000, browser=None):
    """A Playwright page in headless Debian Chromium: in a fresh context (its own storage,
    cookies and cache, as a new browser has) of `browser` if given, else of its own browser."""
    if browser is None:
        with chromium() as own, browser_page(width, height, own) as page:
            yield page
        return
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        yield context.new_page()
    finally:
        context.close()


def ask(page, question: str, expect: str, timeout_ms: int = 60_000) -> None:
    """Type a question, press Ask, wait until the chat shows `expect` (visibly: an earlier
    answer's folded whole article may hold it too)."""
    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    page.get_by_text(expect).filter(visible=True).first.wait_for(timeout=timeout_ms)
