"""Safe and private by design: quick exit, nothing kept, nothing sent, a strict CSP."""

from __future__ import annotations

import http.server
import re
import threading
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest
from playwright.sync_api import Browser, Page, Playwright, expect
from quizpage import QuizForm, hold_scorer

from brickbybrick import catalogue
from conftest import Guide
from helpers import BuiltSite, free_port, serve

NEUTRAL = "https://www.bbc.co.uk/weather"
CSP_PROBE = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
"""


def _answer_every_quiz(page: Page, words: catalogue.Catalogue) -> int:
    """Answer every question of every quiz on the page (second option), submit, and wait for results."""
    quizzes = QuizForm.all_on(page, words)
    for quiz in quizzes:
        quiz.expect_ready()
        quiz.answer_all(1)
        quiz.submit.click()
        quiz.expect_scored()
    return len(quizzes)


@pytest.mark.usefixtures("scorer_held")
@pytest.mark.allow_hosts("www.bbc.co.uk")
def test_quick_exit_is_first_tab_stop_everywhere(page: Page, guide: Guide) -> None:
    """On every page, in each language, the first Tab lands on "Exit this page" in that language."""
    label = guide.words.text("page.exit.label")
    for url in guide.pages:
        page.goto(url)
        page.keyboard.press("Tab")
        expect(page.locator(":focus")).to_have_text(re.compile(rf"^\s*{re.escape(label)}"))


@pytest.mark.usefixtures("scorer_held")
@pytest.mark.allow_hosts("www.bbc.co.uk")
def test_shift_three_times_leaves_for_neutral_site(page: Page, real_site: str) -> None:
    """Pressing Shift three times blanks the page and replaces it with the neutral site."""
    page.route(
        NEUTRAL + "**",
        lambda route: route.fulfill(body="<title>Weather</title>Weather", content_type="text/html"),
    )
    page.goto(real_site + "pillars/")
    with page.expect_request(NEUTRAL) as leaving:
        for _ in range(3):
            page.keyboard.press("Shift")
    assert leaving.value.url == NEUTRAL
    expect(page).to_have_url(NEUTRAL)


@pytest.mark.allow_hosts("www.bbc.co.uk")
def test_quick_exit_without_javascript_is_visible_and_first(browser: Browser, guide: Guide) -> None:
    """With JavaScript off, every page (the 404 page too) shows the exit link and Tab reaches it first."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    label = guide.words.text("page.exit.label")
    for url in [*guide.pages, guide.url + "404.html"]:  # what a host shows for a missing page
        page.goto(url)
        exit_link = page.get_by_role("link", name=re.compile(rf"^{re.escape(label)}"))
        expect(exit_link).to_be_visible()
        expect(exit_link).to_have_attribute("href", NEUTRAL)
        page.keyboard.press("Tab")
        expect(exit_link).to_be_focused()
    context.close()


def type_with_shift(page: Page, text: str) -> None:
    """Type as a person does: each capital with its own press of Shift."""
    for char in text:
        if char.isupper():
            page.keyboard.down("Shift")
            page.keyboard.press(f"Key{char}")
            page.keyboard.up("Shift")
        else:
            page.keyboard.type(char)


CAPITALS = "DVA: I said I am OK. I Am OK"


@pytest.mark.usefixtures("scorer_held")
@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("worksheet/", "textarea#ws-action-plan-1-text-1"),
        ("pillars/", "form[data-quiz] input[type=radio]"),
        ("index.html", "search"),
    ],
)
def test_typing_capitals_never_exits(page: Page, real_site: str, path: str, field: str) -> None:
    """A Shift press per capital letter (worksheet, a quiz, the search box) keeps the page and the text."""
    page.goto(real_site + path)
    if field == "search":
        target = page.locator("input.md-search__input")
        target.click()
    else:
        target = page.locator(field).first
    target.focus()
    type_with_shift(page, CAPITALS)
    # The exit blanks the page in the keyup handler itself: by now it would have happened.
    assert page.evaluate("document.documentElement.classList.contains('bb-exiting')") is False
    assert page.url.startswith(real_site)
    if field != "form[data-quiz] input[type=radio]":
        expect(target).to_have_value(CAPITALS)


@pytest.mark.usefixtures("scorer_held")
@pytest.mark.allow_hosts("www.bbc.co.uk")
def test_shift_with_another_key_between_does_not_count(page: Page, real_site: str) -> None:
    """Shift, Shift, a letter, Shift: the letter starts the count again, so the page stays."""
    page.goto(real_site + "worksheet/")
    page.locator("textarea#ws-action-plan-1-text-1").focus()
    for key in ("Shift", "Shift", "a", "Shift"):
        page.keyboard.press(key)
    assert page.evaluate("document.documentElement.classList.contains('bb-exiting')") is False
    assert page.url.startswith(real_site)
    expect(page.locator("textarea#ws-action-plan-1-text-1")).to_have_value("a")


