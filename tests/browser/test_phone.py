"""A reader on a phone (375 x 740, touch) and on a desktop (1280 x 800): the result where they look,
help at the answer, a late result that does not pull the page, results printed alone, no one-tap
wipe. Screenshots of each state go to test-results/phone/ for review (never committed)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, Route, expect
from quizpage import PYODIDE_FILES, WORDS, QuizForm

from conftest import Guide
from helpers import ROOT

pytestmark = pytest.mark.browser

SHOTS = ROOT / "test-results" / "phone"
SCREENS = {"phone": {"width": 375, "height": 740}, "desktop": {"width": 1280, "height": 800}}


@pytest.fixture(params=sorted(SCREENS))
def reader(request: pytest.FixtureRequest, browser: Browser, real_site: str) -> Iterator[tuple[str, Page]]:
    """A page on the real guide, on a phone (touch) or a desktop screen: (its name, the page)."""
    name: str = request.param
    phone = name == "phone"
    context = browser.new_context(
        base_url=real_site, viewport=SCREENS[name], has_touch=phone, is_mobile=phone, device_scale_factor=1
    )
    page = context.new_page()
    yield name, page
    context.close()


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"{name}.png")


def tap_or_click(page: Page, target: object, phone: bool) -> None:
    locator = target  # a Locator
    if phone:
        locator.tap()  # type: ignore[attr-defined]
    else:
        locator.click()  # type: ignore[attr-defined]


def header_bottom(page: Page) -> float:
    return float(page.evaluate("document.querySelector('.md-header').getBoundingClientRect().bottom"))


def expect_at_top(page: Page, selector: str) -> None:
    """The element's top is just below the sticky header, on screen, and it has focus."""
    top = float(page.locator(selector).first.evaluate("el => el.getBoundingClientRect().top"))
    below = header_bottom(page)
    assert below <= top <= below + 40, (top, below)
    expect(page.locator(selector).first).to_be_focused()
    outline = page.locator(selector).first.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("none", ""), "the focused result shows no outline"


def answer_calm(quiz: QuizForm) -> None:
    for fieldset in quiz.fieldsets():
        fieldset.locator("input[type=radio]:not([data-critical]):not([data-pattern])").last.check()


def test_the_result_heading_lands_at_the_top_with_focus(reader: tuple[str, Page]) -> None:
    """After a tap (phone) or click (desktop) the result's heading is at the top below the header, focused."""
    name, page = reader
    page.goto("builders/")
    quiz = QuizForm.first_on(page)
    quiz.expect_ready()
    answer_calm(quiz)
    tap_or_click(page, quiz.submit, name == "phone")
    expect(quiz.title).to_be_visible()
    expect_at_top(page, f"form[data-quiz='{quiz.quiz_id}'] .bb-result__title")
    expect(quiz.form.locator("[data-quiz-announce]")).to_have_text(
        re.compile(r"^Your results are ready: \d+ sections\.$")
    )
    shot(page, f"{name}-result")


def test_a_danger_result_lands_on_its_note(reader: tuple[str, Page]) -> None:
    """With a danger answer the reader is taken to the note with the help link, not to a score."""
    name, page = reader
    page.goto("pillars/")
    quiz = QuizForm(page, "safety-check")
    quiz.expect_ready()
    answer_calm(quiz)
    quiz.form.locator("fieldset").first.locator("input[data-critical]").first.check()
    quiz.submit.press("Enter")  # the keyboard's submit
    expect_at_top(page, "form[data-quiz='safety-check'] [data-quiz-alert]")
    shot(page, f"{name}-danger-result")


