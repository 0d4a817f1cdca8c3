"""End to end: a person answers the fixture quiz in Chromium and reads a Python-computed result."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect
from quizpage import PYODIDE_FILES, WORDS, QuizForm, hold_scorer


def test_keyboard_only_answers_and_result(page: Page) -> None:
    """Tab into the quiz, pick answers with arrow keys, submit with Enter, and read the result."""
    page.goto("quiz/")
    quiz = QuizForm(page, "sample")
    quiz.expect_ready()
    first = quiz.item("c1").locator("input").first
    for _ in range(80):
        page.keyboard.press("Tab")
        if first.evaluate("el => el === document.activeElement"):
            break
    expect(first).to_be_focused()
    for index in range(4):
        page.keyboard.press("ArrowRight")  # selects the second option: "Rarely" (value 1)
        if index < 3:
            page.keyboard.press("Tab")  # on to the next question's radio group
    page.keyboard.press("Tab")
    expect(quiz.submit).to_be_focused()
    page.keyboard.press("Enter")
    # c1=1, c2 reversed 4-1=3 -> calm 4/8; s1=1, s2 reversed 3 -> safe 4/8; overall 8/16.
    quiz.expect_result_contains(
        "Your results: Sample check", "Overall", "50 out of 100", "Middle", "Calm", "Safe"
    )
    # Heard once, in one sentence (the result itself is not a live region: it would be read whole).
    expect(quiz.form.locator("[data-quiz-announce]")).to_have_text("Your results are ready: 4 sections.")
    expect(quiz.result).not_to_have_attribute("role", "status")
    quiz.expect_result_focused()
    expect(quiz.result.get_by_role("link", name="Read about calm")).to_have_attribute("href", "../")
    expect(quiz.result).to_contain_text("not a diagnosis")


def test_missing_answers_are_named_and_focused(page: Page) -> None:
    """Submitting with gaps lists each unanswered question and moves focus to the first."""
    page.goto("quiz/")
    quiz = QuizForm(page, "sample")
    quiz.expect_ready()
    quiz.answer("c1", "Often")
    quiz.answer("s1", "Often")
    quiz.submit.click()
    quiz.expect_result_contains(
        "2 questions are still unanswered",
        "Question 2: I worry about how my partner will react.",
        "Question 4: I am afraid of my partner.",
    )
    expect(quiz.result).not_to_contain_text("Question 1:")
    expect(quiz.result).not_to_contain_text("out of 100")
    expect(quiz.item("c2").locator("input").first).to_be_focused()


def test_instant_navigation_keeps_one_scorer(page: Page) -> None:
    """Clicking from another page (navigation.instant, no reload) still scores, with one worker per visit."""
    wasm: list[str] = []
    page.on("requestfinished", lambda r: wasm.append(r.url) if r.url.endswith("pyodide.asm.wasm") else None)
    page.goto("")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("link", name="sample quiz").first.click()
    quiz = QuizForm(page, "sample")
    quiz.expect_ready()
    # Leave for a page without a quiz and come back, all without a reload.
    page.locator("a[href$='other/']").first.click()
    expect(page.get_by_role("heading", name="Other page")).to_be_visible()
    page.get_by_role("link", name="sample quiz").first.click()
    quiz = QuizForm(page, "sample")
    quiz.expect_ready()
    for item, label in (("c1", "Sometimes"), ("c2", "Sometimes"), ("s1", "Rarely"), ("s2", "Rarely")):
        quiz.answer(item, label)  # no answer at or beyond a critical threshold: scores are shown
    quiz.submit.click()
    quiz.expect_result_contains("50 out of 100")
    assert page.evaluate("window.__sameDocument") is True, "the page reloaded instead of instant navigation"
    assert len(wasm) == 1, f"Pyodide was fetched {len(wasm)} times"


def test_pyodide_blocked_shows_unavailable(page: Page) -> None:
    """With the Pyodide files unreachable the page says scoring is unavailable and the form still works."""
    page.route("**/assets/pyodide/**", lambda route: route.abort())
    page.goto("quiz/")
    quiz = QuizForm(page, "sample")
    quiz.expect_unavailable()
    quiz.answer("c1", "Often")
    expect(quiz.item("c1").get_by_label("Often", exact=True)).to_be_checked()
    quiz.submit.click()
    quiz.expect_result_contains(WORDS.text("quiz.unavailable"))


@pytest.mark.parametrize(
    ("pattern", "name"),
    [
        ("**/assets/pyodide/*/pyodide.asm.wasm", "pyodide.asm.wasm"),
        ("**/assets/pyodide/*/python_stdlib.zip", "python_stdlib.zip"),
        ("**/assets/pyodide/*/pyodide.mjs", "pyodide.mjs"),
        ("**/assets/engine/*/brickbybrick/engine.py", "brickbybrick/engine.py"),
    ],
)
def test_tampered_runtime_file_is_refused_before_it_runs(page: Page, pattern: str, name: str) -> None:
    """A Pyodide or engine file changed on the way fails its sha256 check in the worker; the page says so."""

    def tamper(route):  # type: ignore[no-untyped-def]
        response = route.fetch()
        route.fulfill(response=response, body=response.body() + b"\nSCORE = 'tampered'\n")

    page.route(pattern, tamper)
    page.goto("quiz/")
    quiz = QuizForm(page, "sample")
    quiz.expect_unavailable()
    quiz.answer("c1", "Often")
    quiz.submit.click()
    quiz.expect_result_contains(f"{name} is not the file this site was built with (sha256 differs)")


def test_extension_note_appears(page: Page) -> None:
    """A quiz's Python extension module runs in the browser and its note shows in the result."""
    page.goto("extension/")
    quiz = QuizForm(page, "ext-demo")
    quiz.expect_ready()
    for fieldset in quiz.form.locator("fieldset").all():
        fieldset.locator("input").last.check()
    quiz.submit.click()
    expect(quiz.result.locator(".bb-result__note")).to_be_visible()


