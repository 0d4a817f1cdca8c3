"""``make bench``: build and serve the site, measure it against a bare Pyodide baseline, report.

Run from the repository root: ``python -m benchmarks.run``. ``BENCH_RUNS`` sets the number of
runs per figure (default and minimum for a report: 7); ``BENCH_SLOW_RUNS`` the Slow 4G visits
(each takes over a minute; default: ``BENCH_RUNS``), ``BENCH_MOBILE_RUNS`` the mobile
Lighthouse runs (default 9) and ``BENCH_BUILD_RUNS`` the rounds of builds (default 15); ``BENCH_OUTPUT`` writes the report elsewhere; each phase first
waits (up to 10 minutes) for the load average to fall below ``BENCH_MAX_LOAD`` (default: the
number of cores). Prints the table and writes ``BENCHMARKS.md``; exits 0 whether or
not targets are met (it is a benchmark, not a test).
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

from benchmarks import browser, builds, lighthouse, report, server, site

OUTPUT = Path(os.environ.get("BENCH_OUTPUT", helpers.ROOT / "BENCHMARKS.md"))  # another path while developing
DEFAULT_RUNS = 7
DEFAULT_MOBILE_RUNS = 9  # its score sits near the target: more runs
DEFAULT_BUILD_RUNS = 15  # so does the build ratio, and a round of builds takes seconds
QUIET_WAIT_S = 600
LOAD: list[float] = []  # the 1-minute load average at every phase boundary


def wait_for_quiet() -> None:
    """Wait (up to QUIET_WAIT_S) until the 1-minute load average is below BENCH_MAX_LOAD.

    The machine is shared: other work makes every figure slower and noisier. ``BENCH_MAX_LOAD``
    defaults to the number of cores; 0 turns the wait off.
    """
    limit = float(os.environ.get("BENCH_MAX_LOAD", os.cpu_count() or 1))
    if limit <= 0:
        return
    waited = 0
    while os.getloadavg()[0] >= limit and waited < QUIET_WAIT_S:
        if waited == 0:
            print(
                f"bench: load {os.getloadavg()[0]:.2f} ≥ {limit:g}: waiting for a quieter machine", flush=True
            )
        time.sleep(15)
        waited += 15
    if waited:
        print(f"bench: waited {waited} s (load now {os.getloadavg()[0]:.2f})", flush=True)


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Print a phase's name and, when it ends, how long it took and the load average."""
    wait_for_quiet()
    LOAD.append(os.getloadavg()[0])
    print(f"bench: {name} … (load {LOAD[-1]:.2f})", flush=True)
    start = time.perf_counter()
    yield
    LOAD.append(os.getloadavg()[0])
    print(f"bench: {name}: {time.perf_counter() - start:.0f} s (load {LOAD[-1]:.2f})", flush=True)


def runs_from_env(variable: str = "BENCH_RUNS", default: int = DEFAULT_RUNS) -> int:
    runs = int(os.environ.get(variable, default))
    if runs < default:
        print(f"bench: {variable}={runs}: fewer than {default} runs, figures are rough", flush=True)
    return max(runs, 1)


def measure_browser(
    built: site.BuiltSite, origin: str, runs: int, slow_runs: int, workdir: Path
) -> browser.BrowserResults:
    urls = {
        "baseline": origin + built.baseline_page,
        "baseline_engine": origin + built.baseline_engine_page,
        "baseline_bytes": origin + built.baseline_bytes_page,
        "baseline_integrity": origin + built.baseline_integrity_page,
        "quiz": origin + built.quiz_page,
        "chapter": origin + built.chapter_page,
    }
    results = browser.BrowserResults()
    with sync_playwright() as playwright:
        with phase(f"cold visits ({runs} rounds)"):
            browser.measure_cold(playwright, urls, runs, results, wait_for_quiet)
        with phase(f"warm visits ({runs} rounds, persistent profile)"):
            browser.measure_warm(playwright, urls, runs, workdir / "profile", results, wait_for_quiet)
        with phase(f"pages without a quiz ({len(built.plain_pages)})"):
            browser.measure_sweep(playwright, origin, built.plain_pages, results)
        with phase(f"Slow 4G visits ({slow_runs}, about a minute each)"):
            browser.measure_slow(playwright, urls["quiz"], slow_runs, results, wait_for_quiet)
    return results


def measure_lighthouse(
    built: site.BuiltSite, origin: str, workdir: Path, mobile_runs: int
) -> list[lighthouse.LighthouseResult]:
    plan = [("", "desktop", 1), (built.quiz_page, "desktop", 1)]
    plan += [(built.quiz_page, "mobile", index) for index in range(1, mobile_runs + 1)]
    results = []
    for page, preset, index in plan:
        with phase(f"Lighthouse /{page} ({preset}, run {index})"):
            result = lighthouse.run(origin, page, workdir, preset, index)
        if result.error:
            print(f"bench: Lighthouse /{page} ({preset}) did not run: {result.error}", flush=True)
        else:
            print(
                f"  performance {result.scores.get('performance')}: {', '.join(result.metrics)}", flush=True
            )
        results.append(result)
    return results


def main() -> int:
    runs = runs_from_env()
    slow_runs = int(os.environ.get("BENCH_SLOW_RUNS", runs))
    mobile_runs = int(os.environ.get("BENCH_MOBILE_RUNS", DEFAULT_MOBILE_RUNS))
    build_runs = int(os.environ.get("BENCH_BUILD_RUNS", DEFAULT_BUILD_RUNS))
    with tempfile.TemporaryDirectory(prefix="bb-bench-") as tmp:
        workdir = Path(tmp)
        sock = helpers.free_port()
        origin = f"http://127.0.0.1:{sock.getsockname()[1]}/"
        with phase("building the site"):
            site.build_site(workdir / "site", origin)
            site.install_baseline(workdir / "site")
            built = site.describe(workdir / "site")
        with server.serve(built.site_dir, sock) as served:
            browser_results = measure_browser(built, served, runs, slow_runs, workdir)
            lighthouse_results = measure_lighthouse(built, served, workdir / "lighthouse", mobile_runs)
        with phase(
            f"builds ({build_runs} rounds: PDF printed, PDF reused, no PDF, plain Material, first build)"
        ):
            build_results = builds.measure_builds(workdir / "builds", origin, build_runs, wait_for_quiet)
    figures = [
        *report.ready_figures(browser_results, built),
        *report.submit_figures(browser_results),
        *report.slow_figures(browser_results, built),
        *report.byte_figures(browser_results, built),
        *report.long_task_figures(browser_results, built),
        *report.build_figures(build_results),
        *report.lighthouse_figures(lighthouse_results),
    ]
    env = report.environment(built, runs, slow_runs, mobile_runs, build_runs, LOAD)
    notes = report.notes(figures, browser_results, build_results, lighthouse_results, built)
    text = report.markdown(env, figures, notes)
    OUTPUT.write_text(text, encoding="utf-8")
    print("\n" + text)
    print(f"bench: wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
