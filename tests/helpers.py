"""Build real MkDocs sites for tests: the project itself, or a mini-site from fixtures."""

from __future__ import annotations

import html
import http.server
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import yaml

from brickbybrick.plugin.pdf import QUIET_FLAGS

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
# Every host but the local one fails to resolve: a third-party request fails loudly.
OFFLINE_GUARD = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
CHROMIUM_ARGS = [*QUIET_FLAGS, OFFLINE_GUARD]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MKDOCS = [sys.executable, "-m", "mkdocs"]


FIXTURE_CONFIG = """\
site_name: Fixture guide
site_url: !ENV [SITE_URL, "http://127.0.0.1:8000/"]
theme:
  name: material
  font: false
  features: [navigation.instant]
plugins:
  - search
  - brickbybrick:
      quick_exit: {enabled: true, url: "https://www.bbc.co.uk/weather"}
      privacy_notice: Your answers stay here. See [help](help.md).
  - macros:
      modules: [brickbybrick]
      on_error_fail: true
      on_undefined: strict
markdown_extensions: [attr_list, toc]
validation:
  nav: {omitted_files: warn, not_found: warn, absolute_links: warn}
  links: {not_found: warn, anchors: warn, absolute_links: warn, unrecognized_links: warn}
"""


def mini_project(
    target: Path,
    *,
    pages: Mapping[str, str],
    quiz_dirs: tuple[Path, ...] = (FIXTURES / "quizzes",),
    nav: list[object] | None = None,
    help_file: Path | None = FIXTURES / "help.yml",
    config: str = FIXTURE_CONFIG,
) -> Path:
    """Lay out a guide as a new user would: mkdocs.yml, docs/, quizzes/ and help.yml, nothing else."""
    (target / "docs").mkdir(parents=True, exist_ok=True)
    (target / "quizzes").mkdir()
    for directory in quiz_dirs:
        for source in directory.iterdir():
            if source.suffix in {".yml", ".py"}:
                shutil.copy(source, target / "quizzes" / source.name)
    if help_file is not None:
        shutil.copy(help_file, target / "help.yml")
    for name, text in pages.items():
        (target / "docs" / name).write_text(text, encoding="utf-8")
    if nav is not None:
        config += "\n" + yaml.safe_dump({"nav": nav}, sort_keys=False)
    (target / "mkdocs.yml").write_text(config, encoding="utf-8")
    return target


@dataclass(frozen=True)
class BuiltSite:
    """A site built for tests: where it is served, where its files are, what the build printed."""

    url: str
    site_dir: Path
    build_log: str


def free_port() -> socket.socket:
    """A listening socket on an ephemeral port of 127.0.0.1 (kept open until served)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def build(project: Path, site_dir: Path, site_url: str) -> subprocess.CompletedProcess[str]:
    """Run ``mkdocs build --strict`` as a person would, returning its output."""
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url},
        cwd=project,
    )


ENCODINGS = ((".br", "br"), (".gz", "gzip"))  # the server's preference, best first


def precompressed(handler: http.server.SimpleHTTPRequestHandler) -> tuple[Path, Path, str] | None:
    """(file, its precompressed copy, Content-Encoding) a host would send for this request, if any."""
    path = Path(handler.translate_path(handler.path))
    if not path.is_file():
        return None
    accepted = {part.split(";")[0].strip() for part in handler.headers.get("Accept-Encoding", "").split(",")}
    for suffix, encoding in ENCODINGS:
        packed = path.with_name(path.name + suffix)
        if encoding in accepted and packed.is_file():
            return path, packed, encoding
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 - replaces the base class's own mapping
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    site_rules: ClassVar[list[tuple[str, dict[str, str]]]] = []

    def send_head(self):  # type: ignore[no-untyped-def]
        """Serve ``file.br`` or ``file.gz`` for ``file`` with its Content-Encoding when the browser
        accepts it, as a host serving precompressed files does (nginx gzip_static and
        brotli_static, Caddy precompressed): Brotli first, where the build wrote a copy."""
        found = precompressed(self)
        if found is None:
            return super().send_head()
        path, packed, encoding = found
        body = packed.open("rb")
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", encoding)
        self.send_header("Content-Length", str(packed.stat().st_size))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return body

    def end_headers(self) -> None:
        # Send what the site's _headers file asks for, as a host that honours it would.
        for name, value in headers_for(self.site_rules, self.path).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def site_headers(site_dir: Path) -> list[tuple[str, dict[str, str]]]:
    """The rules of ``site_dir/_headers``: (path pattern, headers), in order (none without a file)."""
    path = site_dir / "_headers"
    if not path.exists():
        return []
    rules: list[tuple[str, dict[str, str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            rules.append((line.strip(), {}))
        else:
            name, _, value = line.strip().partition(": ")
            rules[-1][1][name] = value
    return rules


def headers_for(rules: list[tuple[str, dict[str, str]]], url_path: str) -> dict[str, str]:
    """The headers a Netlify-style host sends for ``url_path``: every matching rule, in order."""
    found: dict[str, str] = {}
    for pattern, headers in rules:
        regex = "^" + ".*".join(re.escape(part) for part in pattern.split("*")) + "$"
        if re.match(regex, url_path.split("?")[0]):
            found.update(headers)
    return found


@contextmanager
def serve(site_dir: Path, sock: socket.socket, *, honour_headers: bool = True) -> Iterator[str]:
    """Serve ``site_dir`` on the already-bound socket; yields the origin URL with a slash.

    With ``honour_headers`` the server sends what ``_headers`` asks for, as Netlify or Cloudflare
    Pages would; without, it is a host that ignores the file.
    """

    rules = site_headers(site_dir) if honour_headers else []

    class Handler(_QuietHandler):
        site_rules = rules

    def handler(*args: object, **kwargs: object) -> _QuietHandler:
        return Handler(*args, directory=str(site_dir), **kwargs)  # type: ignore[arg-type]

    server = http.server.ThreadingHTTPServer(sock.getsockname(), handler, bind_and_activate=False)
    server.socket.close()
    server.socket = sock
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    finally:
        server.shutdown()
        server.server_close()


RUNTIME_TAG = re.compile(r'<div class="bb-runtime"[^>]*>')


def runtime_attributes(page_html: str) -> dict[str, str] | None:
    """The ``data-*`` attributes of a page's scorer runtime tag, unescaped; None without one."""
    tag = RUNTIME_TAG.search(page_html)
    if tag is None:
        return None
    return {name: html.unescape(value) for name, value in re.findall(r'(data-[\w-]+)="([^"]*)"', tag[0])}
