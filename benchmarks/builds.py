"""Build time: the whole site vs plain Material building the same ``docs/``.

The site build is ``mkdocs build --strict`` of the project (the plugin renders the quizzes
through macros, ships Pyodide and the engine, writes the CSP and ``.gz`` files, and prints the
blank worksheet PDF in a background thread, with the headless shell where there is one). It runs
on a copy of the English guide (``mkdocs.yml`` without its other languages, ``docs/``,
``quizzes/``, ``help.yml``; the Spanish guide is a second build of the same kind) in a temporary
directory, so that its ``.cache/`` is the bench's own and nobody else's builds or tests share it:

* PDF printed: the cached worksheet PDF is deleted first, so Chromium prints it afresh
  (``.cache/brickbybrick/gzip``, the gzip copies of the site's large files, is kept);
* PDF reused: the same build again, the worksheet unchanged (as on a rebuild);
* without PDF: ``BB_SKIP_PDF=1``;
* first build: no ``.cache/`` at all (a fresh checkout: PDF printed, large files gzipped; Pyodide
  comes with its compressed copies).

The plain build uses a temporary ``mkdocs.yml``: the same ``docs_dir``, ``nav``, Markdown
extensions and theme settings, but only the ``search`` plugin (no ``brickbybrick``, no
``macros``: ``{{ quiz(...) }}`` lines stay as text) and relaxed validation. Wall-clock time of
each subprocess; the four site builds and the plain build are interleaved round by round.
"""

from __future__ import annotations

import os
import pstats
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

import yaml
from tests import helpers

ROOT = helpers.ROOT
PROJECT_FILES = ("mkdocs.yml", "docs", "quizzes", "worksheets", "help.yml")
# The `languages:` option and its entries (one per line, indented deeper).
OTHER_LANGUAGES = re.compile(r"^(?P<indent> +)languages:[^\n]*\n(?:(?P=indent) +[^\n]*\n)*", re.MULTILINE)
SKIP_PDF_NOTICE = "BB_SKIP_PDF=1: skipping"
PRINTED = re.compile(r"Blank worksheet PDF: \S+ \(\d+ KB, ([\d.]+) s;")
REUSED = re.compile(r"Blank worksheet PDF: \S+ \(unchanged page")
RELAXED = {
    "nav": {"omitted_files": "info", "not_found": "info", "absolute_links": "info"},
    "links": {"not_found": "info", "anchors": "info", "absolute_links": "info", "unrecognized_links": "info"},
}


# What the profiled build is broken down into: (label, file suffix, function name prefix).
PROFILED = (
    ("brickbybrick hooks", "brickbybrick/plugin/plugin.py", "on_"),
    ("macros rendering pages", "mkdocs_macros/plugin.py", "on_page_markdown"),
    ("search index", "material/plugins/search/plugin.py", "on_"),
)
IMPORTS = (
    (
        "importing brickbybrick and mkdocs-macros",
        ("brickbybrick/plugin/__init__.py", "mkdocs_macros/plugin.py"),
    ),
)


@dataclass
class BuildResults:
    """Seconds per build, one entry per run."""

    site: list[float] = field(default_factory=list)
    site_fresh_pdf: list[float] = field(default_factory=list)
    site_without_pdf: list[float] = field(default_factory=list)
    site_first: list[float] = field(default_factory=list)
    plain: list[float] = field(default_factory=list)
    printing: list[float] = field(default_factory=list)  # Chromium's own time, as the build logs it
    reused: list[bool] = field(default_factory=list)  # did the "PDF reused" build log reusing it
    # One build without PDF under cProfile: seconds (inflated by the profiler) per part, by label.
    profile: dict[str, float] = field(default_factory=dict)


