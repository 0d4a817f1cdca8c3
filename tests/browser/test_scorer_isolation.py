"""The scorer in Chromium (issue 20): a quiz extension has no network, and the bytes that run are
the bytes checked.

The site is served by a server of this module that logs every request, sends ``no-store`` (so
the browser's cache hides no second request from the log) and, when asked, answers a second
request for any file of the scorer with other bytes, as a host changing files between the
worker's check and Pyodide's import would.
"""

from __future__ import annotations

import contextlib
import html
import http.server
import json
import re
import threading
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import pytest
from playwright.sync_api import BrowserType, Page, expect
from quizpage import READY_TIMEOUT_MS, QuizForm

from helpers import FIXTURE_CONFIG, FIXTURES, build, free_port, mini_project

# Every way out of the scorer a quiz extension's Python could try. Run once, when the extension
# is first loaded (after the scorer is ready); each outcome becomes a note of the result.
# Probes that give a promise record how it settled in LATE, shown by a later scoring.
HOSTILE_EXTENSION = r"""
import asyncio
import importlib

PROBES = {}
LATE = {}


async def settle(name, promise):
    try:
        LATE[name] = f"resolved: {await promise!r}"
    except BaseException as error:
        LATE[name] = f"rejected: {type(error).__name__}: {error}"


def attempt(name, action):
    try:
        outcome = action()
    except BaseException as error:
        PROBES[name] = f"refused: {type(error).__name__}: {error}"
        return
    PROBES[name] = f"ran: {outcome!r}"
    if hasattr(outcome, "then"):
        asyncio.ensure_future(settle(name, outcome))


def js_fetch():
    import js
    return js.fetch("/probe/js-fetch")


def xhr():
    request = __import__("js").XMLHttpRequest.new()
    request.open("GET", "/probe/xhr", False)
    request.send()
    return request.status


def pyfetch():
    from pyodide.http import pyfetch
    return pyfetch("/probe/pyfetch")


def open_url():
    from pyodide.http import open_url
    return open_url("/probe/open-url")


def run_js():
    from pyodide.code import run_js
    return run_js("fetch('/probe/run-js')")


def socket_connect():
    import socket
    connection = socket.socket()
    connection.connect((b"127.0.0.1", PORT))  # a bytes host: no idna codec in the scorer
    return connection.send(b"GET /probe/socket HTTP/1.0\r\n\r\n")


attempt("js.fetch", js_fetch)
attempt("__import__('js').fetch", lambda: __import__("js").fetch("/probe/dunder-import"))
attempt("importlib js.fetch", lambda: importlib.import_module("js").fetch("/probe/importlib"))
attempt("js.XMLHttpRequest", xhr)
attempt("pyodide.http.pyfetch", pyfetch)
attempt("pyodide.http.open_url", open_url)
attempt("pyodide.code.run_js", run_js)
attempt("js.eval", lambda: __import__("js").eval("fetch('/probe/eval')"))
attempt("js.Function", lambda: __import__("js").Function.new("return fetch('/probe/function')")())
attempt("js.setTimeout string", lambda: __import__("js").setTimeout("fetch('/probe/timeout')", 0))
attempt("js.WebSocket", lambda: __import__("js").WebSocket.new("ws://127.0.0.1:PORT/probe/ws"))
attempt("js.EventSource", lambda: __import__("js").EventSource.new("/probe/event-source"))
attempt("js.WebTransport", lambda: __import__("js").WebTransport.new("https://127.0.0.1:PORT/probe"))
attempt("js.importScripts", lambda: __import__("js").importScripts("/probe/import-scripts.js"))
attempt("js.Worker", lambda: __import__("js").Worker.new("/probe/worker.js"))
attempt("js.SharedWorker", lambda: __import__("js").SharedWorker.new("/probe/shared-worker.js"))
attempt("navigator.sendBeacon", lambda: __import__("js").navigator.sendBeacon("/probe/beacon", "x"))
attempt("js.caches", lambda: __import__("js").caches.open("probe"))
attempt("js.indexedDB", lambda: __import__("js").indexedDB.open("probe"))
attempt("navigator.storageBuckets", lambda: __import__("js").navigator.storageBuckets.open("probe"))
attempt("js.FontFace", lambda: __import__("js").FontFace.new("probe", "url(/probe/font)").load())
attempt("js.BroadcastChannel", lambda: __import__("js").BroadcastChannel.new("probe"))
attempt("prototype fetch", lambda: __import__("js").WorkerGlobalScope.prototype.fetch("/probe/prototype"))
attempt("js.postMessage", lambda: __import__("js").postMessage({"type": "scored", "id": 1, "ok": True}))
attempt("pyodide_js.loadPackage", lambda: __import__("pyodide_js").loadPackage("/probe/package.whl"))
attempt("socket", socket_connect)


def interpret(result, answers):
    notes = {**PROBES, **{f"{name} (settled)": outcome for name, outcome in LATE.items()}}
    return [{"heading": name, "text": outcome} for name, outcome in notes.items()]
"""

