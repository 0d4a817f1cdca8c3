"""The shipped guide in Chromium: every self-assessment scores, shows bars with words, and help comes first."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from quizpage import QuizForm, hold_scorer

QUIZ_PAGES = {
    "safety-check": "pillars/",
    "trust-builders": "builders/",
    "trust-destroyers": "destroyers/",
    "vulnerability-cycle": "cycle/",
    "repair-readiness": "repair/",
}
AFRAID = "I am afraid that my partner could seriously hurt me."


def test_critical_answer_shows_help_before_the_scorer_is_ready(page: Page, real_site: str) -> None:
    """Help appears the moment a frightening answer is chosen, with the scorer still loading."""
    hold_scorer(page)  # Pyodide's files never arrive: the scorer stays "preparing"
    page.goto(real_site + "pillars/")
    quiz = QuizForm(page, "safety-check")
    expect(quiz.help_panel).to_be_hidden()
    quiz.question(AFRAID).get_by_label("A little true", exact=True).check()
    expect(quiz.help_panel).to_be_visible()
    expect(quiz.help_panel).to_contain_text("911")
    expect(quiz.state).to_have_attribute("data-status", "preparing")


def test_without_javascript_the_safety_check_shows_help_at_once(browser: Browser, real_site: str) -> None:
    """With JavaScript disabled the safety check cannot be answered, so its help panel shows from the start."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(real_site + "pillars/")
    quiz = QuizForm(page, "safety-check")
    expect(quiz.help_panel).to_be_visible()
    expect(quiz.help_panel.get_by_role("link").first).to_have_attribute("href", "../help/")
    expect(quiz.question(AFRAID).get_by_label("Completely true", exact=True)).to_be_disabled()
    context.close()


@pytest.mark.usefixtures("scorer_held")
def test_every_chapter_is_one_click_from_home(page: Page, real_site: str, real_site_pages: list[str]) -> None:
    """The home page links to every page of the guide (navigation), and chapters have previous/next links."""
    page.goto(real_site)
    linked = set(
        page.locator("nav.md-nav--primary a.md-nav__link[href]").evaluate_all("els => els.map(e => e.href)")
    )
    assert set(real_site_pages) <= linked
    page.goto(real_site + "builders/")
    expect(page.locator("a.md-footer__link--prev")).to_be_visible()
    expect(page.locator("a.md-footer__link--next")).to_be_visible()


@pytest.mark.usefixtures("scorer_held")
def test_offline_search_finds_a_chapter(page: Page, real_site: str) -> None:
    """Search runs on this device and finds the chapter about repairing trust."""
    page.goto(real_site)
    search = page.get_by_role("textbox", name="Search")
    search.click()
    # The index is built in Material's search worker; type once it says it is ready.
    expect(page.locator(".md-search-result__meta")).not_to_have_text("Initializing search", timeout=20_000)
    search.press_sequentially("accountability")
    results = page.locator(".md-search-result__item")
    expect(results.first).to_be_visible(timeout=20_000)
    expect(page.locator(".md-search-result")).to_contain_text("Repairing")
    assert "accountability" not in page.url


SEARCH_WORKER = re.compile(r"/workers/search\.[^/]*\.js$")


def search_worker_requests(page: Page) -> list[str]:
    """Requests for Material's search worker script, recorded from now on."""
    requested: list[str] = []
    page.on("request", lambda request: SEARCH_WORKER.search(request.url) and requested.append(request.url))
    return requested


def test_on_a_quiz_page_search_waits_for_the_scorer_unless_the_reader_searches(
    page: Page, real_site: str
) -> None:
    """Material's search index is not built while the scorer starts, yet search answers as soon as a reader turns to it."""
    hold_scorer(page)  # the scorer stays "preparing"
    requested = search_worker_requests(page)
    page.goto(real_site + "pillars/")
    quiz = QuizForm(page, "safety-check")
    page.wait_for_load_state("load")  # the theme's bundle has run: it creates its search worker at once
    page.wait_for_timeout(500)
    expect(quiz.state).to_have_attribute("data-status", "preparing")
    assert requested == []  # yet its script was never requested: the worker waits
    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially("accountability")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=20_000)
    expect(page.locator(".md-search-result")).to_contain_text("Repairing")
    assert len(requested) == 1


