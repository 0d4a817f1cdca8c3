"""Figures, targets and the Markdown report (printed and written to ``BENCHMARKS.md``)."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from tests.helpers import CHROMIUM, ROOT

from benchmarks import lighthouse
from benchmarks.browser import (
    FIRST_ANSWER_MS,
    LAST_ANSWER_MS,
    SLOW_4G,
    SUBMIT_AT_MS,
    BrowserResults,
    PageRun,
    ScorerFrame,
    SlowRun,
)
from benchmarks.builds import BuildResults
from benchmarks.site import BuiltSite
from brickbybrick.plugin import pdf

READY_RATIO = 1.10
SUBMIT_MS = 50.0
SLOW_READY_S = 25.0
SLOW_SUBMIT_MS = 100.0
GZIP_BYTES = 4.5e6
RAW_BYTES = 10.5e6
BUILD_RATIO = 2.0
# Pyodide's own files that no trimming can shrink (the interpreter and its JavaScript glue).
CORE_FILES = ("pyodide.asm.wasm", "pyodide.asm.mjs")


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
    if not values:
        return "no runs"
    return f"{fmt(median(values))} ({fmt(min(values))}-{fmt(max(values))})"


def ms(value: float) -> str:
    return f"{value:,.0f} ms"


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def seconds1(value: float) -> str:
    return f"{value:.1f} s"


def ratio(value: float) -> str:
    return f"{value:.2f}"


def size(value: float) -> str:
    for unit, scale in (("MB", 1e6), ("kB", 1e3)):
        if value >= scale:
            return f"{value / scale:,.2f} {unit}" if unit == "MB" else f"{value / scale:,.1f} {unit}"
    return f"{value:,.0f} B"


def ready(runs: Sequence[PageRun]) -> list[float]:
    return [run.ready_ms for run in runs if run.ready_ms is not None]


def start_to_ready(runs: Sequence[PageRun]) -> list[float]:
    return [
        run.ready_ms - run.worker_ms for run in runs if run.ready_ms is not None and run.worker_ms is not None
    ]


def worker_at(runs: Sequence[PageRun]) -> list[float]:
    return [run.worker_ms for run in runs if run.worker_ms is not None]


def busy(runs: Sequence[PageRun]) -> list[float]:
    return [run.main_thread_ms for run in runs if run.main_thread_ms is not None]


def pair_ratios(baseline: Sequence[PageRun], quiz: Sequence[PageRun]) -> list[float]:
    """Quiz-page ready / baseline ready for each pair of runs (same round, one after the other)."""
    return [
        q.ready_ms / b.ready_ms
        for b, q in zip(baseline, quiz, strict=False)
        if b.ready_ms is not None and q.ready_ms is not None
    ]


def long_tasks(runs: Sequence[PageRun]) -> tuple[float, float]:
    """Median count and median total duration (ms) of the long tasks of each run."""
    if not runs:
        return 0.0, 0.0
    return (
        median(len(run.long_tasks) for run in runs),
        median(sum(duration for _, duration in run.long_tasks) for run in runs),
    )


def long_task_counts(runs: Sequence[PageRun]) -> str:
    count, total = long_tasks(runs)
    return f"{count:g} ({ms(total)})"


def scorer_made(run: PageRun) -> list[ScorerFrame]:
    return [frame for frame in run.scorer_frames if frame.made_long_by_scorer]


def uncompressed(run: PageRun, site: BuiltSite) -> int:
    """The uncompressed size of the files whose body the run's Pyodide and engine requests moved."""
    return sum(site.runtime_sizes.get(path, 0) for path, _, body in run.pyodide_requests if body > 0)


def gzip_only(run: PageRun, site: BuiltSite) -> int:
    """The bytes the run's Pyodide and engine requests would move from a host serving only ``.gz``."""
    return sum(site.gzip_sizes.get(path, 0) for path, _, body in run.pyodide_requests if body > 0)


def repeated(run: PageRun) -> list[str]:
    """Pyodide / engine URL paths the run requested more than once."""
    counts = Counter(path for path, _, _ in run.pyodide_requests)
    return sorted(path for path, count in counts.items() if count > 1)


def repeated_bytes(run: PageRun, site: BuiltSite) -> tuple[int, int]:
    """Bytes of the second and later requests of a repeated path: as transferred, uncompressed."""
    seen: set[str] = set()
    wire = raw = 0
    for path, wire_size, body in run.pyodide_requests:
        if path in seen:
            wire += wire_size
            raw += site.runtime_sizes.get(path, 0) if body > 0 else 0
        seen.add(path)
    return wire, raw


def name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def core_size(site: BuiltSite) -> int:
    return sum(size for path, size in site.runtime_sizes.items() if name(path) in CORE_FILES)


