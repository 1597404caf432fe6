"""A small OpenAI-compatible chat server on 127.0.0.1 that replays scripted completions."""

from __future__ import annotations

import contextlib
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Script:
    """What the next completions are: streamed text, or a failure mode."""

    text: str = ""
    mode: str = "stream"  # stream | stall (send nothing) | garbage | http500 | no-done
    pieces: int = 8  # the text is sent in this many server-sent events


@dataclass
class FakeLLM:
    url: str  # base URL, ending in /v1
    script: Script = field(default_factory=Script)
    requests: list[dict] = field(default_factory=list)  # JSON bodies received, in order
    headers: list[dict] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)


def _handler(fake: FakeLLM):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet test output
            pass

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(body)
            fake.headers.append(dict(self.headers))
            if self.path != "/v1/chat/completions":
                self._send(404, "text/plain", b"not found")
                return
            script = fake.script
            if script.mode == "stall":
                fake.stop.wait(30)  # longer than the client's timeout; ends at teardown
                return
            if script.mode == "http500":
                self._send(500, "application/json", b'{"error": "model crashed"}')
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            if script.mode == "garbage":
                self._event("<html>this is not a completion</html>", raw=True)
                return
            for piece in _split(script.text, script.pieces):
                chunk = {"choices": [{"index": 0, "delta": {"content": piece}}]}
                self._event(json.dumps(chunk, ensure_ascii=False))
            if script.mode != "no-done":
                self._event("[DONE]")

        def _event(self, data: str, raw: bool = False) -> None:
            line = data if raw else f"data: {data}"
            self.wfile.write(f"{line}\n\n".encode())
            self.wfile.flush()

        def _send(self, status: int, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler


def _split(text: str, pieces: int) -> list[str]:
    size = max(1, -(-len(text) // max(pieces, 1)))
    return [text[i : i + size] for i in range(0, len(text), size)]


@contextlib.contextmanager
def fake_llm():
    """Serve a FakeLLM on a free 127.0.0.1 port in a thread; stop it afterwards."""
    fake = FakeLLM(url="")
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    server.daemon_threads = True
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    thread = threading.Thread(target=server.serve_forever, name="fake-llm", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
