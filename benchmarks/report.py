"""Figures, targets and the Markdown report (printed and written to ``BENCHMARKS.md``)."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from tests.helpers import CHROMIUM, ROOT

from benchmarks import lighthouse
from benchmarks.browser import BrowserResults, PageRun
from benchmarks.builds import BuildResults
from benchmarks.site import BuiltSite

READY_RATIO = 1.10
SUBMIT_MS = 50.0
BUILD_RATIO = 2.0


@dataclass(frozen=True)
class Figure:
    """One row of the table; ``met`` is None for a reference figure without a target."""

    label: str
    value: str
    target: str = "-"
    met: bool | None = None

    @property
    def status(self) -> str:
        return "-" if self.met is None else ("met" if self.met else "**missed**")


# --------------------------------------------------------------------------- numbers


def median(values: Iterable[float]) -> float:
    return float(statistics.median(list(values)))


def spread(values: Sequence[float], fmt: Callable[[float], str]) -> str:
    """``median (min-max)`` of the runs, each formatted by ``fmt``."""
    return f"{fmt(median(values))} ({fmt(min(values))}-{fmt(max(values))})"


def ms(value: float) -> str:
    return f"{value:,.0f} ms"


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def size(value: float) -> str:
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if value >= scale:
            return f"{value / scale:,.1f} {unit}"
    return f"{value:,.0f} B"


def ready(runs: Sequence[PageRun]) -> list[float]:
    return [run.ready_ms for run in runs if run.ready_ms is not None]


def start_to_ready(runs: Sequence[PageRun]) -> list[float]:
    return [
        run.ready_ms - run.worker_ms for run in runs if run.ready_ms is not None and run.worker_ms is not None
    ]


def worker_at(runs: Sequence[PageRun]) -> list[float]:
    return [run.worker_ms for run in runs if run.worker_ms is not None]


def long_tasks(runs: Sequence[PageRun]) -> tuple[float, float]:
    """Median count and median total duration (ms) of the long tasks of each run."""
    return (
        median(len(run.long_tasks) for run in runs),
        median(sum(duration for _, duration in run.long_tasks) for run in runs),
    )


def task_at_worker_start(run: PageRun) -> float | None:
    """The duration of the long task during which the page created its worker, if any."""
    if run.worker_ms is None:
        return None
    for start, duration in run.long_tasks:
        if start <= run.worker_ms <= start + duration:
            return duration
    return None


def long_task_counts(runs: Sequence[PageRun]) -> str:
    count, total = long_tasks(runs)
    return f"{count:g} ({ms(total)})"


# --------------------------------------------------------------------------- figures


def pairs(browser: BrowserResults) -> dict[str, tuple[list[PageRun], list[PageRun]]]:
    """Baseline and quiz-page runs of each kind (cold, warm)."""
    return {
        "cold": (browser.baseline_cold, browser.quiz_cold),
        "warm": (browser.baseline_warm, browser.quiz_warm),
    }


def ready_figures(browser: BrowserResults, site: BuiltSite) -> list[Figure]:
    rows = []
    for kind, (baseline, quiz) in pairs(browser).items():
        rows.append(
            Figure(
                f"Baseline (bare page, Pyodide in a module worker): navigation → ready, {kind}",
                spread(ready(baseline), ms),
                "reference",
            )
        )
        rows.append(
            Figure(f"Quiz page /{site.quiz_page}: navigation → scorer ready, {kind}", spread(ready(quiz), ms))
        )
    for kind, (baseline, quiz) in pairs(browser).items():
        ratio = median(ready(quiz)) / median(ready(baseline))
        rows.append(
            Figure(
                f"Ready ratio quiz page / baseline, {kind}",
                f"{ratio:.2f}",
                f"≤ {READY_RATIO:.2f}",
                ratio <= READY_RATIO,
            )
        )
    for label, split in (("Worker created at", worker_at), ("Worker created → ready", start_to_ready)):
        rows.append(
            Figure(
                f"{label}, quiz page vs baseline: cold; warm",
                "; ".join(
                    f"{ms(median(split(quiz)))} vs {ms(median(split(baseline)))}"
                    for baseline, quiz in pairs(browser).values()
                ),
            )
        )
    return rows


def submit_figures(browser: BrowserResults) -> list[Figure]:
    dom = [submit.in_dom_ms for submit in browser.submits]
    painted = [submit.painted_ms for submit in browser.submits]
    visible = all(submit.visible for submit in browser.submits)
    return [
        Figure("Submit → result in the DOM (first submit after each cold load)", spread(dom, ms)),
        Figure(
            "Submit → result shown (next animation frame)" + ("" if visible else " - NOT visible"),
            spread(painted, ms),
            f"≤ {SUBMIT_MS:.0f} ms",
            median(painted) <= SUBMIT_MS and visible,
        ),
    ]


def byte_figures(browser: BrowserResults, site: BuiltSite) -> list[Figure]:
    chapter, quiz = browser.chapter_cold, browser.quiz_cold
    chapter_pyodide = median(run.pyodide_bytes for run in chapter)
    sweep = max(browser.plain_sweep.values(), default=0)
    return [
        Figure(
            f"Chapter page without a quiz /{site.chapter_page}, cold: bytes transferred",
            size(median(run.total_bytes for run in chapter)),
        ),
        Figure("  … of which Pyodide + engine", size(chapter_pyodide), "0 B", chapter_pyodide == 0),
        Figure(
            f"Every page without a quiz ({len(browser.plain_sweep)} pages): Pyodide + engine bytes, largest",
            size(sweep),
            "0 B",
            sweep == 0,
        ),
        Figure(
            f"Quiz page /{site.quiz_page}, cold: bytes transferred",
            size(median(run.total_bytes for run in quiz)),
        ),
        Figure("  … of which Pyodide + engine", size(median(run.pyodide_bytes for run in quiz))),
        Figure("  … everything else", size(median(run.total_bytes - run.pyodide_bytes for run in quiz))),
        Figure(
            f"Quiz page /{site.quiz_page}, warm (persistent profile): bytes transferred",
            size(median(run.total_bytes for run in browser.quiz_warm)),
        ),
    ]


def long_task_figures(browser: BrowserResults, site: BuiltSite) -> list[Figure]:
    extra = max(0.0, long_tasks(browser.quiz_cold)[0] - long_tasks(browser.chapter_cold)[0])
    during = [task for run in browser.quiz_cold if (task := task_at_worker_start(run)) is not None]
    during_text = f"in {len(during)} of {len(browser.quiz_cold)} runs" + (
        f", {ms(median(during))}" if during else ""
    )
    return [
        Figure(
            f"Main-thread long tasks, quiz page /{site.quiz_page}, navigation → scorer ready (cold)",
            long_task_counts(browser.quiz_cold),
        ),
        Figure(
            f"Main-thread long tasks, chapter page /{site.chapter_page}, navigation → network idle (cold)",
            long_task_counts(browser.chapter_cold),
        ),
        Figure("Long tasks from the scorer (quiz page minus chapter page)", f"{extra:g}", "0", extra == 0),
        Figure(
            f"  … for attribution: /{site.quiz_page} with quiz.js blocked, navigation → network idle (cold)",
            long_task_counts(browser.quiz_without_scorer),
        ),
        Figure("  … a long task was running when quiz.js created the worker", during_text),
    ]


def build_figures(builds: BuildResults) -> list[Figure]:
    plain = median(builds.plain)
    rows = [
        Figure(
            "`mkdocs build --strict` of the site, worksheet PDF printed by Chromium",
            spread(builds.site_fresh_pdf, seconds),
        ),
        Figure(
            "  … worksheet PDF reused from .cache (page unchanged, as on a rebuild)",
            spread(builds.site, seconds),
        ),
        Figure("  … with BB_SKIP_PDF=1 (no PDF step)", spread(builds.site_without_pdf, seconds)),
        Figure(
            "`mkdocs build` of the same docs/ with plain Material", spread(builds.plain, seconds), "reference"
        ),
    ]
    for label, values in (
        ("PDF printed", builds.site_fresh_pdf),
        ("PDF reused from .cache", builds.site),
        ("without PDF", builds.site_without_pdf),
    ):
        ratio = median(values) / plain
        rows.append(
            Figure(
                f"Build ratio site / plain Material, {label}",
                f"{ratio:.2f}",
                f"≤ {BUILD_RATIO:.1f}",
                ratio <= BUILD_RATIO,
            )
        )
    return rows


def lighthouse_figures(results: Sequence[lighthouse.LighthouseResult]) -> list[Figure]:
    goal = " / ".join(f"≥ {value}" if value < 100 else str(value) for value in lighthouse.GOALS.values())
    rows = []
    for result in results:
        label = (
            f"Lighthouse /{result.page} ({lighthouse.PRESET}): performance / accessibility / best practices"
        )
        if result.error:
            rows.append(Figure(label, f"not run: {result.error}", goal))
            continue
        value = " / ".join(str(result.scores.get(name, "?")) for name in lighthouse.GOALS)
        if result.third_party:
            value += f"; third-party hosts: {', '.join(result.third_party)}"
        rows.append(Figure(label, value, goal, result.met))
    return rows


# --------------------------------------------------------------------------- notes


def ready_note(browser: BrowserResults, kinds: Sequence[str]) -> str:
    """Why the quiz page is later than the bare page: a later worker start, a longer start-up, or both."""
    later, longer = [], []
    for kind in kinds:
        baseline, quiz = pairs(browser)[kind]
        quiz_at, base_at = median(worker_at(quiz)), median(worker_at(baseline))
        quiz_run, base_run = median(start_to_ready(quiz)), median(start_to_ready(baseline))
        later.append(f"{ms(quiz_at)} vs {ms(base_at)} ({kind})")
        if quiz_run > base_run:
            longer.append(f"{ms(quiz_run)} vs {ms(base_run)} ({kind})")
    why = (
        f"the quiz page creates its worker later than the bare page, {', '.join(later)}: quiz.js starts it from "
        "an async module at the top of `<head>`, but it still competes with the theme's stylesheet, bundle and "
        "search worker for the page's two cores"
    )
    fix = (
        "inline the few lines that create the worker into `<head>` (hashed for the CSP) so no module fetch "
        "comes first, and start Material's search worker only when search is opened"
    )
    if longer:
        why += (
            f"; and worker → ready takes longer, {', '.join(longer)}: after `loadPyodide` the scorer fetches, "
            "verifies and installs the engine wheel (`loadPackage`) and imports the engine"
        )
        fix += (
            "; fetch the wheel while `loadPyodide` runs (e.g. `unpackArchive` of bytes fetched in parallel)"
        )
    return f"**Ready ratio.** Why: {why}. Fix: {fix}."


def long_task_note(browser: BrowserResults) -> str:
    during = [task for run in browser.quiz_cold if (task := task_at_worker_start(run)) is not None]
    quiz, blocked = long_tasks(browser.quiz_cold)[0], long_tasks(browser.quiz_without_scorer)[0]
    verdict = (
        "the same page with quiz.js blocked has as many, so the extra ones come with the page (a longer page "
        "with many form controls for Material to set up), not with the scorer"
        if blocked >= quiz
        else f"the same page with quiz.js blocked has {quiz - blocked:g} fewer, so those come with the scorer"
    )
    return (
        f"**Long tasks.** Why: before the scorer is ready the quiz page has {long_task_counts(browser.quiz_cold)} "
        f"long tasks, a chapter page {long_task_counts(browser.chapter_cold)}, and the quiz page with quiz.js "
        f"blocked {long_task_counts(browser.quiz_without_scorer)}: {verdict}. Pyodide runs in the worker; on the "
        f"main thread quiz.js binds the form and creates the worker inside one of these tasks ({len(during)} of "
        f"{len(browser.quiz_cold)} runs). Fix: record a performance trace of the quiz page to attribute them, "
        "then split or defer that work (e.g. start the worker in its own task, before binding the form); "
        "on a loaded machine, re-run: these counts are noisy."
    )


def notes(
    figures: Sequence[Figure],
    browser: BrowserResults,
    builds: BuildResults,
    lighthouse_results: Sequence[lighthouse.LighthouseResult],
) -> list[str]:
    """Why each missed target was missed and what would fix it (from the measured figures)."""
    missed = {figure.label for figure in figures if figure.met is False}
    out = []
    ready_missed = [kind for kind in pairs(browser) if f"Ready ratio quiz page / baseline, {kind}" in missed]
    if ready_missed:
        out.append(ready_note(browser, ready_missed))
    if any(label.startswith("Submit") for label in missed):
        out.append(
            "**Submit → result.** Why: one round trip to the worker, `score_json` in Pyodide, then the page "
            "inserts the HTML and the next frame paints it. Fix: profile `score_json` under Pyodide and the "
            "result's HTML size; keep the spec in the worker so each submit only sends the answers."
        )
    if any("Pyodide + engine" in label for label in missed):
        pages = (
            ", ".join(f"/{page}" for page, count in browser.plain_sweep.items() if count)
            or "the chapter page"
        )
        out.append(
            f"**Pyodide bytes without a quiz** ({pages}). Why: something starts the scorer on pages without a "
            "quiz form. Fix: create the worker only when the page has a `form[data-quiz]`."
        )
    if "Long tasks from the scorer (quiz page minus chapter page)" in missed:
        out.append(long_task_note(browser))
    if any(label.startswith("Build ratio") for label in missed):
        pdf_cost = median(builds.site_fresh_pdf) - median(builds.site_without_pdf)
        out.append(
            f"**Build ratio.** Why: on top of Material, the site build renders the quizzes (macros), builds "
            f"the engine wheel and lockfile, copies ~13 MB of Pyodide, rewrites every page's CSP and, when "
            f"the worksheet changed, prints its PDF with headless Chromium ({seconds(pdf_cost)} of the median). "
            "A rebuild with the worksheet unchanged reuses the PDF from .cache; BB_SKIP_PDF=1 skips it. "
            "Fix: print the PDF in a background thread while the rest of the build finishes, and hard-link "
            "Pyodide instead of copying it."
        )
    for result in lighthouse_results:
        if result.met is False:
            weak = ", ".join(result.weak_audits) or "see the Lighthouse report"
            out.append(f"**Lighthouse /{result.page}.** Audits that cost points: {weak}.")
        elif result.error:
            out.append(f"**Lighthouse /{result.page}** could not run: {result.error}.")
    return out


# --------------------------------------------------------------------------- environment


def _first_line(path: Path, prefix: str) -> str:
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(prefix):
                return line.split("=", 1)[-1].split(":", 1)[-1].strip().strip('"')
    except OSError:
        pass
    return "unknown"


def memory_gib() -> float:
    kib = _first_line(Path("/proc/meminfo"), "MemTotal").split()[0]
    return int(kib) / 2**20 if kib.isdigit() else 0.0


def chromium_version() -> str:
    result = subprocess.run([str(CHROMIUM), "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip() or "unknown"


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment(site: BuiltSite, runs: int, load: tuple[float, float]) -> list[tuple[str, str]]:
    lock = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    return [
        ("Date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        (
            "Machine",
            f"{_first_line(Path('/proc/cpuinfo'), 'model name')}, {os.cpu_count()} cores, "
            f"{memory_gib():.0f} GiB RAM",
        ),
        ("Load average (1 min) at start / end", f"{load[0]:.2f} / {load[1]:.2f}"),
        ("OS", f"{_first_line(Path('/etc/os-release'), 'PRETTY_NAME=')}, Linux {platform.release()}"),
        ("Browser", f"{chromium_version()}, headless, driven by Playwright {package_version('playwright')}"),
        ("Pyodide", f"{site.pyodide_version} (Python {lock['info']['python']}), self-hosted"),
        ("Python (build)", platform.python_version()),
        (
            "MkDocs / Material / mkdocs-macros",
            f"{package_version('mkdocs')} / {package_version('mkdocs-material')} / {package_version('mkdocs-macros-plugin')}",
        ),
        ("Lighthouse", f"{lighthouse.version() or 'not installed'} ({lighthouse.PRESET} preset)"),
        ("Runs per figure", f"{runs} (medians; min-max in brackets)"),
    ]


# --------------------------------------------------------------------------- Markdown

HOW_MEASURED = """\
- One `make bench` run (`python -m benchmarks.run`) builds the real site into a temporary directory with
  `site_url` equal to the origin it is then served from (`tests/helpers.py`: `build`, `serve`, which also
  sends the site's `_headers` CSP), and copies a bare baseline page (`benchmarks/baseline/`) into it: it only
  starts the same `assets/pyodide/<version>/` in a module worker (`import(pyodide.mjs)`, `loadPyodide` with
  the site's own lockfile) and says "ready". Same origin, same files, same headers.
- Debian Chromium through Playwright, with the browser tests' flags (`tests/conftest.py`, including the
  host-resolver rule that makes any third-party request fail). Cold = a fresh browser context per run
  (empty cache); warm = one persistent profile (`launch_persistent_context`), where a first visit of each
  page fills the disk cache and the following visits are measured. Baseline and quiz page runs alternate.
- Times are taken in the page with `performance.now()` (from the navigation start) by an init script:
  "ready" is when `[data-quiz-state]` (or the baseline's state element) gets `data-status="ready"`
  (MutationObserver); long tasks come from a buffered `PerformanceObserver('longtask')`, counted from
  navigation to ready on the quiz page and to network idle on the chapter page; the scorer's long tasks are
  the difference. Submit → result: every item answered, then the time from the click on "Show my results"
  to `.bb-result__overall` in the DOM, and to the next animation frame ("shown"), first submit of each cold
  visit.
- Bytes: headers + encoded body of every finished request of the page and its workers (Playwright
  `request.sizes()`; Content-Length where Chromium reports 0 for a worker script on a cold visit). Pyodide
  bytes are those under `assets/pyodide/` and `assets/engine/`. On warm visits a response served from the
  HTTP cache counts 0 and a 304 revalidation its headers. Every page of the sitemap without a quiz is also
  visited once (cold) to check it loads none.
- Builds: wall clock of `mkdocs build --strict` of the project (with and without `BB_SKIP_PDF=1`) and of
  `mkdocs build` with a temporary plain-Material `mkdocs.yml` over the same `docs/` (same nav, Markdown
  extensions and theme settings; no overrides, hooks, macros or extra assets; relaxed validation),
  interleaved, each into a fresh directory.
- Lighthouse from `node_modules` (pinned in `package.json`) with `CHROME_PATH=/usr/bin/chromium`, the same
  Chromium flags, categories performance, accessibility and best practices, desktop preset.
- Figures are for this machine only and are never asserted; other work on the machine (see the load
  average) makes them noisier.
"""


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def markdown(env: Sequence[tuple[str, str]], figures: Sequence[Figure], note_lines: Sequence[str]) -> str:
    met = sum(figure.met is True for figure in figures)
    missed = [figure.label for figure in figures if figure.met is False]
    parts = [
        "# Benchmarks",
        "Written by `make bench` (`benchmarks/run.py`). A benchmark, not a test: targets are reported, never asserted.",
        "## Machine and versions",
        table(env, ("", "")),
        "## Results",
        table(
            [(f.label, f.value, f.target, f.status) for f in figures],
            ("Figure", "Median (min-max)", "Target", "Status"),
        ),
        f"Targets met: {met} of {met + len(missed)}.",
    ]
    if note_lines:
        parts += [
            "## Missed targets: why, and what would fix it",
            "\n".join(f"- {line}" for line in note_lines),
        ]
    parts += ["## How measured", HOW_MEASURED.rstrip()]
    return "\n\n".join(parts) + "\n"
