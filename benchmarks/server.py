"""The test server (``tests/helpers.py``: ``serve``), completed where it differs from a real host.

``helpers.serve`` answers like a host serving precompressed files: ``file.br`` or ``file.gz``
with its ``Content-Encoding`` when the browser accepts it, and what ``_headers`` asks for. Two
things no static host does, which would change the figures, are completed here for the bench
(nginx ``gzip_static`` and Caddy ``precompressed`` both behave as below):

* its precompressed branch sends no ``Last-Modified`` and ignores ``If-Modified-Since``: without a
  validator Chromium can neither reuse nor revalidate the response, so every warm visit and
  every second request of a file would download it again. Here that branch gets what the
  server's plain branch has: ``Last-Modified`` of the ``.br``/``.gz`` file, and ``304 Not Modified``
  for an ``If-Modified-Since`` that is not older;
* a page's URL (``/pillars/``) is a folder, so its ``index.html.gz`` is never sent: the HTML
  went uncompressed. Here a folder URL is answered from its ``index.html`` (``.gz`` included),
  while ``_headers`` rules still match the URL as requested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from pathlib import Path
from socket import socket
from typing import Any
from unittest import mock

from tests import helpers

HANDLER = helpers._QuietHandler  # the class helpers.serve subclasses for each site
INDEX = "index.html"


def _packed(handler: Any) -> Path | None:
    """The ``.br`` or ``.gz`` file the test server sends for this request, if it sends one."""
    found = helpers.precompressed(handler)
    return found[1] if found is not None else None


def _not_modified(handler: Any, packed: Path) -> bool:
    since = handler.headers.get("If-Modified-Since")
    if not since:
        return False
    try:
        return parsedate_to_datetime(since).timestamp() >= int(packed.stat().st_mtime)
    except (TypeError, ValueError):
        return False


def _index_path(handler: Any) -> str | None:
    """``/page/index.html`` for a folder URL ``/page/`` (query kept) when that file exists."""
    url, mark, query = str(handler.path).partition("?")
    if not url.endswith("/") or not (Path(handler.translate_path(url)) / INDEX).is_file():
        return None
    return url + INDEX + mark + query


@contextmanager
def serve(site_dir: Path, sock: socket) -> Iterator[str]:
    """``helpers.serve`` with validators on precompressed responses and compressed pages."""
    send_head: Callable[[Any], Any] = HANDLER.send_head
    end_headers: Callable[[Any], None] = HANDLER.end_headers

    def complete_send_head(self: Any) -> Any:
        requested = self.path
        index = _index_path(self)
        if index is not None:
            self.path = index
        self.bench_requested = requested  # what _headers rules match
        try:
            packed = _packed(self)
            if packed is not None and _not_modified(self, packed):
                self.send_response(304)
                self.send_header("Vary", "Accept-Encoding")
                self.end_headers()
                return None
            return send_head(self)
        finally:
            self.path = requested

    def complete_end_headers(self: Any) -> None:
        sent = b"".join(getattr(self, "_headers_buffer", []))
        packed = _packed(self) if b"Content-Encoding: " in sent or b" 304 " in sent[:20] else None
        if packed is not None and b"Last-Modified:" not in sent:
            self.send_header("Last-Modified", self.date_time_string(int(packed.stat().st_mtime)))
        served, self.path = self.path, getattr(self, "bench_requested", self.path)
        try:
            end_headers(self)
        finally:
            self.path = served

    with (
        mock.patch.object(HANDLER, "send_head", complete_send_head),
        mock.patch.object(HANDLER, "end_headers", complete_end_headers),
        helpers.serve(site_dir, sock) as origin,
    ):
        yield origin
