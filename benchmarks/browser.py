"""Browser figures with Debian Chromium through Playwright.

Every time is taken inside the page with ``performance.now()``, which counts from the start
of the navigation. An init script, added before any page script runs, records:

* ``ready``: when an element says the scorer (or the bare baseline) is ready — a
  MutationObserver on ``data-status``, so the time is taken in the same task that set it;
* ``workers``: when the page created each Web Worker (a thin wrapper around ``Worker``);
* ``longTasks``: main-thread long tasks (> 50 ms), buffered from the navigation start;
* ``frames``: long animation frames (> 50 ms) with the scripts that ran in each, which
  attributes main-thread time to the scorer's own modules;
* ``progress`` (Slow 4G runs only): when the quiz state first counted megabytes.

Bytes are the sizes Chromium reports for every finished request of the page and its workers
(headers + encoded body); Pyodide bytes are those under ``assets/pyodide/`` and ``assets/engine/``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, CDPSession, Page, Playwright, Request
from tests.helpers import CHROMIUM, CHROMIUM_ARGS

TIMEOUT_MS = 120_000  # a loaded 2-core machine can take ~10 s for a cold Pyodide start
PYODIDE_PARTS = ("/assets/pyodide/", "/assets/engine/")
SCRIPTS = "assets/brickbybrick/javascripts/"
QUIZ_SCRIPT = SCRIPTS + "quiz.js"  # wires forms to the scorer and starts its worker
# The scorer's main-thread code: quiz.js and the protocol module it imports.
SCORER_SCRIPTS = tuple("/" + SCRIPTS + name for name in ("quiz.js", "protocol.js"))
LONG_MS = 50.0

# Chrome DevTools' "Slow 4G" preset (devtools-frontend, NetworkManager.ts, Slow4GConditions):
# ~1.6 Mbps down and ~0.75 Mbps up, each with DevTools' 0.9 factor, and 150 ms RTT times 3.75.
SLOW_4G = {
    "offline": False,
    "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,  # 180,000 bytes/s
    "uploadThroughput": 750 * 1000 / 8 * 0.9,  # 84,375 bytes/s
    "latency": 150 * 3.75,  # 562.5 ms
}
# A reader on a slow phone: reads the introduction, answers one question every few seconds,
# and presses "Show my results" a minute after the page was opened.
FIRST_ANSWER_MS = 10_000.0
LAST_ANSWER_MS = 55_000.0
SUBMIT_AT_MS = 60_000.0

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
  const bench = (window.__bench = { ready: null, workers: [], longTasks: [], frames: [], progress: null });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) bench.longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: "longtask", buffered: true });
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      bench.frames.push({
        start: entry.startTime,
        duration: entry.duration,
        scripts: entry.scripts.map((script) => ({
          url: script.sourceURL,
          invoker: script.invoker,
          duration: script.duration,
        })),
      });
    }
  }).observe({ type: "long-animation-frame", buffered: true });
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

# Slow 4G runs only: when the quiz state first says "Preparing the scorer: X of Y MB".
PROGRESS_SCRIPT = r"""
(() => {
  new MutationObserver((_, observer) => {
    const state = document.querySelector("[data-quiz-state]");
    if (!state || !state.textContent.startsWith("Preparing the scorer: ")) return;
    window.__bench.progress = performance.now();
    observer.disconnect();
  }).observe(document, { subtree: true, childList: true, characterData: true });
})();
"""

# What the init script recorded, and the navigation's start on the wall clock (for request times).
BENCH_STATE = "() => ({ ...window.__bench, origin: performance.timeOrigin })"

ITEM_IDS = """() => JSON.parse(document.querySelector("form[data-quiz]").dataset.quizSpec).items.map((item) => item.id)"""
ANSWER_ONE = """(id) => document.querySelector(`form[data-quiz] input[name="${CSS.escape(id)}"]`).click()"""
ANSWER_ALL = f"() => ({ITEM_IDS})().forEach({ANSWER_ONE})"

# Click "Show my results" (at ``at`` ms after the navigation start, or at once) and time, in the
# page, until the overall result is in the DOM and until the next animation frame (the frame
# that paints it).
TIME_SUBMIT = """({ at, timeoutMs }) => new Promise((resolve, reject) => {
  const form = document.querySelector("form[data-quiz]");
  const region = form.querySelector("[data-quiz-result]");
  region.replaceChildren();
  let start = 0;
  const timeout = setTimeout(() => reject(new Error(`no result: ${region.textContent}`)), timeoutMs);
  const observer = new MutationObserver(() => {
    const overall = region.querySelector(".bb-result__overall");
    if (!overall) return;
    const inDom = performance.now() - start;
    observer.disconnect();
    clearTimeout(timeout);
    requestAnimationFrame(() =>
      resolve({ inDom, painted: performance.now() - start, visible: overall.checkVisibility(), at: start }),
    );
  });
  observer.observe(region, { childList: true, subtree: true });
  setTimeout(() => {
    start = performance.now();
    form.querySelector("[data-quiz-submit]").click();
  }, Math.max(0, at - performance.now()));
})"""


@dataclass(frozen=True)
class ScorerFrame:
    """A long animation frame (> 50 ms) in which the scorer's main-thread scripts ran."""

    start_ms: float
    duration_ms: float
    scorer_ms: float  # the scorer's scripts' own time in it
    invoker: str  # what started the scorer's longest script in it (a module, an event listener)

    @property
    def made_long_by_scorer(self) -> bool:
        """The scorer's code ran 50 ms or more, or the frame would not have been long without it."""
        return self.scorer_ms >= LONG_MS or self.duration_ms - self.scorer_ms <= LONG_MS


