"""The guide in each of its languages: its own words, a switch to the same page, help in that language."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from quizpage import QuizForm

from brickbybrick import engine
from brickbybrick.helpfile import load_help
from brickbybrick.quizfile import load_quiz, read_yaml
from brickbybrick.translation import load_translation
from conftest import GUIDE_LANGUAGES, Guide
from helpers import ROOT, BuiltSite

HELP_FILES = {"en": ROOT / "help.yml", "es": ROOT / "help.es.yml"}
WORKSHEETS = {"en": ROOT / "worksheets", "es": ROOT / "es" / "worksheets"}
# The safety check's "ever choked or strangled you?", answered with something that happened long ago.
STRANGLED = ("p2", "Yes, but not in the past year")


def spec(quiz_id: str, language: str) -> engine.Spec:
    """A quiz's words as a reader of ``language`` sees them: the quiz file's, or its translation's."""
    english = load_quiz(ROOT / "quizzes" / f"{quiz_id}.yml")
    if language == "en":
        return english
    path = ROOT / "quizzes" / language / f"{quiz_id}.yml"
    return load_translation(path, english, display_name=path.relative_to(ROOT).as_posix())


def heading(chapter: Path) -> str:
    """A chapter's title, as its first level-1 heading says (without an {#id})."""
    text = chapter.read_text(encoding="utf-8")
    found = re.search(r"^# (.+?)(?:\s*\{[^}]*\})?\s*$", text, re.MULTILINE)
    assert found, chapter
    return found[1]


def other(guide: Guide) -> str:
    return next(language for language in GUIDE_LANGUAGES if language != guide.language)


def path_of(url: str, guide_url: str) -> str:
    """A page's path inside its language's site ("pillars/")."""
    assert url.startswith(guide_url), url
    return url[len(guide_url) :]


def test_every_page_has_its_language_and_a_switch_to_the_same_page(browser: Browser, guide: Guide) -> None:
    """With JavaScript off, every page says its language, and its switch is a plain link to the same
    page in the other language, which says that language."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    target = other(guide)
    there = guide.url.removesuffix(GUIDE_LANGUAGES[guide.language]) + GUIDE_LANGUAGES[target]
    for url in guide.pages:
        page.goto(url)
        expect(page.locator("html")).to_have_attribute("lang", guide.language)
        switch = page.locator(f"a.md-select__link[hreflang='{target}']")
        expect(switch).to_have_attribute("lang", target)
        expect(page.locator(f"a.md-select__link[hreflang='{guide.language}']")).to_have_attribute(
            "aria-current", "page"
        )
        href = switch.evaluate("a => a.href")
        assert href == there + path_of(url, guide.url), url
    page.goto(guide.pages[0])
    page.locator(f"a.md-select__link[hreflang='{target}']").evaluate("a => a.click()")  # a hidden menu item
    expect(page.locator("html")).to_have_attribute("lang", target)
    context.close()


@pytest.mark.usefixtures("scorer_held")
def test_the_switch_takes_a_keyboard_reader_to_the_same_chapter(page: Page, real_site: str) -> None:
    """Tab to the language button, choose "Español" from its menu: the same chapter in Spanish, and back."""
    page.goto(real_site + "pillars/")
    button = page.get_by_role("button", name="Select language")
    button.focus()
    spanish = page.get_by_role("link", name="Español")
    expect(spanish).to_be_visible()
    expect(page.get_by_role("link", name="English")).to_have_css("font-weight", "700")  # where the reader is
    spanish.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(real_site + "es/pillars/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_have_text(heading(ROOT / "es" / "docs" / "pillars.md"))
    page.get_by_role("button", name="Seleccionar idioma").focus()
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(real_site + "pillars/")
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.usefixtures("scorer_held")
def test_search_finds_pages_in_the_readers_language_only(page: Page, guide: Guide) -> None:
    """Searching a word of the language finds that language's pages, never the other's."""
    word = {"en": "trust", "es": "confianza"}[guide.language]
    page.goto(guide.url)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(word)
    results = page.locator(".md-search-result__item a")
    expect(results.first).to_be_visible(timeout=20_000)
    hrefs = results.evaluate_all("links => links.map(a => a.href)")
    assert all(href.startswith(guide.url) for href in hrefs), hrefs
    if guide.language == "en":
        assert not [href for href in hrefs if "/es/" in href]
    expect(page.locator(".md-search-result")).to_contain_text(re.compile(word, re.IGNORECASE))


def test_a_danger_answer_leads_to_help_in_the_readers_language(page: Page, guide: Guide) -> None:
    """One danger answer in the safety check: help shows at the answer and the result opens with it;
    its first link is the help page in the same language, whose first section is for danger now."""
    english, words = spec("safety-check", "en"), spec("safety-check", guide.language)
    item_id, english_answer = STRANGLED
    item = next(item for item in words["items"] if item["id"] == item_id)
    points = [point["label"] for point in english["scales"][item["scale"]]["points"]]
    answer = words["scales"][item["scale"]]["points"][points.index(english_answer)]["label"]
    page.goto(guide.url + "pillars/")
    quiz = QuizForm(page, "safety-check", guide.words)
    quiz.expect_ready()
    for fieldset in quiz.fieldsets():
        fieldset.locator("input[type=radio]:not([data-critical]):not([data-pattern])").last.check()
    quiz.question(item["text"]).get_by_label(answer, exact=True).check()
    expect(quiz.help_panel).to_be_visible()
    quiz.submit.click()
    quiz.expect_scored()
    expect(quiz.result.locator(".bb-result > *").first).to_have_class(re.compile("bb-result__alert"))
    first_link = quiz.result.get_by_role("link").first
    expect(first_link).to_have_text(guide.words.text("help.link"))
    first_link.click()
    expect(page).to_have_url(guide.url + "help/")
    expect(page.locator("html")).to_have_attribute("lang", guide.language)
    data = load_help(HELP_FILES[guide.language], words=guide.words)
    first = next(iter(data.sections.values()))
    expect(page.get_by_role("heading", name=first["heading"], exact=True)).to_be_visible()
    number = first["lines"][0]["phone"]
    expect(page.locator("article a[href^='tel:']").first).to_have_attribute("href", f"tel:{number}")


def test_the_blank_worksheet_is_in_the_readers_language(guide: Guide, real_site_build: BuiltSite) -> None:
    """The blank action-plan worksheet, A4, is printed in its page's language: its title and first heading."""
    sheet = read_yaml(WORKSHEETS[guide.language] / "action-plan.yml", "action-plan.yml").data
    pdf = real_site_build.site_dir / GUIDE_LANGUAGES[guide.language] / "worksheets" / "action-plan-a4.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert sheet["title"] in text
    assert sheet["sections"][0]["heading"] in text
