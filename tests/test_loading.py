"""The first page comes at once: "Loading the model" on the port while `assistant serve`
loads, and the chat opens by itself when it is ready (Debian's Chromium)."""

import os
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser import CHROMIUM, browser_page, free_port

from assistant.app.loading import loading_page
from assistant.config import Config


def test_the_loading_page_answers_503_then_frees_the_port():
    config = Config(host="127.0.0.1", port=free_port())
    url = f"http://127.0.0.1:{config.port}/"
    with loading_page(config):
        with pytest.raises(urllib.error.HTTPError) as answered:
            urllib.request.urlopen(url, timeout=5)
        assert answered.value.code == 503 and answered.value.headers["Retry-After"] == "2"
        assert b"Loading the model" in answered.value.read()
    with pytest.raises(urllib.error.URLError):  # closed: the chat can take the port
        urllib.request.urlopen(url, timeout=5)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
def test_serve_shows_loading_at_once_then_the_chat_by_itself(seeds_index, seeds_config):
    port = free_port()
    folders = ["--articles", str(seeds_config.articles[0]), "--index", str(seeds_config.index)]
    command = [sys.executable, "-m", "assistant", "serve", "--port", str(port), *folders]
    server = subprocess.Popen(command, env={**os.environ}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    try:
        with browser_page() as page:
            for _ in range(200):  # the page is there within seconds (imports, not the model)
                try:
                    page.goto(f"http://127.0.0.1:{port}/")
                    break
                except Exception:  # not listening yet
                    page.wait_for_timeout(50)
            assert "Loading the model" in page.inner_text("body")
            # No reload by hand: the page opens the chat when it answers.
            page.locator("#chat").wait_for(timeout=180_000)
            page.get_by_text("2 articles, Nov 2024").first.wait_for(timeout=30_000)
    finally:
        server.terminate()
        server.wait(timeout=30)
