"""Accessibility, tested: axe-core on every page in both colour schemes, and on quiz results."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from quizpage import QuizForm

from conftest import Guide
from helpers import ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {"rules": {"target-size": {"enabled": True}}, "resultTypes": ["violations"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """axe-core is injected as an inline script, which the site's own CSP rightly blocks."""
    return {**browser_context_args, "bypass_csp": True}


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page as it is now; return its violations, summarised for a readable failure."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        {"id": v["id"], "impact": v["impact"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in results["violations"]
    ]


@pytest.mark.usefixtures("scorer_held")
def test_every_page_has_no_violations(page: Page, guide: Guide) -> None:
    """Every page in each language's sitemap passes axe (target-size on) in light and in dark colour scheme."""
    page.emulate_media(color_scheme="light")
    toggle = page.locator("form[data-md-component='palette'] label:visible").first
    found = {}
    for url in guide.pages:
        page.goto(url)  # a reload: the theme follows the device's (light) setting again
        for scheme, expected in (("light", "default"), ("dark", "slate")):
            if scheme == "dark":
                toggle.click()  # the reader's own switch: one page load serves both schemes
            expect(page.locator("body")).to_have_attribute("data-md-color-scheme", expected)
            if violations := axe_violations(page):
                found[f"{url} ({scheme})"] = violations
    assert found == {}, json.dumps(found, indent=1)


@pytest.mark.usefixtures("scorer_held")
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_hovered_buttons_and_links_keep_their_contrast(page: Page, real_site: str, scheme: str) -> None:
    """Under the mouse, a quiz's button and a chapter's link still pass axe's contrast check."""
    page.emulate_media(color_scheme=scheme)
    page.goto(real_site + "builders/")
    expect(page.locator("body")).to_have_attribute(
        "data-md-color-scheme", "slate" if scheme == "dark" else "default"
    )
    quiz = QuizForm.first_on(page)
    for target in (
        quiz.form.get_by_role("button", name="Clear my answers"),
        page.locator("article a[href]:not(.md-button)").first,
    ):
        target.scroll_into_view_if_needed()
        target.hover()
        page.wait_for_timeout(300)  # Material's colour transition (125 ms) has ended
        violations = axe_violations(page)
        assert violations == [], json.dumps(violations, indent=1)


def test_quiz_result_and_missing_message_have_no_violations(page: Page, real_site: str) -> None:
    """A shown result and a shown missing-answers message pass axe too."""
    page.goto(real_site + "builders/")
    quiz = QuizForm.first_on(page)
    quiz.expect_ready()
    quiz.submit.click()
    expect(quiz.result.locator(".bb-result__missing")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)
    quiz.answer_all(3)
    quiz.submit.click()
    quiz.expect_scored()
    violations = axe_violations(page)
    assert violations == [], json.dumps(violations, indent=1)


@pytest.mark.parametrize("path", ["pillars/", "builders/", "destroyers/", "cycle/", "repair/"])
def test_keyboard_alone_completes_each_quiz(page: Page, real_site: str, path: str) -> None:
    """With Tab, arrow keys and Enter only, a person answers every question and reads the result."""
    page.goto(real_site + path)
    quiz = QuizForm.first_on(page)
    form = quiz.form
    quiz.expect_ready()
    first_radio = form.locator("input[type=radio]").first
    for _ in range(200):
        page.keyboard.press("Tab")
        if first_radio.evaluate("el => el === document.activeElement"):
            break
    expect(first_radio).to_be_focused()
    fieldsets = form.locator("fieldset").count()
    for index in range(fieldsets):
        page.keyboard.press("ArrowRight")  # the second answer of this question
        if index < fieldsets - 1:
            page.keyboard.press("Tab")  # to the next question's radio group...
            if page.evaluate("!!document.activeElement.closest('[data-quiz-item-help]')"):
                page.keyboard.press("Tab")  # ...after the help link a danger answer shows under it
    submit = quiz.submit
    for _ in range(200):  # past the help panel revealed by the answers (its links and sections)
        page.keyboard.press("Tab")
        if submit.evaluate("el => el === document.activeElement"):
            break
    expect(submit).to_be_focused()
    page.keyboard.press("Enter")
    quiz.expect_scored()
    quiz.expect_result_focused()
    assert form.locator("input[type=radio]:checked").count() == fieldsets