@pytest.mark.usefixtures("scorer_held")
@pytest.mark.allow_hosts("www.bbc.co.uk")
def test_click_exit_then_back_shows_no_answers(page: Page, real_site: str) -> None:
    """After answering, leaving by the exit button and coming Back, no answer is filled in."""
    page.route(
        NEUTRAL + "**",
        lambda route: route.fulfill(body="<title>Weather</title>Weather", content_type="text/html"),
    )
    page.goto(real_site + "safety/")
    page.goto(real_site + "builders/")
    form = page.locator("form[data-quiz]").first
    form.locator("fieldset").first.locator("input").nth(2).check()
    expect(form.locator("input:checked")).to_have_count(1)
    page.get_by_role("button", name=re.compile("Exit this page")).click()
    expect(page).to_have_url(NEUTRAL)
    page.go_back()  # location.replace skipped the quiz page: Back goes to the page before
    page.goto(real_site + "builders/")
    expect(page.locator("form[data-quiz] input:checked")).to_have_count(0)


@pytest.fixture
def bfcache_browser(playwright: Playwright, browser_type_launch_args: dict[str, Any]) -> Iterator[Browser]:
    """Chromium with the back/forward cache on (Playwright turns it off by default)."""
    browser = playwright.chromium.launch(
        **browser_type_launch_args, ignore_default_args=["--disable-back-forward-cache"]
    )
    yield browser
    browser.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript-on", "javascript-off"])
def test_back_forward_cache_restores_no_answers(
    bfcache_browser: Browser, real_site: str, javascript: bool
) -> None:
    """A quiz and the worksheet restored by Back from the back/forward cache show no answer and no text.

    With JavaScript on, the site clears them as the page is hidden; with it off, the fields
    were never usable (a person's real clicks and typing are tried all the same).
    """
    context = bfcache_browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    force = not javascript  # the fields are switched off: try anyway, as a person would
    radio = page.locator("form[data-quiz] fieldset").first.locator("input").nth(2)
    textarea = page.locator("textarea#ws-action-plan-1-text-1")

    def answer() -> None:
        if javascript:  # leaving mid-download, Chromium evicts the page rather than keep it
            QuizForm.first_on(page).expect_ready()
        radio.click(force=force)

    def write() -> None:
        textarea.click(force=force)
        page.keyboard.type("words that must not come back")

    # Chromium may decline to keep a page (on a busy machine it evicts it for work still under
    # way, and Back loads it afresh, which shows no answer either): each page is tried up to
    # 3 times, every Back must show no answer, and one Back per page must be a restore.
    for path, fill in (("builders/", answer), ("worksheet/", write)):
        restored = []
        while len(restored) < 3 and True not in restored:
            page.goto(real_site + path)
            fill()
            if javascript:  # the fill took: what follows is the site's clearing, not a dead field
                expect(
                    page.locator("form[data-quiz] input:checked, textarea:not(:placeholder-shown)")
                ).to_have_count(1)
            page.evaluate("window.__sameDocument = true")  # survives only if Back restores this very page
            page.goto(real_site + "privacy/")
            page.go_back(wait_until="commit")
            expect(page.locator("h1").first).to_be_visible()
            restored.append(page.evaluate("window.__sameDocument") is True)
            expect(page.locator("form[data-quiz] input:checked")).to_have_count(0)
            expect(textarea).to_have_count(1 if path == "worksheet/" else 0)
            if path == "worksheet/":
                expect(textarea).to_have_value("")
        assert True in restored, f"{path} was never restored from the cache in {len(restored)} tries"
    context.close()


def test_every_page_and_quiz_under_csp_stays_local_and_kept_nothing(
    browser: Browser, real_site: str, guide: Guide
) -> None:
    """Visit every page and take every quiz, in each language: no CSP violation, no foreign request,
    nothing stored."""
    context = browser.new_context()
    context.add_init_script(CSP_PROBE)
    requests: list[str] = []
    navigations: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    quizzes = 0
    for url in guide.pages:
        page.goto(url)
        quizzes += _answer_every_quiz(page, guide.words)
        assert page.evaluate("window.__cspViolations") == [], url
        for textarea in page.locator("textarea").all():
            textarea.fill("worksheet words that must not be kept")
    assert quizzes == 5
    assert [u for u in requests if not u.startswith((real_site, "blob:" + real_site))] == []
    toggle = page.locator("form[data-md-component='palette'] label:visible").first
    toggle.click()  # the colour-scheme toggle: the theme would store this choice
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")

    storage = page.evaluate(
        """async () => ({
          local: Object.keys(localStorage),
          session: Object.keys(sessionStorage),
          cookies: document.cookie,
          idb: (await indexedDB.databases()).map(d => d.name),
          caches: await caches.keys(),
          workers: (await navigator.serviceWorker.getRegistrations()).length,
        })"""
    )
    # Nothing at all, the theme's colour-scheme choice included (see the privacy page).
    assert storage["local"] == []
    assert storage["session"] == []
    assert storage["cookies"] == ""
    assert storage["idb"] == []
    assert storage["caches"] == []
    assert storage["workers"] == 0
    assert all(("?" not in url and "#" not in url.split("/")[-1]) or "#" in url for url in navigations)
    assert [url for url in navigations if "?" in url] == []
    context.close()