def slow_ready_s(runs: Sequence[SlowRun]) -> list[float]:
    return [run.page.ready_ms / 1000 for run in runs if run.page.ready_ms is not None]


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
                f"Baseline (bare page, same Pyodide and stdlib in a module worker): navigation → ready, {kind}",
                spread(ready(baseline), ms),
                "reference",
            )
        )
        rows.append(
            Figure(f"Quiz page /{site.quiz_page}: navigation → scorer ready, {kind}", spread(ready(quiz), ms))
        )
    rows.insert(
        1,
        Figure(
            "  … the bare page also installing the engine's files and importing the engine (no checks), cold",
            spread(ready(browser.baseline_engine_cold), ms),
            "reference",
        ),
    )
    for kind, (baseline, quiz) in pairs(browser).items():
        ratios = pair_ratios(baseline, quiz)
        rows.append(
            Figure(
                f"Ready ratio quiz page / baseline, {kind} (median of {len(ratios)} per-pair ratios)",
                spread(ratios, ratio),
                f"≤ {READY_RATIO:.2f}",
                bool(ratios) and median(ratios) <= READY_RATIO,
            )
        )
    for label, runs in (
        (
            "the wasm handed to Pyodide as a Response made from fetched bytes (as the scorer does)",
            browser.baseline_bytes_warm,
        ),
        (
            "the wasm fetched with `integrity` (Subresource Integrity) instead",
            browser.baseline_integrity_warm,
        ),
    ):
        if runs:
            rows.append(
                Figure(
                    f"  … bare page, warm, {label}: worker created → ready",
                    spread(start_to_ready(runs), ms),
                    "reference",
                )
            )
    for label, split in (
        ("Worker created at", worker_at),
        ("Worker created → ready", start_to_ready),
        ("Main-thread task time, navigation → ready (the page's own CPU while the scorer starts)", busy),
    ):
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


def slow_figures(browser: BrowserResults, site: BuiltSite) -> list[Figure]:
    runs = browser.slow
    if not runs:
        return []
    n = len(runs)
    ready_s = slow_ready_s(runs)
    all_ready = len(ready_s) == n
    submits = [run.submit for run in runs if run.submit is not None]
    painted = [submit.painted_ms for submit in submits]
    shown = len(submits) == n and all(submit.visible for submit in submits)
    before = sum(
        run.page.ready_ms is not None and run.submit is not None and run.page.ready_ms <= run.submit.at_ms
        for run in runs
    )
    progress = [run.progress_ms / 1000 for run in runs if run.progress_ms is not None]
    prefix = f"Slow 4G, cold quiz page /{site.quiz_page} ({n} runs)"
    return [
        Figure(
            f"{prefix}: navigation → scorer state first shows 'Preparing the scorer: X of Y MB'"
            + ("" if len(progress) == n else f" (in {len(progress)} of {n} runs)"),
            spread(progress, seconds1),
        ),
        Figure(
            f"{prefix}: navigation → scorer ready"
            + ("" if all_ready else f" (ready in {len(ready_s)} of {n})"),
            spread(ready_s, seconds1),
            f"≤ {SLOW_READY_S:.0f} s",
            all_ready and median(ready_s) <= SLOW_READY_S,
        ),
        Figure(
            f"{prefix}: 20 answers from {FIRST_ANSWER_MS / 1000:.0f} s to {LAST_ANSWER_MS / 1000:.0f} s, "
            f"submit at {SUBMIT_AT_MS / 1000:.0f} s → result shown"
            + ("" if shown else f" (result shown in {len(submits)} of {n})")
            + f"; scorer was ready before the submit in {before} of {n}",
            spread(painted, ms),
            f"≤ {SLOW_SUBMIT_MS:.0f} ms",
            shown and bool(painted) and median(painted) <= SLOW_SUBMIT_MS,
        ),
        Figure(
            f"{prefix}: Pyodide + engine bytes transferred",
            spread([float(run.page.pyodide_bytes) for run in runs], size),
        ),
    ]


def byte_figures(browser: BrowserResults, site: BuiltSite) -> list[Figure]:
    chapter, quiz = browser.chapter_cold, browser.quiz_cold
    chapter_pyodide = median(run.pyodide_bytes for run in chapter)
    sweep = max(browser.plain_sweep.values(), default=0)
    wire = median(run.pyodide_bytes for run in quiz)
    gzip = median(gzip_only(run, site) for run in quiz)
    raw = median(uncompressed(run, site) for run in quiz)
    twice = repeated(quiz[0])
    twice_wire, twice_raw = repeated_bytes(quiz[0], site)
    rows = [
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
            f"Quiz page /{site.quiz_page}, cold: bytes transferred (server sends the .br, else the .gz files)",
            size(median(run.total_bytes for run in quiz)),
        ),
        Figure(
            "  … of which Pyodide + engine, as transferred (Brotli where the build wrote a .br, else gzip)",
            size(wire),
        ),
        Figure(
            "  … Pyodide + engine, the same requests from a host that serves only the .gz files",
            size(gzip),
            f"≤ {size(GZIP_BYTES)}",
            gzip <= GZIP_BYTES,
        ),
        Figure(
            "  … Pyodide + engine, the same requests uncompressed (file sizes)",
            size(raw),
            f"≤ {size(RAW_BYTES)}",
            raw <= RAW_BYTES,
        ),
        Figure(
            f"  … requested twice: {', '.join(name(path) for path in twice) or 'none'}; the second requests",
            f"{size(twice_wire)} transferred, {size(twice_raw)} uncompressed",
        ),
        Figure("  … everything else", size(median(run.total_bytes - run.pyodide_bytes for run in quiz))),
        Figure(
            f"Quiz page /{site.quiz_page}, warm (persistent profile): bytes transferred",
            size(median(run.total_bytes for run in browser.quiz_warm)),
        ),
    ]
    return rows


