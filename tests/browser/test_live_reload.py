"""Under `mkdocs serve` the author's page reloads itself when a chapter changes, within the site's policy."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from brickbybrick.plugin import csp, livereload
from helpers import MKDOCS, free_port, mini_project
from test_one_guide_many_languages import project as two_languages

pytestmark = pytest.mark.browser

PAGES = {
    "index.md": "# Home\n\nSee the [quiz](quiz.md).\n",
    "quiz.md": '# Quiz\n\nIntro.\n\n{{ quiz("sample") }}\n',
    "help.md": "# Help\n\n## Get help\n\nCall.\n",
}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A fresh guide under `mkdocs serve` on a free port: (its origin, its project directory)."""
    with serving(mini_project(tmp_path / "project", pages=PAGES), tmp_path) as origin_and_project:
        yield origin_and_project


@contextlib.contextmanager
def serving(project: Path, tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """``mkdocs serve`` of ``project`` on a free port, its log in ``tmp_path/serve.log``."""
    sock = free_port()
    port = sock.getsockname()[1]
    sock.close()
    origin = f"http://127.0.0.1:{port}/"
    log = tmp_path / "serve.log"
    with log.open("w") as log_file:
        server = subprocess.Popen(
            [*MKDOCS, "serve", "-f", str(project / "mkdocs.yml"), "--dev-addr", f"127.0.0.1:{port}"],
            cwd=project,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": origin},
            stdout=subprocess.DEVNULL,
            stderr=log_file,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(origin, timeout=5):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        f"mkdocs serve did not start: {server.stderr.read() if server.stderr else ''}"
                    ) from None
                time.sleep(0.3)
        yield origin, project
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_served_page_allows_exactly_the_live_reload_script(served: tuple[str, Path]) -> None:
    """The served page carries MkDocs' live reload as one fixed script whose hash its policy allows."""
    origin, _ = served
    with urllib.request.urlopen(origin, timeout=10) as response:
        html = response.read().decode("utf-8")
    assert f">{livereload.SCRIPT}</script>" in html
    assert (
        csp.script_hash(livereload.SCRIPT)
        in html.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    )


def test_editing_a_chapter_reloads_the_page(served: tuple[str, Path], page: Page) -> None:
    """Change a chapter on disk: the open page shows the change by itself, with no policy violation."""
    origin, project = served
    page.goto(origin)
    expect(page.get_by_role("heading", level=1)).to_have_text("Home")
    time.sleep(1)  # the page starts polling on load; an edit in the same instant may race its first poll
    (project / "docs" / "index.md").write_text(
        "# Home, edited\n\nSee the [quiz](quiz.md).\n", encoding="utf-8"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Home, edited", timeout=60_000)


def test_the_same_mistake_is_named_on_every_rebuild(served: tuple[str, Path]) -> None:
    """Under serve, a quiz call that cannot work is reported with its page and line each time it is saved."""
    _, project = served
    log = project.parent / "serve.log"
    page = project / "docs" / "index.md"
    expected = "docs/index.md:3: quiz('nope'): no such quiz"
    for attempt in (1, 2):
        page.write_text(f'# Home\n\n{{{{ quiz("nope") }}}}\n\n<!-- save {attempt} -->\n', encoding="utf-8")
        deadline = time.monotonic() + 60
        while log.read_text(encoding="utf-8").count(expected) < attempt:
            assert time.monotonic() < deadline, log.read_text(encoding="utf-8")[-2000:]
            time.sleep(0.3)


def test_the_other_language_is_served_and_reloads_too(tmp_path: Path, page: Page) -> None:
    """A guide in two languages under one `mkdocs serve`: the Spanish pages are there, with the live
    reload their policy allows, and editing a Spanish chapter reloads its open page."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security" in message.text else None,
    )
    with serving(two_languages(tmp_path), tmp_path) as (origin, project):
        page.goto(origin + "es/")
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect(page.get_by_role("heading", level=1)).to_have_text("Inicio")
        time.sleep(1)  # as above: the page's first poll
        (project / "es" / "docs" / "index.md").write_text(
            "# Inicio, cambiado\n\nMira el [cuestionario](quiz.md).\n", encoding="utf-8"
        )
        expect(page.get_by_role("heading", level=1)).to_have_text("Inicio, cambiado", timeout=60_000)
    assert violations == []