def test_on_a_quiz_page_search_starts_once_the_scorer_is_ready(page: Page, real_site: str) -> None:
    """When the scorer is ready, the search index is built without the reader asking, and search answers."""
    requested = search_worker_requests(page)
    # The worker is created as the scorer settles; its script is requested soon after.
    with page.expect_request(SEARCH_WORKER, timeout=60_000):
        page.goto(real_site + "pillars/")
        expect(QuizForm(page, "safety-check").state).to_have_attribute("data-status", "ready", timeout=60_000)
    assert len(requested) == 1
    search = page.get_by_role("textbox", name="Search")
    search.click()
    expect(page.locator(".md-search-result__meta")).not_to_have_text("Initializing search", timeout=20_000)
    search.press_sequentially("accountability")
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=20_000)


def answer_all_calm(quiz: QuizForm) -> None:
    """Every question at its last answer that is neither critical nor counts towards a pattern: with the
    safety check's control items all at "A few times", the control pattern alone (rightly) brings up help."""
    for fieldset in quiz.fieldsets():
        fieldset.locator("input[type=radio]:not([data-critical]):not([data-pattern])").last.check()


CONTROL = ("accused you of cheating", "checked your phone", "friends or family")


def test_three_controlling_things_a_few_times_bring_up_help_and_no_score(page: Page, real_site: str) -> None:
    """Coercive control is a pattern: three control questions at "A few times", none critical alone, show
    the help panel as the third is chosen, and the result opens with help and shows no score at all."""
    page.goto(real_site + "pillars/")
    quiz = QuizForm(page, "safety-check")
    quiz.expect_ready()
    answer_all_calm(quiz)
    for number, text in enumerate(CONTROL, start=1):
        option = quiz.question(text).get_by_label("A few times", exact=True)
        expect(option).not_to_have_attribute("data-critical", "")
        option.check()
        if number < len(CONTROL):
            expect(quiz.help_panel).to_be_hidden()
    expect(quiz.help_panel).to_be_visible()
    quiz.submit.click()
    result = quiz.result
    expect(result.locator(".bb-result__alert")).to_be_visible()
    expect(result.get_by_role("link").first).to_have_attribute("href", "../help/")
    expect(result).to_contain_text("Your freedom matters")
    expect(result.locator(".bb-score__value")).to_have_count(0)
    expect(result.locator("svg.bb-bar")).to_have_count(0)
    expect(result).not_to_contain_text("check-in")


# One critical item per quiz that has them: quiz -> (item text starts with, the answer chosen).
# The safety check's is one that happened over a year ago: "ever" questions count at any time.
DANGER = {
    "safety-check": ("Has your partner ever choked or strangled you", "Yes, but not in the past year"),
    "trust-destroyers": ("I block my partner's way", "Rarely"),
    "repair-readiness": ("I threaten my partner.", "Rarely"),
    "vulnerability-cycle": ("My partner uses things I told them in confidence against me.", "Rarely"),
}


@pytest.mark.parametrize("quiz_id", QUIZ_PAGES)
def test_quiz_scores_with_labelled_bars_and_one_danger_answer_puts_help_first(
    page: Page, real_site: str, quiz_id: str
) -> None:
    """Each quiz scores: every subscale shows a bar beside its label, band and figure in words. Then,
    with one critical answer and the rest at their best, the result opens with help and offers no couples work."""
    page.goto(real_site + QUIZ_PAGES[quiz_id])
    quiz = QuizForm(page, quiz_id)
    quiz.expect_ready()
    answer_all_calm(quiz)
    quiz.submit.click()
    quiz.expect_scored()
    result = quiz.result
    subscales = result.locator(".bb-result__subscale")
    assert subscales.count() >= 2
    for subscale in subscales.all():
        expect(subscale.locator("svg.bb-bar")).to_have_attribute("aria-hidden", "true")
        expect(subscale.locator(".bb-score__value")).to_have_text(re.compile(r"^\d{1,3} out of 100$"))
        expect(subscale.locator(".bb-score__band")).not_to_be_empty()
    expect(result).to_contain_text("not a diagnosis")
    expect(result.locator(".bb-result__next a").first).to_have_attribute("href", re.compile(r"^\.\.?/"))
    expect(result.locator(".bb-result__alert")).to_have_count(0)
    if quiz_id not in DANGER:
        return
    item_text, answer = DANGER[quiz_id]
    quiz.question(item_text).get_by_label(answer, exact=True).check()
    quiz.submit.click()
    expect(result.locator(".bb-result__alert")).to_be_visible()
    links = result.get_by_role("link")
    expect(links.first).to_have_attribute("href", "../help/")
    first_text = result.locator(".bb-result > *").first
    expect(first_text).to_have_class(re.compile("bb-result__alert"))
    expect(result.locator(".bb-result__overall .bb-score__value")).to_have_count(0)
    hrefs = [link.get_attribute("href") or "" for link in links.all()]
    assert [h for h in hrefs if re.search(r"action-plan|worksheet|repair|check-in", h)] == []