def copy_project(target: Path) -> Path:
    """Copy what ``mkdocs build`` of the English guide reads into ``target``; return it.

    The guide's other languages (``plugins.brickbybrick.languages``) are left out: each is a build
    of its own, and the plain build it is compared with covers ``docs/`` only.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    config = target / "mkdocs.yml"
    text = OTHER_LANGUAGES.sub("", config.read_text(encoding="utf-8"))
    config.write_text(text, encoding="utf-8")
    return target


def plain_config(project: Path, target: Path, site_url: str) -> Path:
    """Write a ``mkdocs.yml`` for plain Material over the project's ``docs/``."""
    # ``!ENV`` (only on site_url, which the plain build sets itself) is MkDocs' own tag.
    text = (project / "mkdocs.yml").read_text(encoding="utf-8").replace("!ENV ", "")
    config: dict[str, Any] = yaml.safe_load(text)
    theme = {key: value for key, value in config["theme"].items() if key != "custom_dir"}
    plain = {
        "site_name": config["site_name"],
        "site_url": site_url,
        "docs_dir": str(project / "docs"),
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


def time_site_build(project: Path, site_dir: Path, origin: str, *, pdf: bool) -> tuple[float, str]:
    """Seconds for ``helpers.build`` (``mkdocs build --strict`` of the project copy), and its log."""
    env = {} if pdf else {"BB_SKIP_PDF": "1"}
    with mock.patch.dict(os.environ, env):
        start = time.perf_counter()
        result = helpers.build(project, site_dir, origin)
        elapsed = time.perf_counter() - start
    _check(result, "the site build")
    log = result.stdout + result.stderr
    if not pdf and SKIP_PDF_NOTICE not in log:
        print("  warning: BB_SKIP_PDF=1 did not announce skipping the PDF step", flush=True)
    return elapsed, log


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


def printed(log: str) -> float | None:
    """The seconds Chromium took to print the PDF, as the build logs it; None if it did not print."""
    match = PRINTED.search(log)
    return float(match.group(1)) if match else None


def profile_site_build(project: Path, site_dir: Path, origin: str) -> dict[str, float]:
    """Cumulative seconds of the build's parts in one ``BB_SKIP_PDF=1`` build under cProfile.

    The profiler slows Python code down, so only the shares are meaningful; ``total`` is the
    whole profiled run (interpreter start aside).
    """
    output = site_dir.parent / "build.prof"
    profiler = [sys.executable, "-m", "cProfile", "-o", str(output), "-m", "mkdocs"]
    result = subprocess.run(
        [*profiler, "build", "--strict", "-f", str(project / "mkdocs.yml"), "-d", str(site_dir)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": origin, "BB_SKIP_PDF": "1"},
        cwd=project,
    )
    _check(result, "the profiled site build")
    stats: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    stats = pstats.Stats(str(output)).stats  # type: ignore[attr-defined]
    parts = {"total": sum(entry[2] for entry in stats.values())}
    for label, suffix, prefix in PROFILED:
        for (filename, _, name), entry in stats.items():
            if filename.endswith(suffix) and name.startswith(prefix):
                key = f"{label}: {name}" if label == PROFILED[0][0] else label
                parts[key] = parts.get(key, 0.0) + entry[3]
    for label, suffixes in IMPORTS:
        parts[label] = sum(
            entry[3]
            for (filename, _, name), entry in stats.items()
            if name == "<module>" and filename.endswith(suffixes)
        )
    output.unlink()
    return parts


def measure_builds(
    workdir: Path, origin: str, runs: int, before_round: Callable[[], None] = lambda: None
) -> BuildResults:
    """Interleaved rounds of the builds, each into a fresh directory."""
    results = BuildResults()
    project = copy_project(workdir / "project")
    cache = project / ".cache"
    config = plain_config(project, workdir / "plain", origin)
    time_site_build(project, workdir / "warm-up", origin, pdf=True)  # fills .cache once
    shutil.rmtree(workdir / "warm-up")
    for round_ in range(1, runs + 1):
        before_round()
        out = workdir / f"round-{round_}"
        for stale in (cache / "brickbybrick").glob("worksheet[_-]*.pdf"):
            stale.unlink()  # Chromium prints afresh; compressed Pyodide stays cached
        elapsed, log = time_site_build(project, out / "site-fresh", origin, pdf=True)
        results.site_fresh_pdf.append(elapsed)
        if (seconds := printed(log)) is None:
            print("  warning: a build meant to print the worksheet PDF did not log printing it", flush=True)
        else:
            results.printing.append(seconds)
        elapsed, log = time_site_build(project, out / "site", origin, pdf=True)
        results.site.append(elapsed)
        results.reused.append(REUSED.search(log) is not None)
        if not results.reused[-1]:
            print("  note: the unchanged worksheet was printed again (its PDF was not reused)", flush=True)
        results.site_without_pdf.append(time_site_build(project, out / "site-nopdf", origin, pdf=False)[0])
        results.plain.append(time_plain_build(config, out / "plain"))
        shutil.rmtree(cache)
        results.site_first.append(time_site_build(project, out / "site-first", origin, pdf=True)[0])
        shutil.rmtree(out)
        print(
            f"  build {round_}/{runs}: site {results.site_fresh_pdf[-1]:.2f} s (PDF printed), "
            f"{results.site[-1]:.2f} s (PDF reused), without PDF {results.site_without_pdf[-1]:.2f} s, "
            f"first build {results.site_first[-1]:.2f} s, plain Material {results.plain[-1]:.2f} s",
            flush=True,
        )
    results.profile = profile_site_build(project, workdir / "profiled" / "site", origin)
    shutil.rmtree(workdir / "profiled")
    return results