def long_task_figures(browser: BrowserResults, site: BuiltSite) -> list[Figure]:
    rows = []
    for label, runs in (("cold", browser.quiz_cold), ("Slow 4G", [run.page for run in browser.slow])):
        if not runs:
            continue
        counts = [len(scorer_made(run)) for run in runs]
        with_any = sum(count > 0 for count in counts)
        rows.append(
            Figure(
                f"Main-thread long frames made long by the scorer (quiz.js, protocol.js), /{site.quiz_page} "
                f"navigation → ready, {label}: median per run (runs with any)",
                f"{median(counts):g} ({with_any} of {len(runs)})",
                "0",
                median(counts) == 0,
            )
        )
    scorer_time = [sum(frame.scorer_ms for frame in run.scorer_frames) for run in browser.quiz_cold]
    rows += [
        Figure(
            "  … the scorer's own script time inside long frames, cold, per run",
            spread(scorer_time, ms),
        ),
        Figure(
            f"Main-thread long tasks, quiz page /{site.quiz_page}, navigation → scorer ready (cold)",
            long_task_counts(browser.quiz_cold),
        ),
        Figure(
            "  … the same page with quiz.js blocked, navigation → network idle (cold)",
            long_task_counts(browser.quiz_without_scorer),
        ),
        Figure(
            f"  … chapter page /{site.chapter_page}, navigation → network idle (cold)",
            long_task_counts(browser.chapter_cold),
        ),
    ]
    return rows


def build_figures(builds: BuildResults) -> list[Figure]:
    plain = median(builds.plain)
    rows = [
        Figure(
            "`mkdocs build --strict` of the site, worksheet PDF printed afresh by Chromium",
            spread(builds.site_fresh_pdf, seconds),
        ),
        Figure(
            "  … Chromium's own printing time, as the build logs it (in a background thread)",
            spread(builds.printing, seconds),
        ),
        Figure(
            "  … the same build again, worksheet unchanged (as on a rebuild); the build reused the cached "
            f"PDF in {sum(builds.reused)} of {len(builds.reused)}",
            spread(builds.site, seconds),
        ),
        Figure("  … with BB_SKIP_PDF=1 (no PDF step)", spread(builds.site_without_pdf, seconds)),
        Figure(
            "  … first build, no .cache at all (PDF printed; Pyodide comes with its .gz and .br copies)",
            spread(builds.site_first, seconds),
        ),
        Figure(
            "`mkdocs build` of the same docs/ with plain Material", spread(builds.plain, seconds), "reference"
        ),
    ]
    # Per round, as the ready ratio is per pair: the two builds of a round ran a few seconds apart.
    per_round = [site / base for site, base in zip(builds.site_fresh_pdf, builds.plain, strict=True)]
    fresh = median(per_round)
    rows.append(
        Figure(
            f"Build ratio site / plain Material, PDF printed afresh (median of {len(per_round)} per-round "
            f"ratios; ratio of the medians {median(builds.site_fresh_pdf) / plain:.2f})",
            spread(per_round, ratio),
            f"≤ {BUILD_RATIO:.1f}",
            fresh <= BUILD_RATIO,
        )
    )
    others = "; ".join(
        f"{label} {median(values) / plain:.2f}"
        for label, values in (
            ("rebuild", builds.site),
            ("without PDF", builds.site_without_pdf),
            ("first build", builds.site_first),
        )
    )
    rows.append(Figure("  … the other builds / plain Material", others))
    return rows


def lighthouse_groups(
    results: Sequence[lighthouse.LighthouseResult],
) -> list[list[lighthouse.LighthouseResult]]:
    """Runs of the same page and preset together, in the order they were run."""
    groups: dict[tuple[str, str], list[lighthouse.LighthouseResult]] = {}
    for result in results:
        groups.setdefault((result.page, result.preset), []).append(result)
    return list(groups.values())


