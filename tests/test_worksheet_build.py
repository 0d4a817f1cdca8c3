"""Real `mkdocs build --strict` runs of a guide with a worksheet file: placed with one macro, its
blank PDFs linked in both URL modes, mistakes named at their line (Chromium is left out here:
BB_SKIP_PDF=1, or a stand-in; tests/browser/test_worksheet.py prints for real)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from brickbybrick.plugin import pdf
from helpers import FIXTURE_CONFIG, build, mini_project

PLAN = """\
id: plan
title: My plan
sections:
  - heading: My focus areas
    focus_areas: 2
  - heading: What I want to change
    lines: 3
"""
PAGES = {
    "index.md": "# Home\n\nSee the [quiz](quiz.md) and [the plan](plan.md).\n",
    "quiz.md": '# Quiz\n\nIntro.\n\n{{ quiz("sample") }}\n',
    "plan.md": '# Plan\n\nPrint it [blank on A4](worksheets/plan-a4.pdf).\n\n{{ worksheet("plan") }}\n',
    "help.md": "# Help\n\n## Get help\n\nCall.\n",
}
WITHOUT_INSTANT = FIXTURE_CONFIG.replace("  features: [navigation.instant]\n", "")


def guide(
    tmp_path: Path,
    *,
    pages: dict[str, str] = PAGES,
    plan: str = PLAN,
    config: str = FIXTURE_CONFIG,
) -> Path:
    project = mini_project(tmp_path / "project", pages=pages, config=config)
    (project / "worksheets").mkdir()
    (project / "worksheets" / "plan.yml").write_text(plan, encoding="utf-8")
    return project


def run(project: Path, tmp_path: Path, **env: str) -> tuple[int, str, Path]:
    saved = dict(os.environ)
    os.environ.update({"BB_SKIP_PDF": "1", **env})
    try:
        done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return done.returncode, done.stdout + done.stderr, tmp_path / "site"


def pdf_links(html: str) -> list[str]:
    return re.findall(r'<a class="md-button" href="([^"]+)" download>', html)


@pytest.mark.parametrize("directory_urls", [True, False])
def test_the_pdf_links_reach_the_pdfs_in_both_url_modes(tmp_path: Path, directory_urls: bool) -> None:
    """The worksheet's download links and a chapter's Markdown link to a PDF pass --strict and
    point at worksheets/<id>-<paper>.pdf, with directory URLs or without."""
    if pdf.find_chromium(None) is None:
        pytest.skip("no Chromium to print the PDFs with")
    config = FIXTURE_CONFIG + f"use_directory_urls: {str(directory_urls).lower()}\n"
    code, output, site = run(guide(tmp_path, config=config), tmp_path, BB_SKIP_PDF="0")
    assert code == 0, output
    page = site / ("plan/index.html" if directory_urls else "plan.html")
    html = page.read_text(encoding="utf-8")
    links = pdf_links(html)
    assert len(links) == 2
    in_text = re.search(r'<a href="([^"]+)">blank on A4</a>', html)
    assert in_text is not None
    base = "https://site.invalid/" + page.relative_to(site).as_posix()
    resolved = [urljoin(base, href) for href in [*links, in_text[1]]]
    assert resolved == [
        "https://site.invalid/worksheets/plan-a4.pdf",
        "https://site.invalid/worksheets/plan-letter.pdf",
        "https://site.invalid/worksheets/plan-a4.pdf",
    ]
    for name in ("plan-a4.pdf", "plan-letter.pdf"):
        assert (site / "worksheets" / name).read_bytes().startswith(b"%PDF-")


def test_without_chromium_no_empty_pdf_is_left(tmp_path: Path) -> None:
    """With BB_SKIP_PDF=1 the build passes and ships no empty PDF in place of the blank ones."""
    code, output, site = run(guide(tmp_path), tmp_path)
    assert code == 0, output
    assert "BB_SKIP_PDF=1: skipping the blank worksheet PDF" in output
    assert not (site / "worksheets").exists() or list((site / "worksheets").iterdir()) == []


def test_a_markdown_link_to_a_pdf_of_no_placed_worksheet_fails(tmp_path: Path) -> None:
    """Only placed worksheets have PDFs: a link to another's is a broken link under --strict."""
    pages = {**PAGES, "index.md": "# Home\n\nSee [the other](worksheets/other-a4.pdf).\n"}
    code, output, _ = run(guide(tmp_path, pages=pages), tmp_path)
    assert code != 0
    assert "worksheets/other-a4.pdf" in output


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            '# Plan\n\nText.\n\n{{ worksheet("plann") }}\n',
            "docs/plan.md:5: worksheet('plann'): no such worksheet in worksheets/ (expected one of: plan)",
        ),
        (
            '# Plan\n\nFill in {{ worksheet("plan") }} now.\n',
            "docs/plan.md:3: worksheet('plan') must be on a line of its own, not inside a sentence",
        ),
        (
            '# Plan\n\n{{ worksheet("plan") }}\n\n{{ worksheet("plan") }}\n',
            "docs/plan.md:5: worksheet('plan') is already on this page (line 3): once per page",
        ),
        (
            "---\ntitle: Plan\n---\n\n# Plan\n\n{{ worksheet(plan) }}\n",
            'docs/plan.md:7: write a worksheet as {{ worksheet("worksheet-id") }} with the id in quotes',
        ),
    ],
)
def test_a_call_that_cannot_work_fails_naming_page_and_line(tmp_path: Path, page: str, expected: str) -> None:
    code, output, _ = run(guide(tmp_path, pages={**PAGES, "plan.md": page}), tmp_path)
    assert code != 0
    assert expected in output
    assert "Traceback" not in output