PROBES = len(re.findall(r"^attempt\(", HOSTILE_EXTENSION, re.MULTILINE))
# Probes that return without an error, yet send nothing (the server's log shows it): Pyodide's
# loadPackage does not reject on failure (it logs), and a string given to setTimeout is refused
# by the page's policy when it would run, not when it is given.
RETURN_WITHOUT_A_REQUEST = {"pyodide_js.loadPackage", "js.setTimeout string"}

PAGES = {
    "index.md": "# Home\n",
    "help.md": "# Help\n",
    "isolation.md": '# Isolation\n\n{{ quiz("ext-demo") }}\n',
}
# No search plugin: the theme's search worker would load its index once the scorer is ready.
CONFIG = FIXTURE_CONFIG.replace("  - search\n", "")


@dataclass
class Log:
    """What the server saw and how it answers: every request path, and which files it swaps."""

    paths: list[str] = field(default_factory=list)
    swap: bool = False
    cache: bool = False  # let the browser keep files (not pages) for an hour

    def since(self, start: int) -> list[str]:
        return self.paths[start:]


def is_scorer_file(path: str) -> bool:
    """Pyodide's files, the engine's and the scorer worker's own module."""
    return path.startswith(("/assets/pyodide/", "/assets/engine/")) or path.endswith("/scorer-worker.js")


