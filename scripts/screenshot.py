"""Screenshots of the chat for docs/screenshots/: desktop light, desktop dark, phone.

    .venv/bin/python scripts/screenshot.py     # after scripts/test (needs Debian's chromium)

Serves the real app on the seeds (index built into a temporary folder), asks the Kursk
question in English and the howitzer question in German, and photographs the page.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import ask, browser_page, served  # noqa: E402

from assistant.app.chat import ChatApp  # noqa: E402
from assistant.config import Config  # noqa: E402
from assistant.indexing.embedding import load_model  # noqa: E402
from assistant.qa.pipeline import Assistant, ensure_index  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SHOTS = [("desktop-light", (1366, 900), "light"), ("desktop-dark", (1366, 900), "dark"),
         ("phone", (390, 844), "light")]  # fmt: skip


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(ROOT / "seeds", Path(tmp) / "articles")
        config = Config(articles=[Path(tmp) / "articles"], index=Path(tmp) / "index")
        model = load_model()
        app = ChatApp(Assistant(ensure_index(config, model), model, config))
        with served(app.build()) as url:
            for name, size, theme in SHOTS:
                with browser_page(*size) as page:
                    page.emulate_media(color_scheme=theme)
                    page.goto(f"{url}?__theme={theme}")
                    ask(page, "How many North Korean soldiers are reported near Kursk?",
                        "über 10.000 nordkoreanische Kämpfer")  # fmt: skip
                    ask(page, "Wie viele Haubitzen hat Nordkorea nach Russland geliefert?",
                        "knapp 50 schwere Haubitzen")  # fmt: skip
                    page.wait_for_timeout(800)  # the scroll to the newest question
                    page.screenshot(path=str(OUT / f"{name}.png"))
                    print(OUT / f"{name}.png")


if __name__ == "__main__":
    main()