@dataclass(frozen=True)
class PageRun:
    """One visit: times in ms from the navigation start, long tasks and frames, bytes."""

    ready_ms: float | None
    worker_ms: float | None
    long_tasks: tuple[tuple[float, float], ...]  # (start, duration) in ms
    # Long animation frames in which the scorer's main-thread scripts ran.
    scorer_frames: tuple[ScorerFrame, ...]
    total_bytes: int
    # (URL path, bytes on the wire, of which body): 0 for an HTTP-cache hit, headers for a 304.
    pyodide_requests: tuple[tuple[str, int, int], ...]
    # Each Pyodide / engine request: (URL path, requested at, finished at), ms from navigation.
    timeline: tuple[tuple[str, float, float], ...] = ()
    # The page's main thread busy with tasks from the navigation to ready (or network quiet), ms:
    # the CPU the page itself takes while the scorer starts (DevTools' TaskDuration metric).
    main_thread_ms: float | None = None

    @property
    def pyodide_bytes(self) -> int:
        return sum(size for _, size, _ in self.pyodide_requests)


@dataclass(frozen=True)
class Submit:
    in_dom_ms: float
    painted_ms: float
    visible: bool
    at_ms: float = 0.0  # when the click happened, from the navigation start


@dataclass(frozen=True)
class SlowRun:
    """One cold visit on Slow 4G by a reader who answers at human speed and submits at 60 s."""

    page: PageRun
    progress_ms: float | None  # when the state first counted megabytes
    submit: Submit | None  # None: no result appeared (see ``error``)
    error: str | None = None  # what the quiz said when the scorer did not start or score


