"""Blank worksheets as PDFs, printed at build time by headless Chromium, in A4 and US Letter.

Chromium prints the built page that holds the worksheet (``file://``, so its module scripts and
the scorer never start), with the page's own print CSS: the download matches what a person gets
from "Print this worksheet" with nothing filled in. The page's address ends in a fragment naming
the worksheet and the paper (``#ws-<id>-a4``): the worksheet's CSS then prints that worksheet
alone, on that paper (``:target``). One :class:`WorksheetPrinter` per build prints in a thread as
soon as the page is written, and the build waits for it at its end.

Starting Chromium takes most of the time a print takes, so the plugin starts it (headless,
driven over its DevTools pipe, :class:`DevToolsBrowser`) when the build begins, unless the
worksheets' sources are those of PDFs already cached: by the time the page is written, the
browser is up and only loads the page once and prints it twice. Where that cannot be done (not
POSIX, or the pipe fails to open), Chromium's own ``--print-to-pdf`` prints each PDF instead.

* Without Chromium the build goes on and says so in one INFO line (``--strict`` fails on
  warnings, and a missing optional tool should not fail a build).
* ``BB_SKIP_PDF=1`` skips the step (``make serve`` live reloads stay fast).
* A Chromium that is there but fails is an error: the page would link to a missing file.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import logging
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from brickbybrick.plugin.runtime import cache_dir
from brickbybrick.worksheetfile import Paper

__all__ = [
    "QUIET_FLAGS",
    "SKIP_ENV",
    "DevToolsBrowser",
    "PrintJob",
    "WorksheetPrinter",
    "build_pdfs",
    "build_worksheet_pdf",
    "cache_path",
    "chromium_command",
    "find_chromium",
    "source_digest",
]

# The headless shell first: the same engine without a browser's user interface, it starts and
# prints in about a third of the time (and a quarter of the CPU) of a full Chromium.
CHROMIUM_NAMES = (
    "chromium-headless-shell",
    "chrome-headless-shell",
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
)
SKIP_ENV = "BB_SKIP_PDF"
TIMEOUT_S = 60
PRINT_SWITCH_INTERVAL_S = 0.0005  # how soon the build hands the interpreter to the printing thread

log = logging.getLogger("mkdocs.plugins.brickbybrick.pdf")


#: Flags for a headless Chromium that talks to no one: no sandbox (root in CI), no GPU, and
#: none of the background services that would reach out to the network. Shared with the tests.
QUIET_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
)


def chromium_command(chromium: Path, page: Path, pdf: Path, profile: Path, fragment: str = "") -> list[str]:
    """The headless Chromium command that prints ``page`` (at ``#fragment``) to ``pdf`` with a
    throwaway profile."""
    return [
        str(chromium),
        "--headless",
        *QUIET_FLAGS,
        "--disable-extensions",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.as_uri() + fragment,
    ]


def find_chromium(configured: str | None) -> Path | None:
    """The Chromium to print with: the ``chromium`` option, else the first on ``PATH``."""
    if configured:
        return Path(configured)
    for name in CHROMIUM_NAMES:
        if found := shutil.which(name):
            return Path(found)
    return None


def _identity(chromium: Path) -> bytes:
    """Which Chromium, as far as a PDF it printed goes: its path, size and modification time."""
    stat = chromium.stat() if chromium.exists() else None
    return f"{chromium}:{stat and stat.st_size}:{stat and stat.st_mtime_ns}".encode()


def source_digest(sources: Iterable[Path], chromium: Path, *settings: object) -> str:
    """A short digest of what the worksheets are made from, known before the build renders them.

    It names the cached PDFs (``worksheet_<name>_<sources>_<page>.pdf``) so that a build can tell
    at its start whether Chromium will most likely be needed; the page digest decides.
    """
    digest = hashlib.sha256(repr(settings).encode())
    for source in sources:
        digest.update(str(source).encode() + b"\0")
        if source.is_file():
            digest.update(source.read_bytes())
    digest.update(_identity(chromium))
    return digest.hexdigest()[:12]


def cache_path(
    config: Any, page_text: str, chromium: Path, sources: str = "any", name: str = "page"
) -> Path | None:
    """Where PDF ``name`` of exactly this page, its styles and scripts, and this Chromium is kept.

    Printing takes seconds; an unchanged worksheet is reused from ``.cache/brickbybrick/``
    beside ``mkdocs.yml`` (like Material's own plugins cache their work in ``.cache/``).
    The page is hashed as the build rendered it (the file is rewritten later in the build).
    """
    cache = cache_dir(config)
    if cache is None:
        return None
    return cache / f"worksheet_{name}_{sources}_{_page_digest(config, page_text, chromium)}.pdf"


def _page_digest(config: Any, page_text: str, chromium: Path) -> str:
    site = Path(config["site_dir"])
    digest = hashlib.sha256(page_text.encode())
    for asset in sorted((site / "assets").rglob("*")):
        if asset.suffix in {".css", ".js"} and "pyodide" not in asset.parts and asset.is_file():
            digest.update(asset.relative_to(site).as_posix().encode() + b"\0" + asset.read_bytes())
    digest.update(_identity(chromium))
    return digest.hexdigest()[:20]


def probably_cached(config: Any, sources: str) -> bool:
    """Is a PDF made from the same sources cached (so that Chromium need not start early)?"""
    cache = cache_dir(config)
    return cache is not None and any(cache.glob(f"worksheet_*_{sources}_*.pdf"))


def skipped(environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    return environ.get(SKIP_ENV, "") not in ("", "0")


class DevToolsError(Exception):
    """Chromium did not answer over its DevTools pipe as expected."""


class DevToolsBrowser:
    """A headless Chromium driven over its DevTools pipe (``--remote-debugging-pipe``).

    Started at the beginning of a build, it is up by the time the worksheet page is written;
    :meth:`print_pdf` then only loads the page and prints it. Messages are JSON, each ended by
    a NUL byte; Chromium reads commands on its fd 3 and writes replies and events on fd 4.
    """

    def __init__(self, chromium: Path) -> None:
        import fcntl  # POSIX only, like posix_spawn: the caller falls back to --print-to-pdf

        self.profile = Path(tempfile.mkdtemp(prefix="bb-chromium-"))
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - Chromium's stderr, closed in close()
        command_read, self._command = os.pipe()
        self._replies, reply_write = os.pipe()
        # Chromium wants the pipe on fds 3 and 4: move the child's ends out of their way first.
        child_ends = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in (command_read, reply_write)]
        os.close(command_read)
        os.close(reply_write)
        argv = [
            str(chromium),
            "--headless",
            *QUIET_FLAGS,
            "--disable-extensions",
            f"--user-data-dir={self.profile}",
            "--remote-debugging-pipe",
            "about:blank",
        ]
        try:
            self.pid = os.posix_spawn(
                str(chromium),
                argv,
                dict(os.environ),
                setpgroup=0,  # its own process group: closing stops Chromium's helpers with it
                file_actions=[
                    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
                    (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                    (os.POSIX_SPAWN_DUP2, self.log.fileno(), 2),
                    (os.POSIX_SPAWN_DUP2, child_ends[0], 3),
                    (os.POSIX_SPAWN_DUP2, child_ends[1], 4),
                ],
            )
        except OSError:
            self._close_fds()
            shutil.rmtree(self.profile, ignore_errors=True)
            raise
        finally:
            for fd in child_ends:
                os.close(fd)
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict[str, Any]] = []
        self._session: str | None = None
        self.closed = False

    def _close_fds(self) -> None:
        for fd in (self._command, self._replies):
            with contextlib.suppress(OSError):
                os.close(fd)
        self.log.close()

    def _stderr(self) -> str:
        self.log.seek(0)
        return " ".join(self.log.read().decode(errors="replace").split()[-30:])

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DevToolsError(f"no answer within {TIMEOUT_S} s")
            ready, _, _ = select.select([self._replies], [], [], remaining)
            if ready:
                chunk = os.read(self._replies, 1 << 16)
                if not chunk:
                    raise DevToolsError(f"Chromium closed its DevTools pipe: {self._stderr()}")
                self._buffer += chunk
        raw, _, self._buffer = self._buffer.partition(b"\0")
        message: dict[str, Any] = json.loads(raw)
        return message

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> Any:
        """Send one command and return its result (events that arrive meanwhile are kept)."""
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            command["sessionId"] = session
        data = json.dumps(command).encode() + b"\0"
        try:
            while data:
                data = data[os.write(self._command, data) :]
        except BrokenPipeError:
            raise DevToolsError(f"Chromium closed its DevTools pipe: {self._stderr()}") from None
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            message = self._read(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise DevToolsError(f"{method}: {message['error'].get('message', message['error'])}")
                return message.get("result", {})
            if "method" in message:
                self._events.append(message)

    def wait_for(self, event: str, session: str) -> None:
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for index, message in enumerate(self._events):
                if message["method"] == event and message.get("sessionId") == session:
                    del self._events[: index + 1]
                    return
            message = self._read(deadline)
            if "method" in message:
                self._events.append(message)

    def open_tab(self) -> str:
        """Open the tab that will print, on a blank page read from disk; return its session.

        Called ahead of :meth:`print_pdf` (in the thread that will print): the tab's page process
        for ``file://`` pages is then running, and the worksheet loads into it. Scripts are off in
        it: a blank sheet prints the same without them (empty fields are lines to write on, the
        note shown without JavaScript is not printed), and loading the theme's bundle would
        double the page's load time.
        """
        if self._session is None:
            blank = self.profile / "blank.html"
            blank.write_text("<!doctype html><title>blank</title>", encoding="utf-8")
            target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            self.call("Page.enable", session=session)
            self.call("Emulation.setScriptExecutionDisabled", {"value": True}, session=session)
            self.call("Page.navigate", {"url": blank.as_uri()}, session=session)
            self.wait_for("Page.loadEventFired", session)
            self._session = session
        return self._session

    def print_pdf(self, page: Path, fragment: str = "", paper: Paper | None = None) -> bytes:
        """Load ``page`` (``file://``, at ``#fragment``) in the tab and print it as
        ``--print-to-pdf`` would, on ``paper`` (else Chromium's default, US Letter).

        A page already loaded at another fragment is not loaded again: only ``:target`` moves.
        """
        session = self.open_tab()
        navigated = self.call("Page.navigate", {"url": page.as_uri() + fragment}, session=session)
        if navigated.get("errorText"):
            raise DevToolsError(f"{page}: {navigated['errorText']}")
        if "loaderId" in navigated:  # a new document (a fragment change within one has no loader)
            self.wait_for("Page.loadEventFired", session)
        size = {"paperWidth": paper.width_in, "paperHeight": paper.height_in} if paper else {}
        printed = self.call(
            "Page.printToPDF",
            {"displayHeaderFooter": False, "printBackground": False, "preferCSSPageSize": True, **size},
            session=session,
        )
        return base64.b64decode(printed["data"])

    def close(self) -> None:
        """Stop Chromium and its helper processes at once; remove its throwaway profile.

        Nothing of a print-only profile is worth a graceful shutdown, which would take the
        build another 150 ms.
        """
        if self.closed:
            return
        self.closed = True
        with contextlib.suppress(OSError):  # already gone
            os.killpg(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        self._close_fds()
        shutil.rmtree(self.profile, ignore_errors=True)


def start_browser(chromium: Path | None) -> DevToolsBrowser | None:
    """A Chromium started now to print later, or ``None`` (none found, not POSIX, or it failed)."""
    if chromium is None or not os.access(chromium, os.X_OK) or os.name != "posix":
        return None
    try:
        return DevToolsBrowser(chromium)
    except OSError as error:
        log.debug(
            "Chromium could not be started over its DevTools pipe (%s): printing with --print-to-pdf", error
        )
        return None


@dataclass(frozen=True)
class PrintJob:
    """One PDF printed from a page: where it goes, the page's fragment, the paper, its cache name."""

    target: Path  # in the site
    fragment: str = ""  # "#ws-<id>-a4": that worksheet alone, on that paper (its print CSS)
    paper: Paper | None = None  # None: Chromium's default (US Letter), or the page's own CSS
    name: str = "page"  # names its copy in the cache: lowercase letters, digits, hyphens


def build_pdfs(
    config: Any,
    page: Path,
    jobs: list[PrintJob],
    *,
    chromium: Path | None,
    environ: Mapping[str, str] | None = None,
    browser: DevToolsBrowser | None = None,
    start: Callable[[], DevToolsBrowser | None] | None = None,
    page_text: str | None = None,
    sources: str = "any",
    early: bool = False,
) -> list[Path]:
    """Print the built ``page`` once per job; return the PDFs written (none if skipped).

    ``browser``, a Chromium started earlier, prints them if given; else ``start()`` is asked for
    one the first time a PDF is not in the cache (one Chromium for every print), and without one
    Chromium's ``--print-to-pdf`` prints each. ``page_text`` is the page as rendered (read from
    ``page`` if not given); ``early`` says, for the log, that ``browser`` started with the build.
    """
    if skipped(environ):
        log.info("%s=%s: skipping the blank worksheet PDF", SKIP_ENV, (environ or os.environ)[SKIP_ENV])
        return []
    if chromium is None or not os.access(chromium, os.X_OK):
        log.info(
            "Chromium not found (%s): skipping the blank worksheet PDF (install chromium, or set the "
            "plugin's chromium option, to build it)",
            chromium or "none of " + ", ".join(CHROMIUM_NAMES) + " on PATH",
        )
        return []
    text = page.read_text(encoding="utf-8") if page_text is None else page_text
    site = Path(config["site_dir"])
    written = []
    for job in jobs:
        job.target.parent.mkdir(parents=True, exist_ok=True)
        job.target.unlink(missing_ok=True)
        cached = cache_path(config, text, chromium, sources, job.name)
        if cached is not None and cached.is_file():
            shutil.copyfile(cached, job.target)
            log.info(
                "Blank worksheet PDF: %s (unchanged page, from %s)",
                _shown(job.target, site),
                cached.parent.name,
            )
            written.append(job.target)
            continue
        started = time.monotonic()
        if browser is None and start is not None:
            browser, start = start(), None
        if browser is not None:
            try:
                job.target.write_bytes(browser.print_pdf(page, job.fragment, job.paper))
            except DevToolsError as error:
                raise PluginError(
                    f"Chromium could not print the blank worksheet PDF: {error} (set {SKIP_ENV}=1 to build without it)"
                ) from None
        else:
            _print_with_command(chromium, page, job.target, job.fragment)
        if not job.target.is_file() or not job.target.read_bytes().startswith(b"%PDF-"):
            raise PluginError(f"Chromium printed no PDF of {page} (set {SKIP_ENV}=1 to build without it)")
        if cached is not None:
            _keep(cached, job)
        log.info(
            "Blank worksheet PDF: %s (%d KB, %.1f s; %s %s)",
            _shown(job.target, site),
            job.target.stat().st_size // 1024,
            time.monotonic() - started,
            chromium.name,
            ("started with the build" if early else "over its DevTools pipe")
            if browser is not None
            else "--print-to-pdf",
        )
        written.append(job.target)
    return written


def _shown(path: Path, site: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return str(path)


def _keep(cached: Path, job: PrintJob) -> None:
    """Keep the PDF in the cache, in place of any older copy of the same job."""
    cached.parent.mkdir(parents=True, exist_ok=True)
    for stale in [*cached.parent.glob(f"worksheet_{job.name}_*.pdf"), *cached.parent.glob("worksheet-*.pdf")]:
        stale.unlink(missing_ok=True)  # another build (a parallel test) may remove it first
    partial = cached.with_suffix(f".{os.getpid()}.part")
    shutil.copyfile(job.target, partial)
    partial.replace(cached)  # atomic: a parallel build reads a whole PDF or none


def build_worksheet_pdf(
    config: Any,
    page: Path,
    pdf_name: str,
    *,
    chromium: Path | None,
    environ: Mapping[str, str] | None = None,
    browser: DevToolsBrowser | None = None,
    page_text: str | None = None,
    sources: str = "any",
) -> Path | None:
    """Print the whole built ``page`` to ``pdf_name`` beside it (a hand-written worksheet page, the
    ``worksheet: {page: ...}`` option); return its path, or ``None`` if skipped."""
    job = PrintJob(page.with_name(pdf_name), name="page")
    written = build_pdfs(
        config,
        page,
        [job],
        chromium=chromium,
        environ=environ,
        browser=browser,
        page_text=page_text,
        sources=sources,
    )
    return written[0] if written else None


class WorksheetPrinter:
    """Prints a build's blank worksheets in one background thread, with one Chromium.

    :meth:`start_early` starts Chromium as the build begins (its tab opens in the printing
    thread); :meth:`submit` prints a page's PDFs once the page is written, while the rest of the
    site builds; :meth:`finish` waits for every PDF (raising the first error) and stops Chromium.
    """

    def __init__(self) -> None:
        self._executor: ThreadPoolExecutor | None = None
        self._browser: DevToolsBrowser | None = None
        self._started_early = False
        self._jobs: list[Future[list[Path]]] = []

    def _thread(self) -> ThreadPoolExecutor:
        self._executor = self._executor or ThreadPoolExecutor(max_workers=1, thread_name_prefix="bb-pdf")
        return self._executor

    def start_early(self, chromium: Path | None) -> bool:
        """Start Chromium now, to print later; ``False`` if it cannot be (none, not POSIX, failed)."""
        browser = self._browser = start_browser(chromium)
        self._started_early = browser is not None
        if browser is not None:

            def open_tab() -> list[Path]:  # in the thread that prints: it alone reads the pipe
                with contextlib.suppress(DevToolsError):  # said when it prints, which opens it again
                    browser.open_tab()
                return []

            self._jobs.append(self._thread().submit(open_tab))
        return self._started_early

    @property
    def started_early(self) -> bool:
        return self._started_early

    def submit(
        self,
        config: Any,
        page: Path,
        jobs: list[PrintJob],
        *,
        chromium: Path | None,
        page_text: str,
        sources: str,
    ) -> None:
        """Print ``jobs`` from ``page`` (already written as ``page_text``) in the printing thread."""

        def start() -> DevToolsBrowser | None:
            self._browser = self._browser or start_browser(chromium)
            return self._browser

        def run() -> list[Path]:
            # The build keeps the interpreter busy meanwhile; this thread needs it for a moment
            # after each reply from Chromium: hand it over within 0.5 ms instead of 5 ms.
            interval = sys.getswitchinterval()
            sys.setswitchinterval(min(interval, PRINT_SWITCH_INTERVAL_S))
            try:
                return build_pdfs(
                    config,
                    page,
                    jobs,
                    chromium=chromium,
                    browser=self._browser,
                    start=start,
                    page_text=page_text,
                    sources=sources,
                    early=self._started_early,
                )
            finally:
                sys.setswitchinterval(interval)

        self._jobs.append(self._thread().submit(run))

    def finish(self) -> list[Path]:
        """Wait for every PDF (the first failure raises) and stop Chromium; the PDFs written."""
        jobs, self._jobs = self._jobs, []
        try:
            wait(jobs)  # all of them, before Chromium stops: a failure may come before the rest
            return [pdf for job in jobs for pdf in job.result()]
        finally:
            self.close()

    def close(self) -> None:
        """Stop Chromium (once the thread is done with it) without waiting for the PDFs' results."""
        for job in self._jobs:
            job.exception()  # waits: the thread reads Chromium's pipe meanwhile
        self._jobs = []
        if self._browser is not None:
            self._browser.close()
            self._browser = None
        self._started_early = False

    def shutdown(self) -> None:
        self.close()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None


def _print_with_command(chromium: Path, page: Path, pdf: Path, fragment: str = "") -> None:
    """Chromium's own ``--print-to-pdf``: starts a browser for this one print."""
    with tempfile.TemporaryDirectory(prefix="bb-chromium-") as profile:
        command = chromium_command(chromium, page, pdf, Path(profile), fragment)
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise PluginError(
                f"Chromium did not print {page} within {TIMEOUT_S} s (set {SKIP_ENV}=1 to build without the PDF)"
            ) from None
    if done.returncode != 0 or not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF-"):
        detail = " ".join(done.stderr.split()[-30:])
        raise PluginError(
            f"Chromium could not print the blank worksheet PDF (exit {done.returncode}): {detail} "
            f"(set {SKIP_ENV}=1 to build without it)"
        )