def test_without_javascript_fields_are_off_the_note_says_why_and_help_shows(
    browser: Browser, base_url: str
) -> None:
    """With JavaScript off no answer can be given (Back could show it again), a note says why, help is shown."""
    context = browser.new_context(java_script_enabled=False, base_url=base_url)
    page = context.new_page()
    page.goto("quiz/")
    quiz = QuizForm(page, "sample")
    expect(page.locator(".bb-noscript")).to_have_count(1)
    expect(page.locator(".bb-noscript")).to_contain_text("JavaScript is off in this browser")
    expect(quiz.submit).to_be_hidden()
    radios = quiz.form.locator("input[type=radio]")
    assert radios.count() > 0
    expect(quiz.form.locator("input[type=radio]:enabled")).to_have_count(0)
    radios.first.click(force=True)  # a real click on a switched-off radio button
    expect(quiz.checked).to_have_count(0)
    help_panel = quiz.form.locator("[data-quiz-help]")
    expect(help_panel).to_be_visible()  # no answer needed: it cannot be given
    expect(help_panel).to_contain_text("You deserve to be safe")
    context.close()


@pytest.mark.usefixtures("scorer_held")
def test_with_javascript_fields_are_on_and_the_note_is_not_shown(page: Page) -> None:
    """The site's script switches the fields on; the no-script note and the help panel stay out of sight."""
    page.goto("quiz/")
    quiz = QuizForm(page, "sample")
    expect(quiz.form.locator("input[type=radio]:disabled")).to_have_count(0)
    expect(page.locator(".bb-noscript")).to_have_count(0)  # noscript holds text, not elements
    expect(quiz.help_panel).to_be_hidden()
    quiz.answer("c1", "Often")
    expect(quiz.checked).to_have_count(1)