def representative(runs: Sequence[lighthouse.LighthouseResult]) -> lighthouse.LighthouseResult:
    """The run with the median performance score (the first run if none has a score)."""
    scored = sorted(
        (run for run in runs if "performance" in run.scores), key=lambda run: run.scores["performance"]
    )
    return scored[(len(scored) - 1) // 2] if scored else runs[0]


def lighthouse_figures(results: Sequence[lighthouse.LighthouseResult]) -> list[Figure]:
    goal = " / ".join(f"≥ {value}" if value < 100 else str(value) for value in lighthouse.GOALS.values())
    rows = []
    for runs in lighthouse_groups(results):
        result = representative(runs)
        count = f", median of {len(runs)} runs" if len(runs) > 1 else ""
        label = f"Lighthouse /{result.page} ({result.preset}{count}): performance / accessibility / best practices"
        if result.error:
            rows.append(Figure(label, f"not run: {result.error}", goal))
            continue
        value = " / ".join(str(result.scores.get(name_, "?")) for name_ in lighthouse.GOALS)
        performance = [run.scores["performance"] for run in runs if "performance" in run.scores]
        if len(performance) > 1:
            value += f" (performance {min(performance)}-{max(performance)})"
        if result.metrics:
            value += "; " + ", ".join(result.metrics)
        if result.third_party:
            value += f"; third-party hosts: {', '.join(result.third_party)}"
        rows.append(Figure(label, value, goal, result.met))
    return rows


# --------------------------------------------------------------------------- notes


@dataclass(frozen=True)
class Stages:
    """Medians over runs, in ms from the navigation start, of a scorer's start-up."""

    worker: float  # the page created the worker
    first_request: float  # the worker requested its first Pyodide / engine file
    bytes_in: float  # the last byte of the first request of every file arrived
    last_request: float  # every request (repeated ones too) has finished
    ready: float

    def text(self) -> str:
        return (
            f"worker {ms(self.worker)}, first file requested +{ms(self.first_request - self.worker)}, "
            f"every byte in +{ms(self.bytes_in - self.first_request)}, last request done "
            f"+{ms(self.last_request - self.bytes_in)}, ready +{ms(self.ready - self.last_request)}"
        )


def stages(runs: Sequence[PageRun]) -> Stages | None:
    rows = []
    for run in runs:
        if not run.timeline or run.ready_ms is None or run.worker_ms is None:
            continue
        seen: set[str] = set()
        bytes_in = 0.0
        for path, _start, end in run.timeline:
            if path not in seen:
                bytes_in = max(bytes_in, end)
            seen.add(path)
        last = max(end for _, _, end in run.timeline)
        rows.append((run.worker_ms, run.timeline[0][1], bytes_in, last, run.ready_ms))
    if not rows:
        return None
    return Stages(*(median(row[index] for row in rows) for index in range(5)))


def ready_note(browser: BrowserResults, kinds: Sequence[str], site: BuiltSite) -> str:
    """Why the quiz page is later than the bare page, from the measured stages of its start-up."""
    measured = []
    for kind in kinds:
        baseline, quiz = pairs(browser)[kind]
        quiz_stages, base_stages = stages(quiz), stages(baseline)
        if quiz_stages and base_stages:
            measured.append(f"{kind}, quiz page: {quiz_stages.text()}; bare page: {base_stages.text()}")
    twice_wire = median(repeated_bytes(run, site)[0] for run in browser.quiz_cold)
    baseline, quiz = pairs(browser)["cold"]
    page_cpu = (
        f"on a cold visit its main thread is busy {ms(median(busy(quiz)))} before the scorer is ready, the "
        f"bare page's {ms(median(busy(baseline)))} (the theme's bundle, style and layout of a chapter with "
        "its forms), and on two cores that CPU is the scorer's too; "
        if busy(quiz) and busy(baseline)
        else ""
    )
    why = (
        "the quiz page is a full chapter (its HTML, the theme's stylesheets and bundle): "
        + page_cpu
        + "quiz.js creates the worker only once it has run, after the page's first parse; the worker's blob: "
        "module fetches protocol.js and scorer-worker.js (side by side) before any Pyodide file is asked for, "
        "and it first asks the browser's cache for each file (a miss on a cold visit); it waits for the page's "
        "load (and idle, 1 s at most) before compiling, so as not to slow the page itself; it counts and "
        "hashes every byte (Pyodide compiles the wasm while it streams, but the last piece of each file is "
        "handed over only once the file's sha256 matches); and it writes the engine's files into "
        "site-packages and imports the engine, which the bare page does not do"
    )
    if twice_wire > 10_000:
        why += (
            f"; `import()` of {', '.join(name(path) for path in repeated(browser.quiz_cold[0]))} downloads them a "
            f"second time ({size(twice_wire)})"
        )
    fix = (
        "none found that keeps the page first. The page's own CPU and the scorer's share two cores, so "
        "whatever starts the scorer sooner slows the page. Measured and kept out: creating the worker from an "
        "inline script at the top of <head> (ratio 0.06-0.11 lower in two runs of 7 pairs, but mobile "
        "Lighthouse median 88.5 vs 96 over 6 runs each, its blocking time doubled); also starting the "
        "downloads there (the page's load came 250 ms later and ready later, in a 3-run probe); not waiting "
        "for the page's load (no gain beyond the noise, Lighthouse 86); the worker's two modules bundled into "
        "its blob, so that it fetches nothing before Pyodide's files (ratio 1.27 vs 1.30 over 15 rounds, "
        "inside the noise: the compile still waits for the page's load). Kept: the theme's search index is "
        "built only once the scorer is ready or the reader turns to search. More cores would likely close "
        "much of the gap (not measured here)"
    )
    stages_text = " ".join(f"Medians ({line})." for line in measured)
    if browser.baseline_bytes_warm and "warm" in kinds:
        bare = median(start_to_ready(browser.baseline_warm))
        as_bytes = median(start_to_ready(browser.baseline_bytes_warm))
        with_sri = median(start_to_ready(browser.baseline_integrity_warm))
        stages_text += (
            f" Warm, the bare page's worker → ready takes {ms(bare)}; handing the wasm over as bytes makes it "
            f"{ms(as_bytes)} ({as_bytes - bare:+,.0f} ms), and fetching it with `integrity` {ms(with_sri)} "
            f"({with_sri - bare:+,.0f} ms): Chromium reuses compiled wasm from its code cache for a response it "
            "streams from the HTTP cache, not for a Response built from bytes; the scorer takes a file the "
            "browser holds from its cache with `integrity` for that reason."
        )
    if browser.baseline_engine_cold and "cold" in kinds:
        bare, engine = median(ready(browser.baseline_cold)), median(ready(browser.baseline_engine_cold))
        scorer = median(ready(browser.quiz_cold))
        if engine <= bare:
            stages_text += (
                f" Installing and importing the engine cost the bare page nothing measurable (its median, cold, "
                f"{ms(engine)} against {ms(bare)} without: inside the noise)."
            )
        else:
            stages_text += (
                f" Installing and importing the engine costs the bare page {ms(engine - bare)} (cold), "
                f"{(engine - bare) / max(1.0, scorer - bare):.0%} of the quiz page's {ms(scorer - bare)} over it; "
                f"even done as plainly as that, the ratio would be {engine / bare:.2f}"
                + (
                    f", so the engine's own start-up already uses more than the {READY_RATIO:.2f} allowance."
                    if engine / bare > READY_RATIO
                    else "."
                )
            )
    return f"**Ready ratio.** {stages_text} Why: {why}. Fix (in src/): {fix}."


def slow_note(browser: BrowserResults, site: BuiltSite) -> str:
    runs = [run.page for run in browser.slow if run.page.timeline and run.page.ready_ms is not None]
    measured = stages(runs)
    if measured is None:
        errors = "; ".join(sorted({run.error or "no timeline" for run in browser.slow}))
        return f"**Slow 4G.** The scorer never became ready: {errors}."
    once = median(run.pyodide_bytes - repeated_bytes(run, site)[0] for run in runs)
    seconds_moving = (measured.bytes_in - measured.first_request) / 1000
    rate = once / seconds_moving
    link = SLOW_4G["downloadThroughput"]
    floor = once / link
    return (
        f"**Slow 4G ready.** Medians of {len(runs)} runs: {measured.text()}. The first Pyodide file is asked for "
        f"at {measured.first_request / 1000:.1f} s: the page, quiz.js, then the worker's two modules (side by "
        f"side) come first, each at least a {SLOW_4G['latency']:.1f} ms round trip. Then {size(once)} arrive at "
        f"{rate / 1e3:.0f} kB/s of the link's {link / 1e3:.0f} kB/s, {seconds_moving:.1f} s; at that rate the "
        f"bytes alone ({floor:.1f} s at full speed) use {floor / SLOW_READY_S:.0%} of the {SLOW_READY_S:.0f} s, "
        f"and the start-up after the last byte takes {(measured.ready - measured.last_request) / 1000:.1f} s "
        "(sha256 checks, the rest of the wasm compile, Python start, engine import). Fix (in src/): "
        "fewer bytes (the wasm is three quarters of them), or start the worker from the page's first bytes "
        "(an inline bootstrap) to save the quiz.js round trip."
    )


def bytes_note(browser: BrowserResults, site: BuiltSite, missed: set[str]) -> str:
    quiz = browser.quiz_cold[0]
    twice_wire, twice_raw = repeated_bytes(quiz, site)
    gzip = median(gzip_only(run, site) for run in browser.quiz_cold)
    raw = median(uncompressed(run, site) for run in browser.quiz_cold)
    wasm = sum(size_ for path, size_ in site.runtime_sizes.items() if name(path) == "pyodide.asm.wasm")
    again = f", of which {size(twice_wire)} are second downloads" if twice_wire > 10_000 else ""
    parts, fixes = [], []
    if any("serves only the .gz" in label for label in missed):
        parts.append(
            f"from a host serving only .gz, {size(gzip)}{again}; gzip leaves the {size(wasm)} wasm at about "
            "a third, and the standard library ships as bytecode (larger than source, but not compiled "
            "at every start)"
        )
        fixes.append("a host that serves the `.br` files (the transferred figure above)")
    if any("requests uncompressed" in label for label in missed):
        parts.append(
            f"uncompressed, {size(raw)}: Pyodide's interpreter alone, {' + '.join(CORE_FILES)}, is "
            f"{size(core_size(site))}, more than the {size(RAW_BYTES)} target, so no trimming of the standard "
            "library or the engine can meet it"
            + (f" (second downloads add {size(twice_raw)})" if twice_raw else "")
        )
        fixes.append("only a smaller Pyodide build could meet the uncompressed target")
    return f"**Pyodide bytes on a quiz page.** {'; '.join(parts)}. Fix: {'; '.join(fixes)}."


def long_task_note(browser: BrowserResults) -> str:
    frames = [
        frame
        for run in [*browser.quiz_cold, *(slow.page for slow in browser.slow)]
        for frame in scorer_made(run)
    ]
    shown = "; ".join(
        f"{ms(frame.duration_ms)} frame at {ms(frame.start_ms)}, {ms(frame.scorer_ms)} of it in {frame.invoker}"
        for frame in frames[:6]
    )
    return (
        f"**Long tasks from the scorer.** Frames the scorer's code made long: {shown}. Fix: split that work "
        "into smaller tasks, or re-run on a quiet machine to rule out load (the counts are noisy when other "
        "work shares the two cores)."
    )


def build_note(builds: BuildResults) -> str:
    plain = median(builds.plain)
    fresh, without = median(builds.site_fresh_pdf), median(builds.site_without_pdf)
    printing = median(builds.printing) if builds.printing else 0.0
    profile = builds.profile
    total = profile.get("total", 0.0)
    shares = sorted(
        ((label, value) for label, value in profile.items() if label != "total" and value >= 0.01 * total),
        key=lambda item: -item[1],
    )
    shown = ", ".join(f"{label} {value / total:.0%}" for label, value in shares) if total else "not profiled"
    return (
        f"**Build ratio.** Why: the build without the PDF already takes {seconds(without)}, "
        f"{without / plain:.1f} times plain Material's {seconds(plain)}; in one profiled build without the PDF "
        f"(cProfile, shares of {seconds(total)}): {shown}. Printing the PDF adds {seconds(fresh - without)} to "
        "the median although Chromium starts with the build and opens its tab while the pages render: the "
        "worksheet can be loaded only once MkDocs writes it, after every page's Markdown and the theme's own "
        f"templates, and loading and printing it then takes {seconds(printing)}, which the build waits for in "
        "`on_post_build`; Chromium's own start competes with the build for the two cores. Fix (in src/): "
        + (
            "the build without the PDF is the larger part of the excess: "
            if without - plain >= fresh - without
            else "the PDF is the larger part of the excess: "
        )
        + "cut the largest shares above (`on_config` loads and checks every quiz and the help data; "
        "mkdocs-macros renders every page through Jinja and imports `requests`)."
        + (
            f" Also: the identical rebuild printed the PDF again in {len(builds.reused) - sum(builds.reused)} "
            f"of {len(builds.reused)} rounds instead of reusing it from `.cache/brickbybrick` (its cache key "
            "differed between two builds of the same project)."
            if not all(builds.reused)
            else ""
        )
    )


def notes(
    figures: Sequence[Figure],
    browser: BrowserResults,
    builds: BuildResults,
    lighthouse_results: Sequence[lighthouse.LighthouseResult],
    site: BuiltSite,
) -> list[str]:
    """Why each missed target was missed and what would fix it (from the measured figures)."""
    missed = {figure.label for figure in figures if figure.met is False}
    out = []
    ready_missed = [
        kind
        for kind in pairs(browser)
        if any(label.startswith(f"Ready ratio quiz page / baseline, {kind}") for label in missed)
    ]
    if ready_missed:
        out.append(ready_note(browser, ready_missed, site))
    if any(
        label.startswith("Slow 4G") and label.split(": ", 1)[-1].startswith("navigation → scorer ready")
        for label in missed
    ):
        out.append(slow_note(browser, site))
    if any(label.startswith("Submit") or "→ result shown" in label for label in missed):
        out.append(
            "**Submit → result.** Why: one round trip to the worker, `score_json` in Pyodide, then the page "
            "inserts the HTML and the next frame paints it; on Slow 4G, also whether the scorer was ready "
            "when the reader submitted. Fix: profile `score_json` under Pyodide and the result's HTML size."
        )
    if any(figure.target == "0 B" and figure.met is False for figure in figures):
        pages = (
            ", ".join(f"/{page}" for page, count in browser.plain_sweep.items() if count)
            or "the chapter page"
        )
        out.append(
            f"**Pyodide bytes without a quiz** ({pages}). Why: something starts the scorer on pages without a "
            "quiz form. Fix: create the worker only when the page has a `form[data-quiz]`."
        )
    if any("serves only the .gz" in label or "requests uncompressed" in label for label in missed):
        out.append(bytes_note(browser, site, missed))
    if any(label.startswith("Main-thread long frames made long by the scorer") for label in missed):
        out.append(long_task_note(browser))
    if any(label.startswith("Build ratio") for label in missed):
        out.append(build_note(builds))
    for runs in lighthouse_groups(lighthouse_results):
        result = representative(runs)
        if result.met is False:
            weak = ", ".join(result.weak_audits) or "see the Lighthouse report"
            saved = "; ".join(result.savings) or "none estimated"
            scores = sorted(run.scores["performance"] for run in runs if "performance" in run.scores)
            out.append(
                f"**Lighthouse /{result.page} ({result.preset}).** Performance scores of the runs: "
                f"{', '.join(map(str, scores))}. Scored metrics below 0.9 in the median run: {weak}. "
                f"Lighthouse's estimated savings there: {saved}. Fix: what those audits name."
            )
        elif result.error:
            out.append(f"**Lighthouse /{result.page} ({result.preset})** could not run: {result.error}.")
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


def chromium_version(program: Path = CHROMIUM) -> str:
    result = subprocess.run([str(program), "--version"], capture_output=True, text=True, check=False)
    return result.stdout.strip() or "unknown"


def pdf_printer() -> str:
    """The program the site's build prints the worksheet PDF with (the plugin's own choice)."""
    found = pdf.find_chromium(None)
    return f"{found.name} ({chromium_version(found)})" if found else "none found (no PDF printed)"


def package_version(name_: str) -> str:
    try:
        return metadata.version(name_)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment(
    site: BuiltSite, runs: int, slow_runs: int, mobile_runs: int, build_runs: int, load: Sequence[float]
) -> list[tuple[str, str]]:
    lock = json.loads((ROOT / "node_modules" / "pyodide" / "pyodide-lock.json").read_text(encoding="utf-8"))
    return [
        ("Date", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")),
        (
            "Machine",
            f"{_first_line(Path('/proc/cpuinfo'), 'model name')}, {os.cpu_count()} cores, "
            f"{memory_gib():.0f} GiB RAM",
        ),
        (
            "Load average (1 min): start / end; lowest-highest at phase boundaries",
            f"{load[0]:.2f} / {load[-1]:.2f}; {min(load):.2f}-{max(load):.2f}",
        ),
        ("OS", f"{_first_line(Path('/etc/os-release'), 'PRETTY_NAME=')}, Linux {platform.release()}"),
        ("Browser", f"{chromium_version()}, headless, driven by Playwright {package_version('playwright')}"),
        ("Pyodide", f"{site.pyodide_version} (Python {lock['info']['python']}), self-hosted"),
        ("Python (build)", platform.python_version()),
        ("Worksheet PDF printed by (first on PATH, as the plugin chooses)", pdf_printer()),
        (
            "MkDocs / Material / mkdocs-macros",
            f"{package_version('mkdocs')} / {package_version('mkdocs-material')} / {package_version('mkdocs-macros-plugin')}",
        ),
        (
            "Lighthouse",
            f"{lighthouse.version() or 'not installed'}: desktop preset; mobile = its default config "
            f"({mobile_runs} runs)",
        ),
        (
            "Slow 4G",
            f"DevTools' preset through CDP `Network.emulateNetworkConditions`: "
            f"{SLOW_4G['downloadThroughput']:,.0f} B/s down, {SLOW_4G['uploadThroughput']:,.0f} B/s up, "
            f"{SLOW_4G['latency']} ms latency ({slow_runs} runs)",
        ),
        ("Runs per figure", f"{runs}; builds {build_runs} rounds (medians; min-max in brackets)"),
    ]


# --------------------------------------------------------------------------- Markdown

HOW_MEASURED = """\
- One `make bench` run (`python -m benchmarks.run`) builds the real site into a temporary directory with
  `site_url` equal to the origin it is then served from (`tests/helpers.py`: `build`, `serve`; the server
  sends what `_headers` asks for, and `file.br` or else `file.gz` with its `Content-Encoding` when the
  browser accepts it, as a host serving precompressed files does; the figure for a host serving only the
  `.gz` files is the sum of the `.gz` sizes of the same requests). `benchmarks/server.py` completes two
  things in which that server differs from such a host (nginx `gzip_static`, Caddy `precompressed`): its
  precompressed responses get
  the `Last-Modified` / `304 Not Modified` handling it already has for other files (without a validator
  Chromium would download them again on every warm visit and for every second request of a file), and a
  page's folder URL is answered from `index.html(.gz)`, so pages arrive compressed too. A bare baseline page (`benchmarks/baseline/`) is copied into the
  site: it only starts the same `assets/pyodide/<version>/` (same trimmed `python_stdlib.zip`) in a module
  worker (`import(pyodide.mjs)`, `loadPyodide` with the lockfile contents the site hands it) and says
  "ready"; with `&engine=1` it also writes the engine's files into site-packages (`fsInit`) and imports the
  engine, with `&wasm=bytes` it hands Pyodide
  the wasm as a Response made from fetched bytes (as the scorer does), with `&wasm=sha256-…` it lets Pyodide
  fetch it with that `integrity` (reference figures only). Same origin, same files, same headers.
- Debian Chromium through Playwright, with the browser tests' flags (`tests/helpers.py`, including the
  host-resolver rule that makes any third-party request fail). Cold = a fresh browser context per run
  (empty cache); warm = one persistent profile (`launch_persistent_context`), where a first visit of each
  page fills the disk cache and the following visits are measured. Each round runs one baseline visit
  and one quiz-page visit back to back (baseline first in odd rounds, second in even ones); the ready
  ratio is taken per pair, then the median of the pairs.
- Times are taken in the page with `performance.now()` (from the navigation start) by an init script:
  "ready" is when `[data-quiz-state]` (or the baseline's state element) gets `data-status="ready"`
  (MutationObserver). Submit → result: every item answered, then the time from the click on "Show my
  results" to `.bb-result__overall` in the DOM, and to the next animation frame ("shown"), first submit of
  each cold visit.
- Slow 4G: DevTools' "Slow 4G" preset (180,000 B/s down: 1.6 Mbps with DevTools' 0.9 factor; 84,375 B/s up;
  562.5 ms latency) set through a CDP session on the page (`Network.emulateNetworkConditions`; it applies
  to the worker's fetches too), CPU not throttled. A reader opens a cold quiz page, answers the 20
  questions one by one, evenly from 10 s to 55 s after the navigation, and presses "Show my results" at
  60 s; the figures are navigation → ready, the submit → result, and when the state first counts
  megabytes.
- Main-thread work: Long Animation Frames (`PerformanceObserver('long-animation-frame')`, buffered) say
  which scripts ran in each frame over 50 ms. A frame counts as made long by the scorer when the
  scorer's main-thread modules (`assets/brickbybrick/javascripts/quiz.js`, `protocol.js`) ran in it for
  50 ms or more, or the frame would have been under 50 ms without their time. Long tasks
  (`PerformanceObserver('longtask')`) of the quiz page (navigation → ready), the same page with quiz.js
  blocked and a chapter page (navigation → network idle) are shown for context.
- Bytes: headers + encoded body of every finished request of the page and its workers (Playwright
  `request.sizes()`; Content-Length where Chromium reports 0 for a worker script on a cold visit).
  Pyodide bytes are those under `assets/pyodide/` and `assets/engine/`; "uncompressed" is the size of the
  files behind the same requests (bodies only). On warm visits a response served from the HTTP cache
  counts 0 and a 304 revalidation its headers. Every page of the sitemap without a quiz is also visited
  once (cold) to check it loads none.
- Builds: wall clock of `mkdocs build --strict` of a copy of the project (`mkdocs.yml`, `docs/`,
  `quizzes/`, `help.yml`) with its own `.cache/`: with the cached worksheet PDF deleted first (printed
  afresh; the gzip cache of Pyodide kept), again with it reused, with `BB_SKIP_PDF=1`, and with no
  `.cache/` at all; and `mkdocs build` with a temporary plain-Material `mkdocs.yml` over the same
  `docs/` (same nav, Markdown extensions and theme settings; only the search plugin; relaxed
  validation); interleaved, each into a fresh directory. The build ratio is taken per round (the site
  build with a fresh PDF over the plain build of the same round), then the median of the rounds. One
  more build without the PDF runs under cProfile to split the time by hook.
- Lighthouse from `node_modules` (pinned in `package.json`) with `CHROME_PATH=/usr/bin/chromium`, the same
  Chromium flags, categories performance, accessibility and best practices: the desktop preset on the
  home page and the quiz page, and Lighthouse's default mobile configuration (simulated Slow 4G, 4x CPU
  slowdown, mobile screen) on the quiz page, several runs, the run with the median performance score
  shown. A run that ends in a Lighthouse runtime error ("Please run Lighthouse again") is run again, up to
  three attempts.
- Figures are for this machine only and are never asserted; other work on the machine (see the load
  average) makes them noisier. Each phase and each round first waits, up to 10 minutes, for the 1-minute
  load average to fall below `BENCH_MAX_LOAD` (default: the number of cores).
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