@dataclass
class BrowserResults:
    """Every run of every browser figure (medians are taken by the report)."""

    baseline_cold: list[PageRun] = field(default_factory=list)
    baseline_engine_cold: list[PageRun] = field(default_factory=list)
    quiz_cold: list[PageRun] = field(default_factory=list)
    quiz_without_scorer: list[PageRun] = field(default_factory=list)
    chapter_cold: list[PageRun] = field(default_factory=list)
    baseline_warm: list[PageRun] = field(default_factory=list)
    baseline_bytes_warm: list[PageRun] = field(default_factory=list)  # wasm handed over as bytes
    baseline_integrity_warm: list[PageRun] = field(default_factory=list)  # wasm fetched with SRI
    quiz_warm: list[PageRun] = field(default_factory=list)
    submits: list[Submit] = field(default_factory=list)
    plain_sweep: dict[str, int] = field(default_factory=dict)
    slow: list[SlowRun] = field(default_factory=list)


def is_pyodide(url: str) -> bool:
    return any(part in url for part in PYODIDE_PARTS)


def transferred(request: Request, *, cold: bool) -> tuple[int, int]:
    """Bytes on the wire for one response: headers plus the (encoded) body, and the body alone.

    Playwright reports a body of minus the headers for a response served from the HTTP cache
    (0 bytes on the wire), and a body of 0 both for a 304 revalidation and, in Chromium, for a
    worker's own script. With an empty cache (``cold``) only the latter can happen: then the
    response's Content-Length (of the gzip body when the server sent ``Content-Encoding: gzip``)
    is what crossed the wire.
    """
    sizes = request.sizes()
    headers, body = int(sizes["responseHeadersSize"]), int(sizes["responseBodySize"])
    if body < 0:
        return max(0, headers + body), 0
    if body == 0 and cold and (response := request.response()) is not None and response.status == 200:
        body = int(response.headers.get("content-length", "0"))
    return headers + body, body


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


def scorer_frames(state: dict[str, Any], end: float) -> tuple[ScorerFrame, ...]:
    """Long animation frames before ``end`` in which the scorer's scripts ran, with their time."""
    frames = []
    for frame in state["frames"]:
        mine = [
            script
            for script in frame["scripts"]
            if urlsplit(script["url"]).path.endswith(SCORER_SCRIPTS) and script["duration"] > 0
        ]
        if frame["start"] < end and mine:
            longest = max(mine, key=lambda script: script["duration"])
            frames.append(
                ScorerFrame(
                    float(frame["start"]),
                    float(frame["duration"]),
                    float(sum(script["duration"] for script in mine)),
                    str(longest["invoker"]).rsplit("/", 1)[-1],
                )
            )
    return tuple(frames)


def timeline(requests: Iterable[Request], origin: float) -> tuple[tuple[str, float, float], ...]:
    """When each Pyodide / engine request started and finished, in ms from the navigation start."""
    rows = []
    for request in requests:
        if is_pyodide(request.url):
            timing = request.timing
            start = timing["startTime"] - origin
            rows.append((urlsplit(request.url).path, start, start + max(0.0, timing["responseEnd"])))
    return tuple(sorted(rows, key=lambda row: row[1]))


def page_run(
    state: dict[str, Any],
    requests: Iterable[Request],
    *,
    scorer: bool,
    cold: bool,
    main_thread_ms: float | None = None,
) -> PageRun:
    """A PageRun from the init script's record and the page's finished requests."""
    end = state["ready"] if scorer and state["ready"] is not None else float("inf")
    sizes = [(request.url, transferred(request, cold=cold)) for request in requests]
    return PageRun(
        ready_ms=state["ready"],
        worker_ms=worker_time(state),
        long_tasks=tuple(
            (task["start"], task["duration"]) for task in state["longTasks"] if task["start"] < end
        ),
        scorer_frames=scorer_frames(state, end),
        total_bytes=sum(wire for _, (wire, _) in sizes),
        pyodide_requests=tuple(
            (urlsplit(url).path, wire, body) for url, (wire, body) in sizes if is_pyodide(url)
        ),
        timeline=timeline(requests, state["origin"]),
        main_thread_ms=main_thread_ms,
    )


