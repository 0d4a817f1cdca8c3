"""A guide opened from files (no web server): each quiz says it cannot be scored there; the page still reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from brickbybrick import catalogue
from helpers import build, mini_project

pytestmark = pytest.mark.browser

PAGES = {
    "index.md": "# Home\n\nSee the [quiz](quiz.md).\n",
    "quiz.md": '# Quiz\n\nIntro.\n\n{{ quiz("sample") }}\n',
    "help.md": "# Help\n\n## Get help\n\nCall.\n",
}


def test_a_quiz_page_opened_from_a_file_says_it_cannot_be_scored(tmp_path: Path, browser: Browser) -> None:
    """Browsers refuse the scorer's module worker on file://: the reader is told so, in words, and can still read."""
    project = mini_project(tmp_path / "project", pages=PAGES)
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    assert done.returncode == 0, done.stderr
    page = browser.new_page()
    try:
        page.goto((tmp_path / "site" / "quiz" / "index.html").as_uri())
        note = page.locator("form[data-quiz='sample'] .bb-quiz__offline")
        expect(note).to_be_visible()
        expect(note).to_have_text(catalogue.load("en").text("page.offline"))
        expect(page.get_by_role("heading", level=1)).to_have_text("Quiz")
        # Served from a web server the same page never shows the note (covered by every other test's
        # page); here, the note is hidden until the page knows it came from a file.
        assert page.evaluate("document.documentElement.classList.contains('bb-file')")
    finally:
        page.close()