def test_help_shows_right_below_the_answer(reader: tuple[str, Page]) -> None:
    """Choosing an answer that suggests danger shows the help link under that question, said once."""
    name, page = reader
    page.goto("pillars/")
    quiz = QuizForm(page, "safety-check")
    critical = quiz.form.locator("fieldset:has(input[data-critical])").nth(3)
    note = critical.locator("[data-quiz-item-help]")
    expect(note).to_be_hidden()
    critical.locator("input[data-critical]").first.check()
    expect(note).to_be_visible()
    panel_link = quiz.help_panel.locator(".bb-help__link a")
    expect(note.locator("a")).to_have_text(panel_link.inner_text())
    legend_bottom = float(critical.locator("legend").evaluate("el => el.getBoundingClientRect().bottom"))
    note_top = float(note.evaluate("el => el.getBoundingClientRect().top"))
    assert 0 < note_top - legend_bottom < 400, "the note is right below its question"
    announce = quiz.form.locator("[data-quiz-announce]")
    expect(announce).to_contain_text(panel_link.inner_text())
    # Said once: a second danger answer does not say it again.
    announce.evaluate("el => (el.textContent = '')")
    quiz.form.locator("fieldset:has(input[data-critical])").nth(4).locator(
        "input[data-critical]"
    ).first.check()
    page.wait_for_timeout(300)
    expect(announce).to_have_text("")
    shot(page, f"{name}-help-at-answer")


def test_a_late_result_does_not_pull_the_page(reader: tuple[str, Page]) -> None:
    """Submitted before the quiz is ready, then scrolled away: the result waits, and a link takes the reader there."""
    name, page = reader
    held: list[Route] = []
    released: list[bool] = []

    def hold(route: Route) -> None:
        if released:
            route.continue_()
        else:
            held.append(route)

    page.route(PYODIDE_FILES, hold)
    page.goto("builders/")
    quiz = QuizForm.first_on(page)
    answer_calm(quiz)
    quiz.submit.click()
    expect(quiz.state).to_have_text(WORDS.text("quiz.almost"))
    page.evaluate("window.scrollTo(0, 0)")  # back to the chapter's start while waiting
    released.append(True)
    for route in held:
        route.continue_()
    late = quiz.state.get_by_role("button", name=WORDS.text("quiz.late_link"))
    expect(late).to_be_visible(timeout=60_000)
    expect(quiz.state).to_contain_text(WORDS.text("quiz.late"))
    assert page.evaluate("window.scrollY") == 0, "the result pulled the page"
    shot(page, f"{name}-late-result")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    late.click()
    expect_at_top(page, f"form[data-quiz='{quiz.quiz_id}'] .bb-result__title")


def test_one_tap_never_wipes_the_answers(reader: tuple[str, Page]) -> None:
    """Clearing is below the result, not beside the main button, and needs a second press."""
    name, page = reader
    page.goto("builders/")
    quiz = QuizForm.first_on(page)
    answer_calm(quiz)
    answered = quiz.checked.count()
    submit_box = quiz.submit.bounding_box()
    clear_box = quiz.clear_button.bounding_box()
    assert submit_box is not None
    assert clear_box is not None
    assert clear_box["y"] - (submit_box["y"] + submit_box["height"]) > 40, "the clear control is adjacent"
    assert clear_box["height"] <= submit_box["height"], "the clear control is not secondary"
    tap_or_click(page, quiz.clear_button, name == "phone")
    expect(quiz.clear_button).to_have_text(WORDS.text("quiz.reset_confirm"))
    expect(quiz.checked).to_have_count(answered)
    expect(quiz.form.locator("[data-quiz-announce]")).to_have_text(WORDS.text("quiz.reset_confirm"))
    shot(page, f"{name}-clear-asks")
    tap_or_click(page, quiz.clear_button, name == "phone")
    expect(quiz.checked).to_have_count(0)
    expect(quiz.clear_button).to_have_text(WORDS.text("quiz.reset"))