def main_thread_busy_ms(cdp: CDPSession) -> float:
    """The page's main-thread task time so far (``Performance.enable`` sent before the navigation)."""
    metrics = {metric["name"]: metric["value"] for metric in cdp.send("Performance.getMetrics")["metrics"]}
    return float(metrics["TaskDuration"]) * 1000


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
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(url)
    if scorer:
        wait_ready(page)
        busy = main_thread_busy_ms(cdp)
    page.wait_for_load_state("networkidle")
    if not scorer:
        busy = main_thread_busy_ms(cdp)
    cdp.detach()
    state: dict[str, Any] = page.evaluate(BENCH_STATE)
    return page, page_run(state, requests, scorer=scorer, cold=cold, main_thread_ms=busy)


def time_submit(page: Page, *, at: float = 0.0, timeout_ms: float = 20_000) -> Submit:
    """Time one submit in the page (at ``at`` ms from the navigation start, or at once)."""
    timing: dict[str, Any] = page.evaluate(TIME_SUBMIT, {"at": at, "timeoutMs": timeout_ms})
    return Submit(timing["inDom"], timing["painted"], bool(timing["visible"]), timing["at"])


def fresh_context(browser: Browser, *scripts: str) -> BrowserContext:
    """A new context: an empty, in-memory HTTP cache (a first visit)."""
    context = browser.new_context()
    context.set_default_timeout(TIMEOUT_MS)
    for script in (INIT_SCRIPT, *scripts):
        context.add_init_script(script)
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
        page.evaluate(ANSWER_ALL)
        return run, time_submit(page)
    finally:
        context.close()


def ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} ms"


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def in_turn(round_: int, first: Callable[[], None], second: Callable[[], None]) -> None:
    """Run the two visits of a pair, the baseline first in odd rounds and second in even ones."""
    for run in (first, second) if round_ % 2 else (second, first):
        run()