def test_stalled_download_gives_up_after_20_quiet_seconds_and_can_try_again(page: Page) -> None:
    """A response that never finishes: "preparing" until 20 s pass with no byte, then unavailable with Try again."""
    hold_scorer(page)  # Pyodide's files never arrive: the scorer stays "preparing"
    start = datetime.now(UTC)
    page.clock.install(time=start)
    page.clock.pause_at(start + timedelta(seconds=1))  # from here on, only run_for moves the page's time
    page.goto("quiz/")
    quiz = QuizForm(page, "sample")
    retry = quiz.form.get_by_role("button", name="Try again")
    expect(quiz.state).to_have_attribute("data-status", "preparing")
    page.clock.run_for(19_000)
    expect(quiz.state).to_have_attribute("data-status", "preparing")
    expect(retry).to_be_hidden()
    page.clock.run_for(1_500)
    quiz.expect_unavailable()
    expect(quiz.state).to_contain_text("nothing arrived for 20 s")
    quiz.answer("c1", "Often")  # answering works all along
    page.unroute(PYODIDE_FILES)
    retry.click()
    quiz.expect_ready()
    for item, label in (("c2", "Rarely"), ("s1", "Often"), ("s2", "Rarely")):
        quiz.answer(item, label)
    quiz.submit.click()
    quiz.expect_result_contains("Your results: Sample check")


@pytest.mark.parametrize("accepts", ["gzip, deflate, br, zstd", "gzip"], ids=["brotli", "gzip-only"])
def test_scorer_files_arrive_precompressed_and_still_pass_their_check(
    browser: Browser, base_url: str, accepts: str
) -> None:
    """Served precompressed (Brotli, or gzip to a browser without it), Pyodide's files decode to the pinned bytes and start."""
    context = browser.new_context(base_url=base_url, extra_http_headers={"Accept-Encoding": accepts})
    page = context.new_page()
    encodings: dict[str, str] = {}
    page.on(
        "response",
        lambda response: encodings.__setitem__(
            response.url.rsplit("/", 1)[-1], response.headers.get("content-encoding", "")
        ),
    )
    page.goto("quiz/")
    QuizForm(page, "sample").expect_ready()
    expected = "br" if "br" in accepts else "gzip"
    for name in ("pyodide.asm.wasm", "pyodide.asm.mjs", "python_stdlib.zip"):
        assert encodings[name] == expected, name
    context.close()


def test_progress_in_quarters_on_a_slow_connection(page: Page) -> None:
    """On a throttled connection the state says how far the quiz is in words and quarters, then ready."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 20, "downloadThroughput": 1_000_000, "uploadThroughput": 1_000_000},
    )
    page.goto("quiz/")
    quiz = QuizForm(page, "sample")
    expect(quiz.state).to_have_text(
        re.compile(r"^Getting the quiz ready… (25|50|75)%\. You can answer meanwhile\.$"),
        timeout=20_000,
    )
    expect(quiz.state).to_have_attribute("aria-live", "polite")
    quiz.expect_ready()


def test_scoring_that_never_returns_is_stopped_and_the_scorer_restarts(page: Page) -> None:
    """An extension that loops: after 10 s the page says so, replaces the worker, and scores the next answers."""
    page.clock.install()
    page.goto("loop/")
    quiz = QuizForm(page, "loop")
    quiz.expect_ready()
    quiz.answer("q1", "Sometimes")  # the extension loops on this answer
    quiz.answer("q2", "Often")
    quiz.submit.click()
    expect(quiz.result).to_be_empty()
    page.clock.fast_forward(10_500)
    quiz.expect_result_contains("took more than 10 s and was stopped; the scorer is starting again")
    quiz.expect_ready()
    quiz.answer("q1", "Often")
    quiz.submit.click()
    quiz.expect_result_contains("Your results: Loop check", "100 out of 100")


def test_a_form_changed_by_hand_never_breaks_the_script(page: Page, console_errors: list[str]) -> None:
    """With a question's fieldset removed (devtools, an extension), submitting names it as missing without an error."""
    page.goto("quiz/")
    quiz = QuizForm(page, "sample")
    quiz.expect_ready()
    quiz.answer("c1", "Often")
    quiz.answer("s1", "Often")
    quiz.answer("s2", "Never")
    page.evaluate("document.querySelector(\"fieldset[data-item='c2']\").remove()")
    quiz.submit.click()
    quiz.expect_result_contains(
        "1 question is still unanswered", "Question 2: I worry about how my partner will react."
    )
    expect(quiz.result).to_be_focused()  # the missing question is gone from the page: the note has focus
    assert console_errors == []


