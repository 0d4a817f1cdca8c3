"""A blank worksheet page as a PDF, printed at build time by headless Chromium.

Chromium prints the built worksheet page itself (``file://``, so its module scripts and the
scorer never start), with the page's own print CSS: the download matches what a person gets
from "Print this worksheet" with nothing filled in. The plugin starts it in a thread as soon
as the page is written (``worksheet: {page: ..., pdf: ...}`` in its options) and waits for it
at the end of the build.

Starting Chromium takes most of the time a print takes, so the plugin starts it (headless,
driven over its DevTools pipe, :class:`DevToolsBrowser`) when the build begins, unless the
worksheet's sources are those of a PDF already cached: by the time the page is written, the
browser is up and only loads and prints it. Where that cannot be done (not POSIX, or the pipe
fails to open), Chromium's own ``--print-to-pdf`` prints it instead.

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
import tempfile
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

from brickbybrick.plugin.runtime import cache_dir

__all__ = [
    "QUIET_FLAGS",
    "SKIP_ENV",
    "DevToolsBrowser",
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


def chromium_command(chromium: Path, page: Path, pdf: Path, profile: Path) -> list[str]:
    """The headless Chromium command that prints ``page`` to ``pdf`` with a throwaway profile."""
    return [
        str(chromium),
        "--headless",
        *QUIET_FLAGS,
        "--disable-extensions",
        f"--user-data-dir={profile}",
        "--no-pdf-header-footer",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
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
    """A short digest of what the worksheet is made from, known before the build renders it.

    It names the cached PDFs (``worksheet-<sources>-<page>.pdf``) so that a build can tell at
    its start whether Chromium will most likely be needed; the page digest decides.
    """
    digest = hashlib.sha256(repr(settings).encode())
    for source in sources:
        digest.update(str(source).encode() + b"\0")
        if source.is_file():
            digest.update(source.read_bytes())
    digest.update(_identity(chromium))
    return digest.hexdigest()[:12]


def cache_path(config: Any, page_text: str, chromium: Path, sources: str = "any") -> Path | None:
    """Where a PDF of exactly this page, its styles and scripts, and this Chromium is kept.

    Printing takes seconds; an unchanged worksheet is reused from ``.cache/brickbybrick/``
    beside ``mkdocs.yml`` (like Material's own plugins cache their work in ``.cache/``).
    The page is hashed as the build rendered it (the file is rewritten later in the build).
    """
    cache = cache_dir(config)
    if cache is None:
        return None
    site = Path(config["site_dir"])
    digest = hashlib.sha256(page_text.encode())
    for asset in sorted((site / "assets").rglob("*")):
        if asset.suffix in {".css", ".js"} and "pyodide" not in asset.parts and asset.is_file():
            digest.update(asset.relative_to(site).as_posix().encode() + b"\0" + asset.read_bytes())
    digest.update(_identity(chromium))
    return cache / f"worksheet-{sources}-{digest.hexdigest()[:20]}.pdf"


def probably_cached(config: Any, sources: str) -> bool:
    """Is a PDF made from the same sources cached (so that Chromium need not start early)?"""
    cache = cache_dir(config)
    return cache is not None and any(cache.glob(f"worksheet-{sources}-*.pdf"))


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

    def print_pdf(self, page: Path) -> bytes:
        """Load ``page`` (``file://``) in the tab and print it as ``--print-to-pdf`` would."""
        session = self.open_tab()
        self.call("Page.navigate", {"url": page.as_uri()}, session=session)
        self.wait_for("Page.loadEventFired", session)
        printed = self.call(
            "Page.printToPDF",
            {"displayHeaderFooter": False, "printBackground": False, "preferCSSPageSize": True},
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
    """Print the built worksheet ``page`` to ``pdf_name`` beside it; return its path, or ``None`` if skipped.

    ``browser``, a Chromium started earlier, prints it if given (else ``--print-to-pdf``);
    ``page_text`` is the page as rendered (read from ``page`` if not given).
    """
    if skipped(environ):
        log.info("%s=%s: skipping the blank worksheet PDF", SKIP_ENV, (environ or os.environ)[SKIP_ENV])
        return None
    if chromium is None or not os.access(chromium, os.X_OK):
        log.info(
            "Chromium not found (%s): skipping the blank worksheet PDF (install chromium, or set the "
            "plugin's chromium option, to build it)",
            chromium or "none of " + ", ".join(CHROMIUM_NAMES) + " on PATH",
        )
        return None

    pdf = page.with_name(pdf_name)
    pdf.unlink(missing_ok=True)
    text = page.read_text(encoding="utf-8") if page_text is None else page_text
    cached = cache_path(config, text, chromium, sources)
    if cached is not None and cached.is_file():
        shutil.copyfile(cached, pdf)
        log.info(
            "Blank worksheet PDF: %s (unchanged page, from %s)",
            pdf.relative_to(config["site_dir"]),
            cached.parent.name,
        )
        return pdf
    started = time.monotonic()
    if browser is not None:
        try:
            pdf.write_bytes(browser.print_pdf(page))
        except DevToolsError as error:
            raise PluginError(
                f"Chromium could not print the blank worksheet PDF: {error} (set {SKIP_ENV}=1 to build without it)"
            ) from None
    else:
        _print_with_command(chromium, page, pdf)
    if not pdf.is_file() or not pdf.read_bytes().startswith(b"%PDF-"):
        raise PluginError(f"Chromium printed no PDF of {page} (set {SKIP_ENV}=1 to build without it)")
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for stale in cached.parent.glob("worksheet-*.pdf"):
            stale.unlink(missing_ok=True)  # another build (a parallel test) may remove it first
        partial = cached.with_suffix(f".{os.getpid()}.part")
        shutil.copyfile(pdf, partial)
        partial.replace(cached)  # atomic: a parallel build reads a whole PDF or none
    log.info(
        "Blank worksheet PDF: %s (%d KB, %.1f s; %s %s)",
        pdf.relative_to(config["site_dir"]),
        pdf.stat().st_size // 1024,
        time.monotonic() - started,
        chromium.name,
        "started with the build" if browser is not None else "--print-to-pdf",
    )
    return pdf


def _print_with_command(chromium: Path, page: Path, pdf: Path) -> None:
    """Chromium's own ``--print-to-pdf``: starts a browser for this one print."""
    with tempfile.TemporaryDirectory(prefix="bb-chromium-") as profile:
        command = chromium_command(chromium, page, pdf, Path(profile))
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