def measure_cold(
    playwright: Playwright,
    urls: dict[str, str],
    runs: int,
    results: BrowserResults,
    before_round: Callable[[], None] = lambda: None,
) -> None:
    """Cold visits (fresh context each), in rounds: a baseline/quiz pair (+ one submit), the baseline
    with the engine, a chapter, the quiz page without quiz.js."""
    browser = launch(playwright)
    try:
        for round_ in range(1, runs + 1):
            before_round()

            def baseline() -> None:
                results.baseline_cold.append(cold_visit(browser, urls["baseline"], scorer=True))

            def quiz() -> None:
                run, submit = cold_quiz_visit(browser, urls["quiz"])
                results.quiz_cold.append(run)
                results.submits.append(submit)

            in_turn(round_, baseline, quiz)
            results.baseline_engine_cold.append(cold_visit(browser, urls["baseline_engine"], scorer=True))
            results.chapter_cold.append(cold_visit(browser, urls["chapter"], scorer=False))
            results.quiz_without_scorer.append(
                cold_visit(browser, urls["quiz"], scorer=False, block=QUIZ_SCRIPT)
            )
            base, quiz_run = results.baseline_cold[-1], results.quiz_cold[-1]
            print(
                f"  cold {round_}/{runs}: baseline ready {ms(base.ready_ms)}, quiz ready {ms(quiz_run.ready_ms)},"
                f" submit -> result {ms(results.submits[-1].painted_ms)}",
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
    playwright: Playwright,
    urls: dict[str, str],
    runs: int,
    profile: Path,
    results: BrowserResults,
    before_round: Callable[[], None] = lambda: None,
) -> None:
    """Repeat visits with a persistent profile: one visit of each page warms its disk cache.

    Each round: the baseline/quiz pair, then the two bare-page variants that hand Pyodide its
    wasm as bytes or fetch it with ``integrity`` (reference figures).
    """
    context = playwright.chromium.launch_persistent_context(
        profile, executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    context.set_default_timeout(TIMEOUT_MS)
    context.add_init_script(INIT_SCRIPT)
    try:
        for page in context.pages:
            page.close()
        variants = (
            (urls["baseline_bytes"], results.baseline_bytes_warm),
            (urls["baseline_integrity"], results.baseline_integrity_warm),
        )
        for url in (urls["baseline"], urls["quiz"], *(url for url, _ in variants)):
            visit(context, url, scorer=True, cold=False)[0].close()

        def warm(url: str, bucket: list[PageRun]) -> Callable[[], None]:
            def run() -> None:
                page, page_run_ = visit(context, url, scorer=True, cold=False)
                page.close()
                bucket.append(page_run_)

            return run

        for round_ in range(1, runs + 1):
            before_round()
            in_turn(
                round_, warm(urls["baseline"], results.baseline_warm), warm(urls["quiz"], results.quiz_warm)
            )
            for url, bucket in variants:
                warm(url, bucket)()
            print(
                f"  warm {round_}/{runs}: baseline ready {ms(results.baseline_warm[-1].ready_ms)},"
                f" quiz ready {ms(results.quiz_warm[-1].ready_ms)}; bare page with the wasm as bytes"
                f" {ms(results.baseline_bytes_warm[-1].ready_ms)}, with integrity"
                f" {ms(results.baseline_integrity_warm[-1].ready_ms)}",
                flush=True,
            )
    finally:
        context.close()


def answer_at_human_speed(page: Page) -> None:
    """Answer every item, evenly spread from FIRST_ANSWER_MS to LAST_ANSWER_MS after navigation."""
    page.wait_for_selector("form[data-quiz] [data-quiz-submit]", state="attached")
    ids: list[str] = page.evaluate(ITEM_IDS)
    step = (LAST_ANSWER_MS - FIRST_ANSWER_MS) / max(1, len(ids) - 1)
    for index, item in enumerate(ids):
        now: float = page.evaluate("() => performance.now()")
        page.wait_for_timeout(max(0.0, FIRST_ANSWER_MS + index * step - now))
        page.evaluate(ANSWER_ONE, item)


def slow_visit(browser: Browser, url: str) -> SlowRun:
    """A cold quiz page on Slow 4G: answer at human speed, submit at 60 s, time the result."""
    context = fresh_context(browser, PROGRESS_SCRIPT)
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", SLOW_4G)
        requests: list[Request] = []
        page.on("requestfinished", lambda request: requests.append(request))
        page.goto(url, wait_until="commit")
        answer_at_human_speed(page)
        submit: Submit | None = None
        error = None
        try:
            submit = time_submit(page, at=SUBMIT_AT_MS, timeout_ms=TIMEOUT_MS)
            wait_ready(page)
        except Exception as problem:  # noqa: BLE001 - a failed start is a figure, not a crash
            error = " ".join(str(problem).split())[:300]
        page.wait_for_load_state("networkidle")
        state: dict[str, Any] = page.evaluate(BENCH_STATE)
        return SlowRun(page_run(state, requests, scorer=True, cold=True), state["progress"], submit, error)
    finally:
        context.close()


def measure_slow(
    playwright: Playwright,
    url: str,
    runs: int,
    results: BrowserResults,
    before_round: Callable[[], None] = lambda: None,
) -> None:
    """Cold quiz-page visits on DevTools' Slow 4G (network emulation through CDP)."""
    browser = launch(playwright)
    try:
        for round_ in range(1, runs + 1):
            before_round()
            run = slow_visit(browser, url)
            results.slow.append(run)
            result = (
                f"submit at {ms(run.submit.at_ms)} -> result {ms(run.submit.painted_ms)}"
                if run.submit
                else f"no result: {run.error}"
            )
            print(
                f"  Slow 4G {round_}/{runs}: progress shown {ms(run.progress_ms)}, ready {ms(run.page.ready_ms)},"
                f" {result}, Pyodide + engine {run.page.pyodide_bytes:,} B",
                flush=True,
            )
    finally:
        browser.close()