def swapped(path: str, body: bytes) -> bytes:
    """Other bytes for a file: code that says so when it runs, or a changed binary."""
    name = path.rsplit("/", 1)[-1]
    if path.endswith((".mjs", ".js")):
        return f'fetch("/probe/swapped-ran?file={name}").catch(() => {{}});\n'.encode() + body
    if path.endswith(".py"):
        return f'import js\njs.fetch("/probe/swapped-ran?file={name}")\n'.encode() + body
    middle = len(body) // 2
    return body[:middle] + bytes([body[middle] ^ 0xFF]) + body[middle + 1 :]


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {  # type: ignore[misc]
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }
    log: ClassVar[Log]
    lock: ClassVar[threading.Lock] = threading.Lock()

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        with self.lock:
            again = path in self.log.paths
            self.log.paths.append(self.path)
        if not (self.log.swap and again and is_scorer_file(path)):
            # A download the browser gave up (a refused file ends the others) is no error here.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                super().do_GET()
            return
        body = swapped(path, Path(self.translate_path(path)).read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def end_headers(self) -> None:
        keep = self.log.cache and not self.path.endswith("/")
        self.send_header("Cache-Control", "max-age=3600" if keep else "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@dataclass(frozen=True)
class Site:
    url: str
    log: Log


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A page with one extension quiz, built once and served by the logging server."""
    root = tmp_path_factory.mktemp("isolation")
    project = mini_project(root / "project", pages=PAGES, quiz_dirs=(FIXTURES / "extension",), config=CONFIG)
    sock = free_port()
    origin = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    result = build(project, root / "site", origin)
    assert result.returncode == 0, result.stderr
    log = Log()
    handler = type("SiteHandler", (Handler,), {"log": log})

    def make(*args: object, **kwargs: object) -> Handler:
        return handler(*args, directory=str(root / "site"), **kwargs)  # type: ignore[no-any-return]

    server = http.server.ThreadingHTTPServer(sock.getsockname(), make, bind_and_activate=False)  # type: ignore[arg-type]
    server.socket.close()
    server.socket = sock
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield Site(origin, log)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def log(site: Site) -> Iterator[Log]:
    site.log.paths.clear()
    yield site.log
    site.log.swap = site.log.cache = False


SPEC_ATTRIBUTE = re.compile(r'data-quiz-spec="([^"]*)"')


def with_extension(page_html: str, source: str) -> str:
    """The page with its quiz's extension replaced by ``source`` (past the build's checks)."""

    def replace(match: re.Match[str]) -> str:
        spec = json.loads(html.unescape(match[1]))
        spec["extension"]["source"] = source
        return f'data-quiz-spec="{html.escape(json.dumps(spec), quote=True)}"'

    changed, count = SPEC_ATTRIBUTE.subn(replace, page_html)
    assert count == 1
    return changed


def open_with_extension(page: Page, site: Site, source: str) -> QuizForm:
    """The isolation page with its quiz's extension replaced by ``source``, its scorer ready."""

    def hostile(route):  # type: ignore[no-untyped-def]
        response = route.fetch()
        route.fulfill(response=response, body=with_extension(response.text(), source))

    page.route("**/isolation/", hostile)
    page.goto(site.url + "isolation/")
    quiz = QuizForm(page, "ext-demo")
    expect_status(quiz, "ready")
    return quiz


def expect_status(quiz: QuizForm, status: str) -> None:
    """The scorer's state, whatever the page's words for it."""
    expect(quiz.state).to_have_attribute("data-status", status, timeout=READY_TIMEOUT_MS)


def notes(quiz: QuizForm) -> dict[str, str]:
    headings = quiz.result.locator(".bb-result__note h4").all_inner_texts()
    texts = quiz.result.locator(".bb-result__note p").all_inner_texts()
    return dict(zip(headings, texts, strict=True))


@pytest.mark.provokes_csp  # run_js, eval, Function and a string setTimeout are refused by the policy
def test_an_extension_can_reach_no_network_once_the_scorer_is_ready(page: Page, site: Site, log: Log) -> None:
    """Every way a quiz extension could send answers out fails, and no request reaches the server."""
    port = site.url.rsplit(":", 1)[1].strip("/")
    quiz = open_with_extension(page, site, HOSTILE_EXTENSION.replace("PORT", port))
    ready = len(log.paths)
    for _ in range(2):  # the second round gives the first round's promises time to act, and shows them
        quiz.form.evaluate("form => form.reset()")  # the result goes: the next one is a new one
        quiz.answer_all(0)
        quiz.submit.click()
        quiz.expect_result_contains("js.fetch")
    outcomes = notes(quiz)
    sync = {name: outcome for name, outcome in outcomes.items() if not name.endswith("(settled)")}
    assert len(sync) == PROBES, outcomes
    ran = {name: outcome for name, outcome in sync.items() if not outcome.startswith("refused: ")}
    assert set(ran) <= RETURN_WITHOUT_A_REQUEST, ran
    assert log.since(ready) == []
    assert not [path for path in log.paths if path.startswith("/probe")]
    # The scorer scored all along: the extension's notes sit in a real result.
    quiz.expect_result_contains("Overall")


def test_the_bytes_that_run_are_the_bytes_checked(page: Page, log: Log, site: Site) -> None:
    """A host that answers a second request for a scorer file with other bytes changes nothing:
    each file is requested once, the scorer is ready with the checked bytes, and scores."""
    log.swap = True
    page.goto(site.url + "isolation/")
    quiz = QuizForm(page, "ext-demo")
    expect_status(quiz, "ready")
    quiz.answer_all(2)
    quiz.submit.click()
    quiz.expect_result_contains("Overall", "Calm is at")
    scorer = Counter(path.split("?")[0] for path in log.paths if is_scorer_file(path))
    assert sorted(name.rsplit("/", 1)[-1] for name in scorer) == sorted(
        [
            "scorer-worker.js",
            "pyodide.mjs",
            "pyodide.asm.mjs",
            "pyodide.asm.wasm",
            "python_stdlib.zip",
            "__init__.py",
            "engine.py",
            *[name.rsplit("/", 1)[-1] for name in scorer if name.endswith(".pyc")],
        ]
    ), scorer
    assert set(scorer.values()) == {1}, scorer
    assert not [path for path in log.paths if path.startswith("/probe")]
    # The server would have sent other bytes: a second request for pyodide.mjs gets them.
    with urllib.request.urlopen(
        site.url + next(p for p in scorer if p.endswith("/pyodide.mjs"))[1:]
    ) as response:
        assert response.read().startswith(b'fetch("/probe/swapped-ran')


def test_on_a_later_visit_the_cached_files_run_as_checked(
    browser_type: BrowserType,
    browser_type_launch_args: dict[str, Any],
    site: Site,
    tmp_path: Path,
    log: Log,
) -> None:
    """Files the browser keeps are checked as they are read from its cache: a later visit asks the
    host for no file of the scorer (and would get other bytes if it did), is ready and scores.

    A browser profile on disk: a plain context keeps no 9.6 MB wasm."""
    log.cache = True
    context = browser_type.launch_persistent_context(tmp_path, **browser_type_launch_args)
    try:
        page = context.new_page()
        page.goto(site.url + "isolation/")
        expect_status(QuizForm(page, "ext-demo"), "ready")
        first = len(log.paths)
        log.swap = True
        later = context.new_page()
        later.goto(site.url + "isolation/")
        quiz = QuizForm(later, "ext-demo")
        expect_status(quiz, "ready")
        quiz.answer_all(2)
        quiz.submit.click()
        quiz.expect_result_contains("Overall", "Calm is at")
    finally:
        context.close()
    assert [path for path in log.since(first) if is_scorer_file(path)] == []
    assert not [path for path in log.paths if path.startswith("/probe")]


@pytest.mark.parametrize("name", ["pyodide.asm.mjs", "pyodide.mjs"])
def test_a_module_that_differs_is_refused_and_never_imported(
    page: Page, site: Site, log: Log, name: str
) -> None:
    """Pyodide's modules changed on the way fail their check; the changed code never runs."""

    def tamper(route):  # type: ignore[no-untyped-def]
        response = route.fetch()
        route.fulfill(response=response, body=swapped(route.request.url, response.body()))

    page.route(f"**/assets/pyodide/*/{name}", tamper)
    page.goto(site.url + "isolation/")
    quiz = QuizForm(page, "ext-demo")
    expect_status(quiz, "unavailable")
    expect(quiz.state).to_contain_text(f"{name} is not the file this site was built with (sha256 differs)")
    assert not [path for path in log.paths if path.startswith("/probe")]


ESCAPE_SWAPPING_EXTENSION = """
import sys

# An extension shares Python with the engine: it can undo the engine's escaping of its own notes.
sys.modules["brickbybrick.engine"]._e = str

LEAKS = (
    "<img src='/probe/img'>"
    "<a href='/probe/link' ping='/probe/ping'>link</a>"
    "<svg><image href='/probe/svg-image'></image></svg>"
    "<link rel='stylesheet' href='/probe/css'>"
    "<iframe src='/probe/frame'></iframe>"
    "<video poster='/probe/poster'></video>"
    "<object data='/probe/object'></object>"
    "<form action='/probe/form'><button formaction='/probe/formaction'>go</button></form>"
    "<a href='javascript:fetch(`/probe/js-link`)'>js</a>"
    "<span style='background:url(/probe/style)'>styled</span>"
)


def interpret(result, answers):
    return [{"heading": "Answers: " + ",".join(map(str, answers.values())), "text": LEAKS}]
"""


@pytest.mark.provokes_csp  # the injected style attribute is refused by the policy as it is parsed
def test_a_result_the_extension_rewrote_loads_nothing(page: Page, site: Site, log: Log) -> None:
    """An extension that undoes the engine's escaping still cannot make the page load anything:
    the page keeps only the engine's own tags and attributes from a result."""

    quiz = open_with_extension(page, site, ESCAPE_SWAPPING_EXTENSION)
    ready = len(log.paths)
    quiz.answer_all(0)
    quiz.submit.click()
    quiz.expect_result_contains("Answers: ", "styled")  # the note is there, as text
    note = quiz.result.locator(".bb-result__note")
    for tag in ("img", "image", "link", "iframe", "video", "object", "form", "[style]", "[ping]"):
        expect(note.locator(tag)).to_have_count(0)
    expect(note.locator("a", has_text="js")).not_to_have_attribute("href", re.compile("javascript"))
    page.wait_for_timeout(500)  # anything that would load has been asked for by now
    assert [path for path in log.since(ready) if path.startswith("/probe")] == []
