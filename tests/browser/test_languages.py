"""A guide in each shipped language shows the reader no word of another language from the plugin."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect
from quizpage import READY_TIMEOUT_MS

from brickbybrick import catalogue
from helpers import FIXTURE_CONFIG, FIXTURES, build, free_port, mini_project, serve

pytestmark = pytest.mark.browser

PAGES = {
    "index.md": "# Home\n\nSee the [quiz](quiz.md).\n",
    "quiz.md": '# Quiz\n\nIntro.\n\n{{ quiz("sample") }}\n',
    "help.md": "# Help\n\n## Get help\n\nCall.\n\n{{ help_directory() }}\n",
}
LANGUAGES = catalogue.languages()


def fragments(text: str) -> list[str]:
    """The literal parts of a message (between its placeholders) long enough to be recognised."""
    return [part.strip() for part in re.split(r"\{\w+\}", text) if len(part.strip()) >= 6]


def foreign(language: str) -> dict[str, list[str]]:
    """Every other language's message fragments that this language writes differently."""
    own = catalogue.load(language).messages
    found: dict[str, list[str]] = {}
    for other in LANGUAGES:
        if other == language:
            continue
        for key, text in catalogue.load(other).messages.items():
            if key.startswith(("number.", "plural.")) or text == own[key]:
                continue
            mine = " ".join(fragments(own[key]))
            found.setdefault(other, []).extend(part for part in fragments(text) if part not in mine)
    return found


@pytest.fixture(scope="module", params=LANGUAGES)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """The fixture guide built with ``theme.language`` set: (language, origin)."""
    language: str = request.param
    root = tmp_path_factory.mktemp(f"guide-{language}")
    config = FIXTURE_CONFIG.replace("  name: material\n", f"  name: material\n  language: {language}\n")
    project = mini_project(root / "project", pages=PAGES, config=config, quiz_dirs=(FIXTURES / "quizzes",))
    sock = free_port()
    origin = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    done = build(project, root / "site", origin)
    assert done.returncode == 0, done.stderr
    with serve(root / "site", sock) as url:
        yield language, url


def visible_words(page: Page) -> str:
    """What a reader sees or hears of the plugin: its regions' text and their accessible names."""
    parts = page.locator(".bb-quiz, .bb-quick-exit, .bb-privacy-notice, .bb-helplines").all_inner_texts()
    labels = page.locator("[aria-label]").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('aria-label'))"
    )
    return "\n".join([*parts, *labels])


def test_every_plugin_word_is_in_the_guide_language(site: tuple[str, str], page: Page) -> None:
    """Form, status, help panel, result, quick exit and help lines: nothing from another language."""
    language, origin = site
    words = catalogue.load(language)
    page.goto(origin + "quiz/")
    form = page.locator("form[data-quiz='sample']")
    expect(form.locator("[data-quiz-state]")).to_have_attribute(
        "data-status", "ready", timeout=READY_TIMEOUT_MS
    )
    expect(form.locator("[data-quiz-state]")).to_have_text(words.text("quiz.ready"))
    expect(page.locator(".bb-quick-exit")).to_have_attribute("aria-label", words.text("page.exit.region"))
    seen = [visible_words(page)]
    # A danger answer (the help panel shows), everything else answered: a whole result.
    for fieldset in form.locator("fieldset").all():
        fieldset.locator("input[type=radio]").first.check()
    form.locator("[data-quiz-submit]").click()
    expect(form.locator(".bb-result__title")).to_have_text(words.text("result.title", title="Sample check"))
    expect(form.locator("[data-quiz-help]")).to_be_visible()
    seen.append(visible_words(page))
    # An incomplete form: the missing-answers message.
    form.locator("[data-quiz-reset]").click()
    expect(form.locator("[data-quiz-reset]")).to_have_text(words.text("quiz.reset_confirm"))
    seen.append(visible_words(page))
    form.locator("[data-quiz-reset]").click()  # clearing asks for a second press
    form.locator("fieldset").first.locator("input[type=radio]").first.check()
    form.locator("[data-quiz-submit]").click()
    expect(form.locator(".bb-result__missing")).to_be_visible()
    seen.append(visible_words(page))
    page.goto(origin + "help/")
    seen.append(visible_words(page))
    text = "\n".join(seen)
    leaks = {other: [part for part in parts if part in text] for other, parts in foreign(language).items()}
    assert {other: found for other, found in leaks.items() if found} == {}