def pdf_pages_and_text(pdf: bytes, tmp_path: Path) -> tuple[int, str]:
    path = tmp_path / "result.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return pages, text


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_print_my_results_prints_the_result_alone(
    page: Page, real_site: str, paper: str, tmp_path: Path
) -> None:
    """The longest quiz with danger: title, date, result, links with their addresses, help lines; no question, no answer."""
    page.goto(real_site + "pillars/")
    quiz = QuizForm(page, "safety-check")
    quiz.expect_ready()
    answer_calm(quiz)
    first = quiz.form.locator("fieldset").first
    first.locator("input[data-critical]").first.check()
    chosen = first.locator("input:checked + .bb-option__label").inner_text()
    question = first.locator("legend").inner_text()
    quiz.submit.click()
    expect(quiz.result.locator("[data-quiz-alert]")).to_be_visible()
    page.evaluate("window.print = () => {}")  # the dialog itself is the browser's: keep the marks to print
    quiz.result.get_by_role("button", name=WORDS.text("result.print")).click()
    pages, text = pdf_pages_and_text(page.pdf(format=paper, print_background=True), tmp_path)
    flat = " ".join(text.split())
    assert pages <= 2, f"{pages} pages"
    assert "Safety check" in flat
    assert "Printed on" in flat
    assert f"{real_site}help/" in flat  # the help link followed by its full address
    assert "Emergency" in flat or "emergency" in flat  # the help lines
    assert " ".join(question.split())[:60] not in flat  # no question on paper
    assert chosen not in flat.replace("Never", "")  # nor the answer chosen
    # The page's own print (Ctrl+P) after the result prints the same.
    page.evaluate("dispatchEvent(new Event('afterprint'))")
    page.evaluate("dispatchEvent(new Event('beforeprint'))")
    again_pages, again = pdf_pages_and_text(page.pdf(format=paper), tmp_path)
    assert again_pages <= 2
    assert " ".join(question.split())[:60] not in " ".join(again.split())


def test_first_screen_on_a_phone_has_the_safety_line_and_an_emergency_number(
    browser: Browser, real_site: str
) -> None:
    """On a 375 x 740 phone, the home page's safety line and the help page's first emergency number show at once."""
    context = browser.new_context(
        base_url=real_site, viewport=SCREENS["phone"], has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.goto("")
    safety = page.get_by_text(re.compile("don't feel safe right now", re.IGNORECASE)).first
    box = safety.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 740, box
    shot(page, "phone-home")
    page.goto("help/")
    number = page.locator("a[href^='tel:']").first
    box = number.bounding_box()
    assert box is not None
    assert box["y"] + box["height"] <= 740, box
    shot(page, "phone-help")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_result_state_passes_axe_on_a_phone(browser: Browser, guide: Guide, scheme: str) -> None:
    """On a 375 x 740 phone, in both schemes and in each language: the language menu open, a danger result, a
    calm one, the help at the answer, the asking clear control, with the print button hovered and the heading
    focused: axe finds nothing (contrast and target size included)."""
    from test_accessibility import axe_violations

    words = guide.words
    context = browser.new_context(
        base_url=guide.url,
        viewport=SCREENS["phone"],
        has_touch=True,
        is_mobile=True,
        bypass_csp=True,
        color_scheme="dark" if scheme == "dark" else "light",
    )
    page = context.new_page()
    found: dict[str, object] = {}

    def check(state: str) -> None:
        page.wait_for_timeout(200)  # Material's colour transitions
        if violations := axe_violations(page):
            found[state] = violations

    page.goto("pillars/")
    expect(page.locator("body")).to_have_attribute(
        "data-md-color-scheme", "slate" if scheme == "dark" else "default"
    )
    page.locator(".md-select button").tap()
    expect(page.locator(f"a.md-select__link[hreflang='{guide.language}']")).to_be_visible()
    check("language menu open")
    page.locator("article h1").tap()  # closes the menu, as a reader's tap elsewhere does
    quiz = QuizForm(page, "safety-check", words)
    quiz.expect_ready()
    answer_calm(quiz)
    quiz.form.locator("fieldset").first.locator("input[data-critical]").first.check()
    check("help at the answer")
    quiz.submit.click()
    expect(quiz.result.locator("[data-quiz-alert]")).to_be_focused()
    check("danger result, note focused")
    quiz.result.get_by_role("button", name=words.text("result.print")).hover()
    check("danger result, print hovered")
    quiz.clear_button.click()
    check("clear asks again")
    quiz.clear_button.click()
    answer_calm(quiz)
    quiz.submit.click()
    expect(quiz.title).to_be_focused()
    check("calm result, heading focused")
    quiz.result.get_by_role("button", name=words.text("result.print")).focus()
    check("calm result, print focused")
    context.close()
    assert found == {}, found
