"""A page on the chat's port while the model loads: the browser sees "Loading the model" at
once and opens the chat by itself when it answers (a cold start takes 10–40 s)."""

from __future__ import annotations

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from assistant.config import Config

RELOAD_SECONDS = 2
PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<noscript><meta http-equiv="refresh" content="{RELOAD_SECONDS}"></noscript>
<title>News article assistant: loading</title>
<style>body {{ font-family: sans-serif; margin: 3em auto; max-width: 36em; padding: 0 1em;
color: #1f2937; background: #fff; }} @media (prefers-color-scheme: dark) {{ body {{
color: #f3f4f6; background: #111827; }} }}</style></head>
<body><main><h1>News article assistant</h1>
<p role="status">Loading the model and the articles… This page opens the chat by itself
when it is ready (usually within a minute).</p></main>
<script>
// Ask until the chat answers (the port is briefly closed while it takes over), then open it.
const wait = () => fetch(location.href, {{cache: "no-store"}})
  .then((r) => r.status === 200 ? location.reload() : setTimeout(wait, {RELOAD_SECONDS * 1000}))
  .catch(() => setTimeout(wait, {RELOAD_SECONDS * 1000}));
setTimeout(wait, {RELOAD_SECONDS * 1000});
</script></body></html>
""".encode()


class _Loading(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the http.server name)
        # 503 with Retry-After: API clients wait and retry; browsers show the page.
        self.send_response(503)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Retry-After", str(RELOAD_SECONDS))
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    do_HEAD = do_GET

    def log_message(self, *args) -> None:  # quiet: the chat's own log is what matters
        pass


@contextlib.contextmanager
def loading_page(config: Config):
    """Serve the loading page on config's host and port until the block ends; then the port
    is free for the chat. Without the port (taken), the block runs without the page."""
    try:
        server = ThreadingHTTPServer((config.host, config.port), _Loading)
    except OSError:
        yield  # the chat's own launch will report the port
        return
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="loading-page", daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
