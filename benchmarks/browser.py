"""Browser figures with Debian Chromium through Playwright.

Every time is taken inside the page with ``performance.now()``, which counts from the start
of the navigation. An init script, added before any page script runs, records:

* ``ready``: when an element says the scorer (or the bare baseline) is ready — a
  MutationObserver on ``data-status``, so the time is taken in the same task that set it;
* ``workers``: when the page created each Web Worker (a thin wrapper around ``Worker``);
* ``longTasks``: main-thread long tasks (> 50 ms), buffered from the navigation start.

Bytes are the sizes Chromium reports for every finished request of the page and its workers
(headers + encoded body); Pyodide bytes are those under ``assets/pyodide/`` and ``assets/engine/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, Request
from tests.helpers import CHROMIUM, CHROMIUM_ARGS

TIMEOUT_MS = 120_000  # a loaded 2-core machine can take ~10 s for a cold Pyodide start
PYODIDE_PARTS = ("/assets/pyodide/", "/assets/engine/")
QUIZ_SCRIPT = "assets/javascripts/quiz.js"  # wires forms to the scorer and starts its worker
SETTLED = ", ".join(
    f"[{kind}][data-status={status}]"
    for kind, status in (
        ("data-quiz-state", "ready"),
        ("data-quiz-state", "unavailable"),
        ("data-bench-state", "ready"),
        ("data-bench-state", "failed"),
    )
)

INIT_SCRIPT = r"""
(() => {
  const bench = (window.__bench = { ready: null, workers: [], longTasks: [] });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });
  const READY = "[data-quiz-state][data-status=ready], [data-bench-state][data-status=ready]";
  new MutationObserver((_, observer) => {
    if (!document.querySelector(READY)) return;
    bench.ready = performance.now();
    observer.disconnect();
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-status"] });
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) {
      const at = performance.now();
      super(url, options);
      bench.workers.push({ url: String(url), at });
    }
  };
})();
"""

ANSWER_ALL = """() => {
  const form = document.querySelector("form[data-quiz]");
  const spec = JSON.parse(form.dataset.quizSpec);
  for (const item of spec.items) form.querySelector(`input[name="${CSS.escape(item.id)}"]`).click();
  return spec.items.length;
}"""

# Click "Show my results" and time, in the page, until the overall result is in the DOM and
# until the next animation frame (the frame that paints it).
TIME_SUBMIT = """() => new Promise((resolve, reject) => {
  const form = document.querySelector("form[data-quiz]");
  const region = form.querySelector("[data-quiz-result]");
  region.replaceChildren();
  let start = 0;
  const timeout = setTimeout(() => reject(new Error(`no result: ${region.textContent}`)), 20000);
  const observer = new MutationObserver(() => {
    const overall = region.querySelector(".bb-result__overall");
    if (!overall) return;
    const inDom = performance.now() - start;
    observer.disconnect();
    clearTimeout(timeout);
    requestAnimationFrame(() =>
      resolve({ inDom, painted: performance.now() - start, visible: overall.checkVisibility() }),
    );
  });
  observer.observe(region, { childList: true, subtree: true });
  start = performance.now();
  form.querySelector("[data-quiz-submit]").click();
})"""


@dataclass(frozen=True)
class PageRun:
    """One visit: times in ms from the navigation start, long tasks, bytes."""

    ready_ms: float | None
    worker_ms: float | None
    long_tasks: tuple[tuple[float, float], ...]  # (start, duration) in ms
    total_bytes: int
    pyodide_bytes: int


@dataclass(frozen=True)
class Submit:
    in_dom_ms: float
    painted_ms: float
    visible: bool


@dataclass
class BrowserResults:
    """Every run of every browser figure (medians are taken by the report)."""

    baseline_cold: list[PageRun] = field(default_factory=list)
    quiz_cold: list[PageRun] = field(default_factory=list)
    quiz_without_scorer: list[PageRun] = field(default_factory=list)
    chapter_cold: list[PageRun] = field(default_factory=list)
    baseline_warm: list[PageRun] = field(default_factory=list)
    quiz_warm: list[PageRun] = field(default_factory=list)
    submits: list[Submit] = field(default_factory=list)
    plain_sweep: dict[str, int] = field(default_factory=dict)


def is_pyodide(url: str) -> bool:
    return any(part in url for part in PYODIDE_PARTS)


def transferred(request: Request, *, cold: bool) -> int:
    """Bytes on the wire for one response: headers plus the (encoded) body.

    Playwright reports a body of minus the headers for a response served from the HTTP cache
    (0 bytes on the wire), and a body of 0 both for a 304 revalidation and, in Chromium, for a
    worker's own script. With an empty cache (``cold``) only the latter can happen: the server
    sends no compression, so its Content-Length is what crossed the wire.
    """
    sizes = request.sizes()
    headers, body = int(sizes["responseHeadersSize"]), int(sizes["responseBodySize"])
    if body < 0:
        return max(0, headers + body)
    if body == 0 and cold and (response := request.response()) is not None:
        body = int(response.headers.get("content-length", "0"))
    return headers + body


def wait_ready(page: Page) -> None:
    """Wait for the scorer (or the baseline) to say ready; fail loudly if it says it failed."""
    state = page.wait_for_selector(SETTLED, state="attached", timeout=TIMEOUT_MS)
    if state is None or state.get_attribute("data-status") != "ready":
        text = state.text_content() if state else "no state element"
        raise RuntimeError(f"bench: {page.url}: the scorer did not start: {text}")


def worker_time(state: dict[str, Any]) -> float | None:
    """When the page created its Pyodide worker (not Material's search worker)."""
    times = [w["at"] for w in state["workers"] if "search" not in w["url"].rsplit("/", 1)[-1]]
    return min(times) if times else None


def visit(
    context: BrowserContext, url: str, *, scorer: bool, cold: bool, block: str | None = None
) -> tuple[Page, PageRun]:
    """Open ``url`` in a new page; wait for the scorer when ``scorer``, then for network quiet.

    ``cold`` says the context's cache is empty; ``block`` names a script whose requests fail
    (to measure a page without it).
    """
    page = context.new_page()
    if block is not None:
        page.route(f"**/{block}", lambda route: route.abort())
    requests: list[Request] = []
    page.on("requestfinished", lambda request: requests.append(request))
    page.goto(url)
    if scorer:
        wait_ready(page)
    page.wait_for_load_state("networkidle")
    state: dict[str, Any] = page.evaluate("() => window.__bench")
    end = state["ready"] if scorer else float("inf")
    sizes = [(request.url, transferred(request, cold=cold)) for request in requests]
    run = PageRun(
        ready_ms=state["ready"],
        worker_ms=worker_time(state),
        long_tasks=tuple(
            (task["start"], task["duration"]) for task in state["longTasks"] if task["start"] < end
        ),
        total_bytes=sum(size for _, size in sizes),
        pyodide_bytes=sum(size for url_, size in sizes if is_pyodide(url_)),
    )
    return page, run


def time_submit(page: Page) -> Submit:
    """Answer every item of the page's quiz, then time one submit in the page."""
    page.evaluate(ANSWER_ALL)
    timing: dict[str, Any] = page.evaluate(TIME_SUBMIT)
    return Submit(timing["inDom"], timing["painted"], bool(timing["visible"]))


def fresh_context(browser: Browser) -> BrowserContext:
    """A new context: an empty, in-memory HTTP cache (a first visit)."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(INIT_SCRIPT)
    return context


def cold_visit(browser: Browser, url: str, *, scorer: bool, block: str | None = None) -> PageRun:
    context = fresh_context(browser)
    try:
        return visit(context, url, scorer=scorer, cold=True, block=block)[1]
    finally:
        context.close()


def cold_quiz_visit(browser: Browser, url: str) -> tuple[PageRun, Submit]:
    """A first visit to a quiz page, then the first submit a person would make there."""
    context = fresh_context(browser)
    try:
        page, run = visit(context, url, scorer=True, cold=True)
        return run, time_submit(page)
    finally:
        context.close()


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def measure_cold(playwright: Playwright, urls: dict[str, str], runs: int, results: BrowserResults) -> None:
    """Interleaved cold visits (fresh context each): baseline, quiz page (+ one submit), chapter."""
    browser = launch(playwright)
    try:
        for round_ in range(1, runs + 1):
            baseline = cold_visit(browser, urls["baseline"], scorer=True)
            quiz, submit = cold_quiz_visit(browser, urls["quiz"])
            results.baseline_cold.append(baseline)
            results.quiz_cold.append(quiz)
            results.submits.append(submit)
            results.chapter_cold.append(cold_visit(browser, urls["chapter"], scorer=False))
            results.quiz_without_scorer.append(
                cold_visit(browser, urls["quiz"], scorer=False, block=QUIZ_SCRIPT)
            )
            print(
                f"  cold {round_}/{runs}: baseline ready {ms(baseline.ready_ms)}, quiz ready {ms(quiz.ready_ms)},"
                f" submit -> result {ms(submit.painted_ms)}",
                flush=True,
            )
    finally:
        browser.close()


def measure_sweep(playwright: Playwright, origin: str, pages: Iterable[str], results: BrowserResults) -> None:
    """One cold visit to every page without a quiz: its Pyodide bytes (should be none)."""
    browser = launch(playwright)
    try:
        for page in pages:
            results.plain_sweep[page or "(home)"] = cold_visit(
                browser, origin + page, scorer=False
            ).pyodide_bytes
    finally:
        browser.close()


def measure_warm(
    playwright: Playwright, urls: dict[str, str], runs: int, profile: Path, results: BrowserResults
) -> None:
    """Repeat visits with a persistent profile: one visit of each page warms its disk cache."""
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(INIT_SCRIPT)
    try:
        for page in context.pages:
            page.close()
        for url in (urls["baseline"], urls["quiz"]):
            visit(context, url, scorer=True, cold=False)[0].close()
        for round_ in range(1, runs + 1):
            for url, bucket in ((urls["baseline"], results.baseline_warm), (urls["quiz"], results.quiz_warm)):
                page, run = visit(context, url, scorer=True, cold=False)
                page.close()
                bucket.append(run)
            print(
                f"  warm {round_}/{runs}: baseline ready {ms(results.baseline_warm[-1].ready_ms)},"
                f" quiz ready {ms(results.quiz_warm[-1].ready_ms)}",
                flush=True,
            )
    finally:
        context.close()
