"""The Spanish example guide, examples/dormir-mejor: built from the wheel alone, read in Spanish.

A guide whose ``theme.language`` is ``es`` gets every word the plugin writes from the package's
Spanish catalogue, with nothing to set. The guide is built as test_example.py builds the English
one (the session's wheel in a fresh virtual environment, every proxy at a closed port, ``mkdocs
build --strict``), then one reader answers its daytime-sleepiness quiz in Chromium, once with a
whole score and once with its critical answer, and follows the help link. Its worksheet, "Mi plan
de sueño", is printed blank in Spanish on A4 and US Letter (A4 linked first: ``es`` names no
region), and fills its focus areas from the habits quiz on its own page.
"""

from __future__ import annotations

import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_example as example
from playwright.sync_api import Locator, Page, expect
from quizpage import READY_TIMEOUT_MS
from test_example import (
    pdf_info,
    pdf_text,
    wheel,  # noqa: F401 - the session's wheel, built once for every file
)
from test_languages import fragments

from brickbybrick import catalogue
from helpers import ROOT, free_port, serve

GUIDE = ROOT / "examples" / "dormir-mejor"
SPANISH = catalogue.load("es")
# Every literal part of the plugin's English messages long enough to be recognised, and written
# differently in Spanish (figures' and plurals' rules are no words).
ENGLISH = sorted(
    {
        part
        for key, text in catalogue.load("en").messages.items()
        if not key.startswith(("number.", "plural."))
        for part in fragments(text)
        if part not in SPANISH.messages[key]
    }
)


@pytest.fixture(scope="module")
def spanish_site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:  # noqa: F811
    """examples/dormir-mejor built offline in a fresh venv holding only the wheel (and the pinned
    packages it needs), served on port 0: (url, the build's log, the site's directory)."""
    root = tmp_path_factory.mktemp("example-es")
    venv = root / "venv"
    example.run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    pins = re.findall(
        r"^([A-Za-z0-9_.-]+==\S+)", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M
    )
    (root / "constraints.txt").write_text("\n".join(pins) + "\n", encoding="utf-8")
    example.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
                 "--disable-pip-version-check", "--no-compile", "-c", str(root / "constraints.txt"), str(wheel)])  # fmt: skip
    guide = root / "guide"
    shutil.copytree(GUIDE, guide, ignore=shutil.ignore_patterns("site", ".cache"))
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "HOME": str(root),
        "NO_MKDOCS_2_WARNING": "1",
        **example.OFFLINE,
    }
    done = example.run([str(venv / "bin" / "mkdocs"), "build", "--strict"], cwd=guide, env=env)
    sock = free_port()
    with serve(guide / "site", sock) as url:
        yield url, done.stderr, guide / "site"


def english_in(text: str) -> list[str]:
    return [part for part in ENGLISH if part in text]


def test_spanish_example_builds_with_no_english_plugin_word(spanish_site: tuple[str, str, Path]) -> None:
    """A guide is mkdocs.yml, docs/, quizzes/, worksheets/ and help.yml; its strict build warns of
    nothing (no message fell back to English), and no built page holds an English message of the
    plugin."""
    _, log, site = spanish_site
    assert sorted(path.name for path in GUIDE.iterdir() if path.name not in {"site", ".cache"}) == [
        "docs",
        "help.yml",
        "mkdocs.yml",
        "quizzes",
        "worksheets",
    ]
    assert "WARNING" not in log
    pages = sorted(site.rglob("*.html"))
    assert [str(page.relative_to(site)) for page in pages] == [
        "404.html",
        "ayuda/index.html",
        "cansancio/index.html",
        "habitos/index.html",
        "index.html",
    ]
    leaks = {str(page.relative_to(site)): english_in(page.read_text(encoding="utf-8")) for page in pages}
    assert {page: found for page, found in leaks.items() if found} == {}


def test_spanish_example_prints_its_worksheet_blank(spanish_site: tuple[str, str, Path]) -> None:
    """The build prints "Mi plan de sueño" blank on A4 and on US Letter, at most two pages each,
    with the worksheet's Spanish words and no English message of the plugin; the guide's home
    page links both."""
    _, log, site = spanish_site
    home = (site / "index.html").read_text(encoding="utf-8")
    for paper, size in (("a4", "A4"), ("letter", "letter")):
        assert f"Blank worksheet PDF: worksheets/plan-de-sueno-{paper}.pdf" in log
        pdf = site / "worksheets" / f"plan-de-sueno-{paper}.pdf"
        assert pdf.is_file()
        assert f'href="worksheets/plan-de-sueno-{paper}.pdf"' in home
        info = pdf_info(pdf)
        pages = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
        assert pages is not None, info
        assert 1 <= int(pages[1]) <= 2, info
        assert re.search(rf"^Page size:.*\({size}\)$", info, re.MULTILINE), info
        text = " ".join(pdf_text(pdf).split())
        for words in ("Mi plan de sueño", "Por dónde empiezo", "Los hábitos que quiero mejorar primero",
                      "Qué quiero cambiar", "Pasos pequeños", "Dejo el teléfono fuera de la cama",
                      "Empiezo el"):  # fmt: skip
            assert words in text, (paper, words)
        for screen_only in ("Un ritmo estable", "Imprimir esta hoja", "Ver mis resultados", "Hoja en blanco"):
            assert screen_only not in text, (paper, screen_only)
        assert english_in(text) == [], paper


def plugin_words(page: Page) -> str:
    """What a reader sees or hears of the plugin on a quiz page: the quiz (form, status, help
    panel, result), the quick exit, and their accessible names."""
    regions = page.locator(".bb-quiz, .bb-quick-exit, [data-quiz-help]")
    labels = regions.evaluate_all(
        "nodes => nodes.flatMap(n => [n, ...n.querySelectorAll('[aria-label]')])"
        ".map(n => n.getAttribute('aria-label') || '')"
    )
    return "\n".join([*regions.all_inner_texts(), *labels])