def test_hostile_quiz_injects_nothing(page: Page) -> None:
    """A quiz with markup in every field renders and scores without any injected element or handler."""
    page.add_init_script("window.__alerts = 0; window.alert = () => { window.__alerts += 1; };")
    page.goto("hostile/")
    quiz = QuizForm(page, "hostile")
    form = quiz.form
    quiz.expect_ready()
    quiz.answer_all(-1)
    quiz.submit.click()
    quiz.expect_scored()
    for element in form.locator("legend").all():
        element.hover()
    injected = page.evaluate(
        """() => ({
          scripts: [...document.querySelectorAll('script:not([src])')]
            .filter(s => s.type !== 'application/json' && s.closest('form')).length,
          handlers: [...document.querySelectorAll('*')]
            .filter(el => [...el.attributes].some(a => a.name.startsWith('on'))).length,
        })"""
    )
    assert injected == {"scripts": 0, "handlers": 0}
    assert page.evaluate("window.__alerts") == 0
    expect(form).to_contain_text("<script>alert(1)</script>")


@pytest.mark.parametrize("viewport", [{"width": 375, "height": 667}, {"width": 1280, "height": 800}])
def test_quick_exit_visible_and_hides_nothing(
    browser: Browser, real_site: str, viewport: dict[str, int]
) -> None:
    """On phone and desktop the exit is on screen, covers no header control, and no focused element hides under it."""
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    hold_scorer(context)
    page = context.new_page()
    page.goto(real_site + "pillars/")
    exit_box = page.locator(".bb-quick-exit").bounding_box()
    assert exit_box is not None
    assert exit_box["x"] + exit_box["width"] <= viewport["width"]
    assert exit_box["y"] >= 0

    def overlaps(box: dict[str, float] | None) -> bool:
        if box is None or box["width"] == 0 or box["height"] == 0:
            return False
        return not (
            box["x"] + box["width"] <= exit_box["x"]
            or box["x"] >= exit_box["x"] + exit_box["width"]
            or box["y"] + box["height"] <= exit_box["y"]
            or box["y"] >= exit_box["y"] + exit_box["height"]
        )

    for control in page.locator(".md-header label, .md-header button, .md-header a, .md-header input").all():
        if control.is_visible():
            assert not overlaps(control.bounding_box()), control.evaluate("el => el.outerHTML.slice(0, 80)")
    for _ in range(40):  # the first 40 tab stops: none is covered by the exit
        page.keyboard.press("Tab")
        # Measure where things come to rest, not mid-transition (the search field slides in).
        page.evaluate(
            "new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
            ".then(() => Promise.all(document.getAnimations().map(a => a.finished)))"
        )
        focused = page.locator(":focus")
        if focused.evaluate("el => el.closest('.bb-quick-exit') !== null"):
            continue
        assert not overlaps(focused.bounding_box()), focused.evaluate("el => el.outerHTML.slice(0, 80)")
    context.close()


class _Recorder(http.server.BaseHTTPRequestHandler):
    """A second local origin that notes every request that reaches it."""

    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        self.send_response(200)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(b"arrived")

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.mark.provokes_csp
def test_scorer_worker_is_confined_by_the_page_policy_on_any_host(
    page: Page, real_site_build: BuiltSite
) -> None:
    """On a host that ignores _headers, code in the running scorer can neither reach another origin nor load script."""
    recorder = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=recorder.serve_forever, daemon=True).start()
    other = f"http://127.0.0.1:{recorder.server_address[1]}/leak"
    try:
        with serve(real_site_build.site_dir, free_port(), honour_headers=False) as url:
            page.goto(url + "builders/")
            quiz = QuizForm(page, "trust-builders")
            quiz.expect_ready()
            # Two workers: the loader (downloads and checks) and Python's, which has no network at all.
            scorers = [worker for worker in page.workers if worker.url.startswith("blob:")]
            names = [worker.evaluate("self.name") for worker in scorers]
            assert sorted(names) == ["", "brickbybrick-python"]
            scorer = scorers[names.index("")]
            python = scorers[names.index("brickbybrick-python")]
            assert python.evaluate("[typeof fetch, typeof postMessage]") == ["undefined", "undefined"]
            fetched = scorer.evaluate(
                "url => fetch(url).then(() => 'arrived', (error) => 'refused: ' + error.name)", other
            )
            # script-src: a module from a data: or blob: URL is refused. (An eval() typed here would
            # run: the DevTools protocol that evaluates this is exempt from the policy's eval rule.)
            imported = scorer.evaluate(
                """() => Promise.all([
                  import("data:text/javascript,export default 42").then(() => "ran", (e) => e.name),
                  import(URL.createObjectURL(new Blob(["export default 42"], { type: "text/javascript" })))
                    .then(() => "ran", (e) => e.name),
                ])"""
            )
            # The page itself is held to the same policy.
            from_page = page.evaluate(
                "url => fetch(url).then(() => 'arrived', (e) => 'refused: ' + e.name)", other
            )
    finally:
        recorder.shutdown()
        recorder.server_close()
    assert fetched == "refused: TypeError"
    assert imported == ["TypeError", "TypeError"]
    assert from_page == "refused: TypeError"
    assert _Recorder.seen == []
