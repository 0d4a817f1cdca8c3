"""A blank worksheet page as a PDF, printed at build time by headless Chromium.

Chromium prints the built worksheet page itself (``file://``, so its module scripts and the
scorer never start), with the page's own print CSS: the download matches what a person gets
from "Print this worksheet" with nothing filled in. The plugin starts it in a thread as soon
as the page is written (``worksheet: {page: ..., pdf: ...}`` in its options) and waits for it
at the end of the build.

* Without Chromium the build goes on and says so in one INFO line (``--strict`` fails on
  warnings, and a missing optional tool should not fail a build).
* ``BB_SKIP_PDF=1`` skips the step (``make serve`` live reloads stay fast).
* A Chromium that is there but fails is an error: the page would link to a missing file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mkdocs.exceptions import PluginError

__all__ = [
    "QUIET_FLAGS",
    "SKIP_ENV",
    "build_worksheet_pdf",
    "cache_path",
    "chromium_command",
    "find_chromium",
]

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
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


def cache_path(config: Any, page: Path, chromium: Path) -> Path | None:
    """Where a PDF of exactly this page, its styles and scripts, and this Chromium is kept.

    Printing takes seconds; an unchanged worksheet is reused from ``.cache/brickbybrick/``
    beside ``mkdocs.yml`` (like Material's own plugins cache their work in ``.cache/``).
    """
    if not config.get("config_file_path"):
        return None
    site = Path(config["site_dir"])
    digest = hashlib.sha256(page.read_bytes())
    for asset in sorted((site / "assets").rglob("*")):
        if asset.suffix in {".css", ".js"} and "pyodide" not in asset.parts and asset.is_file():
            digest.update(asset.relative_to(site).as_posix().encode() + b"\0" + asset.read_bytes())
    stat = chromium.stat()
    digest.update(f"{chromium}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    cache = Path(config["config_file_path"]).resolve().parent / ".cache" / "brickbybrick"
    return cache / f"worksheet-{digest.hexdigest()[:20]}.pdf"


def build_worksheet_pdf(
    config: Any,
    page: Path,
    pdf_name: str,
    *,
    chromium: Path | None,
    environ: Mapping[str, str] | None = None,
) -> Path | None:
    """Print the built worksheet ``page`` to ``pdf_name`` beside it; return its path, or ``None`` if skipped."""
    environ = os.environ if environ is None else environ
    if environ.get(SKIP_ENV, "") not in ("", "0"):
        log.info("%s=%s: skipping the blank worksheet PDF", SKIP_ENV, environ[SKIP_ENV])
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
    cached = cache_path(config, page, chromium)
    if cached is not None and cached.is_file():
        shutil.copyfile(cached, pdf)
        log.info(
            "Blank worksheet PDF: %s (unchanged page, from %s)",
            pdf.relative_to(config["site_dir"]),
            cached.parent.name,
        )
        return pdf
    started = time.monotonic()
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
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        for stale in cached.parent.glob("worksheet-*.pdf"):
            stale.unlink(missing_ok=True)  # another build (a parallel test) may remove it first
        partial = cached.with_suffix(f".{os.getpid()}.part")
        shutil.copyfile(pdf, partial)
        partial.replace(cached)  # atomic: a parallel build reads a whole PDF or none
    log.info(
        "Blank worksheet PDF: %s (%d KB, %.1f s)",
        pdf.relative_to(config["site_dir"]),
        pdf.stat().st_size // 1024,
        time.monotonic() - started,
    )
    return pdf