def answer(form: Locator, answers: dict[str, str]) -> None:
    for item, label in answers.items():
        form.locator(f"fieldset[data-item='{item}']").get_by_label(label, exact=True).check()


def test_spanish_example_scores_in_chromium(page: Page, spanish_site: tuple[str, str, Path]) -> None:
    """Scored by Pyodide from the wheel, in Spanish: the result's title and figures; a critical
    answer shows the Spanish help panel, and the result opens with the link to the help page."""
    url, _, _ = spanish_site
    page.goto(url + "cansancio/")
    form = page.locator("form[data-quiz='cansancio-diurno']")
    state = form.locator("[data-quiz-state]")
    expect(state).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
    expect(state).to_have_text(SPANISH.text("quiz.ready"))
    exit_region = page.locator(".bb-quick-exit")
    expect(exit_region).to_have_attribute("aria-label", "Salida rápida")
    expect(exit_region).to_contain_text(SPANISH.text("page.exit.label") + SPANISH.text("page.exit.hint"))
    help_panel = form.locator("[data-quiz-help]")
    result = form.locator("[data-quiz-result]")
    submit = form.get_by_role("button", name=SPANISH.text("quiz.submit"))

    # 2 + 2 + 1 + 3 + 1 + 0 of 18: 50 out of 100, in the middle band; no critical answer.
    answer(form, {"c1": "A menudo", "c2": "A menudo", "c3": "A veces", "c4": "Casi siempre", "c5": "A veces",
                  "c6": "Nunca"})  # fmt: skip
    expect(help_panel).to_be_hidden()
    submit.click()
    expect(result.locator(".bb-result__title")).to_have_text(
        "Tus resultados: ¿Cuánto sueño tienes durante el día?"
    )
    expect(result).to_contain_text("50 de 100")
    expect(result).to_contain_text("Algo de sueño de día")
    expect(result).to_contain_text("Lee sobre los hábitos que ayudan")
    seen = [plugin_words(page)]

    # Asleep at the wheel, even once: help first, by CSS at once, then in the result.
    answer(form, {"c6": "A veces"})
    expect(help_panel).to_be_visible()
    expect(help_panel).to_have_attribute("aria-label", "Ayuda")
    expect(help_panel.locator("a").first).to_have_text("Dónde pedir ayuda")
    expect(help_panel).to_contain_text("Si te has dormido al volante, no vuelvas a conducir con sueño.")
    expect(help_panel).to_contain_text("Llama al 112")
    submit.click()
    alert = result.locator("[data-quiz-alert]")
    expect(alert).to_be_visible()
    expect(result.locator(".bb-result > *").first).to_have_attribute("data-quiz-alert", "")
    link = result.locator("a").first
    expect(link).to_have_text("Dónde pedir ayuda")
    expect(link).to_have_attribute("href", "../ayuda/")
    expect(alert).to_contain_text("No conduzcas si tienes sueño.")
    expect(result).to_contain_text("Primero, tu seguridad al volante")
    expect(result).not_to_contain_text("de 100")  # no figure beside danger
    expect(result).not_to_contain_text("Lee sobre los hábitos que ayudan")
    seen.append(plugin_words(page))
    assert english_in("\n".join(seen)) == []

    link.click()
    expect(page).to_have_url(url + "ayuda/")
    expect(page.locator(".bb-helplines").get_by_role("link", name="112")).to_have_attribute("href", "tel:112")
    expect(page.locator(".bb-helplines")).to_contain_text("Llama al 112")


def test_spanish_example_worksheet_fills_from_the_habits_quiz(
    page: Page, spanish_site: tuple[str, str, Path]
) -> None:
    """On the habits page the worksheet links its blank PDFs, A4 first; the quiz above it fills its
    focus areas with Spanish lines, the lowest score first."""
    url, _, _ = spanish_site
    page.goto(url + "habitos/")
    sheet = page.locator("#ws-plan-de-sueno")
    expect(sheet.locator(".bb-ws-tools a[download]")).to_have_text(
        [SPANISH.text("worksheet.download_a4"), SPANISH.text("worksheet.download_letter")]
    )
    fill = sheet.get_by_role("button", name=SPANISH.text("worksheet.fill"))
    expect(fill).to_be_hidden()
    form = page.locator("form[data-quiz='habitos-de-sueno']")
    expect(form.locator("[data-quiz-state]")).to_have_attribute(
        "data-status", "ready", timeout=READY_TIMEOUT_MS
    )

    # Un ritmo estable: 12 of 12 (100); la hora antes de dormir: 2 + 1 + 1 + 2 of 12 (50).
    answer(form, {"r1": "Siempre", "r2": "Siempre", "r3": "Nunca", "r4": "Siempre",
                  "n1": "A veces", "n2": "A menudo", "n3": "A veces", "n4": "A veces"})  # fmt: skip
    form.get_by_role("button", name=SPANISH.text("quiz.submit")).click()
    expect(form.locator("[data-quiz-result]")).to_contain_text("50 de 100")
    fill.click()
    focus = sheet.get_by_label("Los hábitos que quiero mejorar primero")
    expect(focus).to_have_value(
        re.compile(r"^La hora antes de dormir: 50 de 100 en «¿Cómo son tus hábitos de sueño\?»\n")
    )
    words = "\n".join([sheet.inner_text(), *sheet.locator("[aria-label]").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('aria-label'))")])  # fmt: skip
    assert english_in(words) == []
