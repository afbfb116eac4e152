"""A local HTTP server that records every request, to prove that something never reached the network."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Listener:
    def __init__(self, url: str) -> None:
        self.url = url
        self.hits: list[str] = []


@contextmanager
def listening() -> Iterator[Listener]:
    """A server on a free loopback port; it answers every request with an empty SPARQL result."""
    listener = Listener("")

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            listener.hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/sparql-results+json")
            self.end_headers()
            self.wfile.write(b'{"head":{"vars":[]},"results":{"bindings":[{}]}}')

        do_POST = do_GET

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    listener.url = f"http://127.0.0.1:{server.server_address[1]}/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
