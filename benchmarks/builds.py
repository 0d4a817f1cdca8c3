"""Build time: the whole site vs plain Material building the same ``docs/``.

The site build is ``mkdocs build --strict`` of the project (macros render the quizzes, hooks
ship Pyodide and the engine wheel, write the CSP and print the blank worksheet PDF), timed
with and without the PDF step (``BB_SKIP_PDF=1``). The plain build uses a temporary
``mkdocs.yml``: the same ``docs_dir``, ``nav``, Markdown extensions and theme settings, but no
``custom_dir``, no ``hooks``, no ``macros`` plugin, no extra CSS/JavaScript and relaxed
validation (``{{ quiz(...) }}`` lines stay as text there). Wall-clock time of each subprocess.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import yaml
from tests import helpers

ROOT = helpers.ROOT
SKIP_PDF_NOTICE = "BB_SKIP_PDF=1: skipping"
RELAXED = {
    "nav": {"omitted_files": "info", "not_found": "info", "absolute_links": "info"},
    "links": {"not_found": "info", "anchors": "info", "absolute_links": "info", "unrecognized_links": "info"},
}


@dataclass
class BuildResults:
    """Seconds per build, one entry per run."""

    site: list[float] = field(default_factory=list)
    site_fresh_pdf: list[float] = field(default_factory=list)
    site_without_pdf: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)


def plain_config(target: Path, site_url: str) -> Path:
    """Write a ``mkdocs.yml`` for plain Material over the project's ``docs/``."""
    # ``!ENV`` (only on site_url, which the plain build sets itself) is MkDocs' own tag.
    text = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV ", "")
    config: dict[str, Any] = yaml.safe_load(text)
    theme = {key: value for key, value in config["theme"].items() if key != "custom_dir"}
    plain = {
        "site_name": config["site_name"],
        "site_url": site_url,
        "docs_dir": str(ROOT / "docs"),
        "nav": config["nav"],
        "theme": {**theme, "name": "material", "font": False},
        "plugins": ["search"],
        "markdown_extensions": config.get("markdown_extensions", []),
        "validation": RELAXED,
    }
    target.mkdir(parents=True, exist_ok=True)
    path = target / "mkdocs.yml"
    path.write_text(yaml.safe_dump(plain, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _check(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        raise SystemExit(f"bench: {what} failed:\n{result.stdout}{result.stderr}")


def time_site_build(site_dir: Path, origin: str, *, pdf: bool) -> float:
    """Seconds for ``helpers.build`` (``mkdocs build --strict`` of the project)."""
    env = {} if pdf else {"BB_SKIP_PDF": "1"}
    with mock.patch.dict(os.environ, env):
        start = time.perf_counter()
        result = helpers.build(ROOT, site_dir, origin)
        elapsed = time.perf_counter() - start
    _check(result, "the site build")
    if not pdf and SKIP_PDF_NOTICE not in result.stdout + result.stderr:
        print("  warning: BB_SKIP_PDF=1 did not announce skipping the PDF step", flush=True)
    return elapsed


def time_plain_build(config: Path, site_dir: Path) -> float:
    """Seconds for ``mkdocs build`` (not strict) of the plain configuration."""
    start = time.perf_counter()
    result = subprocess.run(
        [*helpers.MKDOCS, "build", "-f", str(config), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        cwd=config.parent,
    )
    elapsed = time.perf_counter() - start
    _check(result, "the plain Material build")
    return elapsed


def measure_builds(workdir: Path, origin: str, runs: int) -> BuildResults:
    """Interleaved rounds of the three builds, each into a fresh directory."""
    results = BuildResults()
    config = plain_config(workdir / "plain", origin)
    for round_ in range(1, runs + 1):
        out = workdir / f"round-{round_}"
        shutil.rmtree(ROOT / ".cache" / "brickbybrick", ignore_errors=True)  # Chromium prints afresh
        results.site_fresh_pdf.append(time_site_build(out / "site-fresh", origin, pdf=True))
        results.site.append(time_site_build(out / "site", origin, pdf=True))  # reuses that PDF
        results.site_without_pdf.append(time_site_build(out / "site-nopdf", origin, pdf=False))
        results.plain.append(time_plain_build(config, out / "plain"))
        shutil.rmtree(out)
        print(
            f"  build {round_}/{runs}: site {results.site_fresh_pdf[-1]:.2f} s (PDF printed), "
            f"{results.site[-1]:.2f} s (PDF reused), without PDF {results.site_without_pdf[-1]:.2f} s,"
            f" plain Material {results.plain[-1]:.2f} s",
            flush=True,
        )
    return results