def test_a_mistake_in_the_worksheet_file_fails_at_its_line(tmp_path: Path) -> None:
    plan = PLAN.replace("    lines: 3\n", "    lines: 3\n    colour: blue\n")
    code, output, _ = run(guide(tmp_path, plan=plan), tmp_path)
    assert code != 0
    assert "worksheets/plan.yml:8: sections[1].colour: unknown key" in output
    assert "Traceback" not in output


def test_without_instant_navigation_the_build_warns_once_and_the_page_says_so(tmp_path: Path) -> None:
    """Focus areas fill from this visit's results only with navigation.instant: without it the build
    warns once (naming the page and line), and the page says only this page's quizzes can fill it."""
    pages = {**PAGES, "other.md": '# Other\n\n{{ worksheet("plan") }}\n'}
    code, output, _ = run(guide(tmp_path, pages=pages, config=WITHOUT_INSTANT), tmp_path)
    assert code != 0  # --strict: a warning stops the build
    warnings = [line for line in output.splitlines() if line.startswith("WARNING")]
    assert len(warnings) == 1, warnings
    assert (
        "docs/other.md:3: worksheet('plan'): its focus areas can only be filled from quizzes" in warnings[0]
    )
    assert "navigation.instant" in warnings[0]

    html = (tmp_path / "site" / "other/index.html").read_text(encoding="utf-8")  # written before the abort
    assert "Only the self-assessments you take on this page" in html


def test_a_worksheet_on_the_page_of_every_quiz_needs_no_instant_navigation(tmp_path: Path) -> None:
    """The example guide's case: quiz and worksheet on one page, no navigation.instant, no warning."""
    pages = {**PAGES, "quiz.md": PAGES["quiz.md"] + '\n## Plan\n\n{{ worksheet("plan") }}\n'}
    del pages["plan.md"]
    pages["index.md"] = "# Home\n\nSee the [quiz](quiz.md).\n"
    code, output, site = run(guide(tmp_path, pages=pages, config=WITHOUT_INSTANT), tmp_path)
    assert code == 0, output
    html = (site / "quiz/index.html").read_text(encoding="utf-8")
    assert 'class="bb-ws__title" id="ws-plan-1">My focus areas</h3>' in html  # under "## Plan"
    assert "Only the self-assessments you take on this page" in html


def test_a_guide_in_a_letter_region_links_letter_first_in_its_language(tmp_path: Path) -> None:
    config = FIXTURE_CONFIG.replace("  - brickbybrick:\n", "  - brickbybrick:\n      language: es-MX\n")
    code, output, site = run(guide(tmp_path, config=config), tmp_path)
    assert code == 0, output
    html = (site / "plan/index.html").read_text(encoding="utf-8")
    assert [href.rsplit("/", 1)[1] for href in pdf_links(html)] == ["plan-letter.pdf", "plan-a4.pdf"]
    assert "Hoja en blanco, tamaño carta (PDF)" in html
    assert "Imprimir esta hoja" in html


def test_the_hand_written_worksheet_page_option_still_builds(tmp_path: Path) -> None:
    """worksheet: {page: ...} (a page written in HTML before worksheet files) still builds, with the
    worksheet's script and styles."""
    config = FIXTURE_CONFIG.replace(
        "  - brickbybrick:\n", "  - brickbybrick:\n      worksheet: {page: sheet.md}\n"
    )
    pages = {**PAGES, "sheet.md": '# Sheet\n\n<form class="bb-ws" method="dialog" data-worksheet></form>\n'}
    code, output, site = run(guide(tmp_path, pages=pages, config=config), tmp_path)
    assert code == 0, output
    assert "worksheet.js" in (site / "sheet/index.html").read_text(encoding="utf-8")