def test_scorer_worker_replies_to_every_message(page: Page) -> None:
    """An unknown type, an old protocol version or a score before start-up each get an error reply, never silence."""
    page.goto("quiz/")
    replies = page.evaluate(
        """async (url) => {
          const worker = new Worker(url, { type: "module" });
          const ask = (msg) => new Promise((resolve) => {
            worker.onmessage = (event) => resolve(event.data);
            worker.postMessage(msg);
          });
          const replies = [
            await ask({ v: 3, type: "bogus", id: 7 }),
            await ask({ v: 2, type: "score", id: 8, quiz: "sample", answers: {} }),
            await ask({ v: 3, type: "score", id: 9, quiz: "sample", answers: {} }),
          ];
          worker.terminate();
          return replies;
        }""",
        page.url + "../assets/brickbybrick/javascripts/scorer-worker.js",
    )
    assert replies == [
        {"v": 3, "type": "error", "id": 7, "error": 'scorer worker: unknown message type "bogus"'},
        {"v": 3, "type": "error", "id": 8, "error": "scorer worker: protocol version 2, expected 3"},
        {"v": 3, "type": "scored", "id": 9, "ok": False, "error": "the scorer is not ready"},
    ]


# The Rosenberg Self-Esteem Scale's published key (Rosenberg 1965; see tests/test_scoring.py for
# the source): SA=3 A=2 D=1 SD=0, items 2, 5, 6, 8 and 9 reversed, total 0-30, below 15 low and
# 15 to 25 the normal range. These ticks add up to 3+0+2+1+2+3+0+1+3+1 = 16 on that key.
ROSENBERG_TICKS = [
    "Strongly agree",
    "Strongly agree",
    "Agree",
    "Disagree",
    "Disagree",
    "Strongly disagree",
    "Strongly disagree",
    "Agree",
    "Strongly disagree",
    "Disagree",
]


def test_raw_unit_quiz_shows_the_published_total_and_band(page: Page) -> None:
    """A quiz scored like its paper key shows the published total with its range and band, then a prorated one."""
    page.goto("scoring/")
    quiz = QuizForm(page, "self-esteem")
    quiz.expect_ready()
    for number, label in enumerate(ROSENBERG_TICKS, start=1):
        quiz.answer(f"q{number}", label)
    quiz.submit.click()
    quiz.expect_result_contains("Self-esteem", "16 (0–30)", "mean 1.60 (0–3)", "Within the normal range")
    expect(quiz.result).not_to_contain_text("out of 100")
    expect(quiz.result.locator(".bb-score")).to_have_count(1)  # one score: no subscale repeats it
    quiz.expect_result_focused()

    # One blank is within the quiz's `missing: 1`: the score is prorated (15 / 9 x 10) and says so.
    quiz.clear()
    for number, label in enumerate(ROSENBERG_TICKS, start=1):
        if number != 4:
            quiz.answer(f"q{number}", label)
    quiz.submit.click()
    quiz.expect_result_contains(
        "You left 1 question unanswered, so your score is prorated",
        "Question 4: Placeholder statement 4",
        "16.67 (0–30)",
        "(prorated)",
        "Within the normal range",
    )
