"""``make bench``: build and serve the site, measure it against a bare Pyodide baseline, report.

Run from the repository root: ``python -m benchmarks.run``. ``BENCH_RUNS`` sets the number of
runs per figure (default and minimum for a report: 5). Prints the table and writes
``BENCHMARKS.md``; exits 0 whether or not targets are met (it is a benchmark, not a test).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright
from tests import helpers

from benchmarks import browser, builds, lighthouse, report, site

OUTPUT = helpers.ROOT / "BENCHMARKS.md"
DEFAULT_RUNS = 5


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Print a phase's name and, when it ends, how long it took."""
    print(f"bench: {name} …", flush=True)
    start = time.perf_counter()
    yield
    print(f"bench: {name}: {time.perf_counter() - start:.0f} s", flush=True)


def runs_from_env() -> int:
    runs = int(os.environ.get("BENCH_RUNS", DEFAULT_RUNS))
    if runs < DEFAULT_RUNS:
        print(f"bench: BENCH_RUNS={runs}: fewer than {DEFAULT_RUNS} runs, figures are rough", flush=True)
    return max(runs, 1)


def measure_browser(built: site.BuiltSite, origin: str, runs: int, workdir: Path) -> browser.BrowserResults:
    urls = {
        "baseline": origin + built.baseline_page,
        "quiz": origin + built.quiz_page,
        "chapter": origin + built.chapter_page,
    }
    results = browser.BrowserResults()
    with sync_playwright() as playwright:
        with phase(f"cold visits ({runs} rounds)"):
            browser.measure_cold(playwright, urls, runs, results)
        with phase(f"warm visits ({runs} rounds, persistent profile)"):
            browser.measure_warm(playwright, urls, runs, workdir / "profile", results)
        with phase(f"pages without a quiz ({len(built.plain_pages)})"):
            browser.measure_sweep(playwright, origin, built.plain_pages, results)
    return results


def measure_lighthouse(
    built: site.BuiltSite, origin: str, workdir: Path
) -> list[lighthouse.LighthouseResult]:
    results = []
    for page in ("", built.quiz_page):
        with phase(f"Lighthouse /{page}"):
            result = lighthouse.run(origin, page, workdir)
        if result.error:
            print(f"bench: Lighthouse /{page} did not run: {result.error}", flush=True)
        results.append(result)
    return results


def main() -> int:
    runs = runs_from_env()
    load_start = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bb-bench-") as tmp:
        workdir = Path(tmp)
        sock = helpers.free_port()
        origin = f"http://127.0.0.1:{sock.getsockname()[1]}/"
        with phase("building the site"):
            site.build_site(workdir / "site", origin)
            site.install_baseline(workdir / "site")
            built = site.describe(workdir / "site")
        with helpers.serve(built.site_dir, sock) as served:
            browser_results = measure_browser(built, served, runs, workdir)
            lighthouse_results = measure_lighthouse(built, served, workdir / "lighthouse")
        with phase(f"builds ({runs} rounds: site, site without PDF, plain Material)"):
            build_results = builds.measure_builds(workdir / "builds", origin, runs)
    figures = [
        *report.ready_figures(browser_results, built),
        *report.submit_figures(browser_results),
        *report.byte_figures(browser_results, built),
        *report.long_task_figures(browser_results, built),
        *report.build_figures(build_results),
        *report.lighthouse_figures(lighthouse_results),
    ]
    env = report.environment(built, runs, (load_start, os.getloadavg()[0]))
    notes = report.notes(figures, browser_results, build_results, lighthouse_results)
    text = report.markdown(env, figures, notes)
    OUTPUT.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"bench: wrote {OUTPUT.relative_to(helpers.ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
