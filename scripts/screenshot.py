"""Take docs/screenshot.png: the chat answering the Kursk question, in headless Chromium.

Run: .venv/bin/python scripts/screenshot.py   (uses index/, building it from seeds/ if needed)
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from browser import ask, browser_page, served  # noqa: E402

from assistant.app.server import create_app  # noqa: E402
from assistant.config import from_env  # noqa: E402

QUESTION = "How many North Korean soldiers are reported near Kursk?"


def main() -> None:
    _, page_blocks = create_app(from_env())
    with served(page_blocks) as url, browser_page(1400, 1050) as page:
        page.goto(url)
        ask(page, QUESTION, "über 10.000 nordkoreanische Kämpfer")
        page.wait_for_timeout(500)
        out = ROOT / "docs" / "screenshot.png"
        out.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(out), full_page=True)
        print(f"wrote {out}")


if __name__ == "__main__":
    main()
