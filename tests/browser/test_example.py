"""The contract for a new guide: the built wheel, a fresh virtual environment, examples/sleep-basics.

What a new user does: ``make dist``, ``pip install dist/brickbybrick-*.whl`` into a fresh
environment, then ``mkdocs build`` a guide made of mkdocs.yml, docs/, quizzes/ and worksheets/
only (no npm, no file from this repository), with every network proxy pointed at a closed port.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from quizpage import QuizForm

from helpers import ROOT, free_port, serve

EXAMPLE = ROOT / "examples" / "sleep-basics"
OFFLINE = {"http_proxy": "http://127.0.0.1:9", "https_proxy": "http://127.0.0.1:9", "no_proxy": ""}


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{' '.join(command)}\n{done.stdout}\n{done.stderr}"
    return done  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The package wheel, built as ``make dist`` builds it."""
    out = tmp_path_factory.mktemp("dist")
    run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(ROOT),
        ]
    )
    (built,) = out.glob("brickbybrick-*.whl")
    return built


@pytest.fixture(scope="session")
def example_site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """examples/sleep-basics built in a fresh venv with only the wheel installed, served on port 0."""
    root = tmp_path_factory.mktemp("example")
    venv = root / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])  # pip comes from outside: faster
    python = venv / "bin" / "python"
    # The versions this repository pins (without its hashes, which would demand one for the wheel too).
    pins = re.findall(
        r"^([A-Za-z0-9_.-]+==\S+)", (ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M
    )
    (root / "constraints.txt").write_text("\n".join(pins) + "\n", encoding="utf-8")
    run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--disable-pip-version-check", "--no-compile",
         "-c", str(root / "constraints.txt"), str(wheel)])  # fmt: skip
    guide = root / "guide"
    shutil.copytree(EXAMPLE, guide, ignore=shutil.ignore_patterns("site"))
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(root), "NO_MKDOCS_2_WARNING": "1", **OFFLINE}
    done = run([str(venv / "bin" / "mkdocs"), "build", "--strict"], cwd=guide, env=env)
    sock = free_port()
    with serve(guide / "site", sock) as url:
        yield url, done.stderr


def test_wheel_carries_pyodide_and_no_guide_content(wheel: Path) -> None:
    """The wheel holds the pinned Pyodide files and none of this guide's help lines or words."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        text = "\n".join(
            archive.read(name).decode("utf-8", "replace")
            for name in names
            # the package's code, assets and templates (its README, in METADATA, describes this guide)
            if name.endswith((".py", ".js", ".css", ".html", ".json", ".txt")) and "pyodide/" not in name
        )
    for name in (
        "pyodide.mjs",
        "pyodide.asm.mjs",
        "pyodide.asm.wasm",
        "python_stdlib.zip",
        "python_stdlib.zip.br",
        "pyodide.asm.wasm.br",
        "pyodide.asm.wasm.gz",
        "pyodide-lock.json",
    ):
        assert f"brickbybrick/pyodide/{name}" in names
    assert "brickbybrick-0" in wheel.name
    guide_numbers = [
        "0808 2000 247",
        "1-800-799-7233",
        "799-7233",
        "08082000247",
        "1800 341 900",
        "1800 737 732",
    ]
    found = [number for number in guide_numbers if number in text]
    assert found == []
    for words in ("domestic", "staying-safe", "action-plan-worksheet", "bbc.co.uk", "/usr/bin/chromium"):
        assert words not in text.lower(), words


def test_example_builds_offline_from_the_wheel_alone(example_site: tuple[str, str]) -> None:
    """The guide has only mkdocs.yml, docs/, quizzes/ and worksheets/; its build needs nothing else
    and warns of nothing (its worksheet is on its quiz's page: no navigation.instant needed)."""
    assert sorted(path.name for path in EXAMPLE.iterdir() if path.name not in {"site", ".cache"}) == [
        "docs",
        "mkdocs.yml",
        "quizzes",
        "worksheets",
    ]
    _, log = example_site
    assert "WARNING" not in log
    assert "theme.font set to false" in log


def test_example_quiz_scores_in_chromium(page: Page, example_site: tuple[str, str]) -> None:
    """A reader answers the example's quiz and reads a result scored by Pyodide from the wheel."""
    url, _ = example_site
    page.goto(url + "habits/")
    quiz = QuizForm(page, "sleep-habits")
    quiz.expect_ready()
    for item in ("r1", "r2", "r4", "e3"):
        quiz.answer(item, "Always")
    for item in ("r3", "e1", "e2", "e4"):
        quiz.answer(item, "Never")
    quiz.submit.click()
    quiz.expect_result_contains("Your results: How are your sleep habits?", "100 out of 100", "Well rested")
    expect(page.locator(".bb-quick-exit")).to_have_count(0)  # an option this guide did not turn on
    expect(page.locator("[data-quiz-help]")).to_have_count(0)


def pdf_info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


@pytest.mark.parametrize(("paper", "size"), [("a4", "A4"), ("letter", "letter")])
def test_example_worksheet_is_printed_blank_in_both_sizes(
    example_site: tuple[str, str], paper: str, size: str, tmp_path: Path
) -> None:
    """The wheel's build prints the example's worksheet alone, blank, on one page of A4 and of Letter."""
    url, log = example_site
    assert f"Blank worksheet PDF: worksheets/sleep-plan-{paper}.pdf" in log
    with urllib.request.urlopen(f"{url}worksheets/sleep-plan-{paper}.pdf") as response:
        (tmp_path / "blank.pdf").write_bytes(response.read())
    info = pdf_info(tmp_path / "blank.pdf")
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE), info
    assert re.search(rf"^Page size:.*\({size}\)$", info, re.MULTILINE), info
    text = pdf_text(tmp_path / "blank.pdf")
    for words in ("My sleep plan", "My focus areas", "What I want to change", "Small steps", "Starting on"):
        assert words in text
    for screen_only in ("Habits that help", "A steady rhythm", "Print this worksheet", "Show my results"):
        assert screen_only not in text
    assert "take the check above on screen" in text  # the section's own print note


def test_example_worksheet_fills_from_the_quiz_on_its_page_and_prints(
    page: Page, example_site: tuple[str, str], tmp_path: Path
) -> None:
    """Without navigation.instant the worksheet says only this page's quizzes can fill it, and the
    quiz above it does; the print button prints the worksheet alone."""
    url, _ = example_site
    page.goto(url + "habits/")
    expect(page.get_by_text("Only the self-assessments you take on this page")).to_be_visible()
    links = page.locator("#ws-sleep-plan .bb-ws-tools a[download]")
    expect(links).to_have_text(["Blank worksheet, A4 (PDF)", "Blank worksheet, US Letter (PDF)"])
    expect(page.get_by_role("button", name="Fill in from my lowest scores")).to_be_hidden()
    quiz = QuizForm(page, "sleep-habits")
    quiz.expect_ready()
    for item in ("r1", "r2", "r4"):
        quiz.answer(item, "Always")
    for item in ("r3", "e1", "e2", "e3", "e4"):
        quiz.answer(item, "Never")
    quiz.submit.click()
    quiz.expect_result_contains("Your results: How are your sleep habits?")
    page.get_by_role("button", name="Fill in from my lowest scores").click()
    focus = page.get_by_label("The habits I want to work on first")
    expect(focus).to_have_value(re.compile(r"out of 100 in “How are your sleep habits\?”"))
    page.evaluate("window.print = () => {}")
    page.get_by_role("button", name="Print this worksheet").click()
    (tmp_path / "filled.pdf").write_bytes(page.pdf(format="A4"))
    text = pdf_text(tmp_path / "filled.pdf")
    assert text.lstrip().startswith("My sleep plan")
    assert focus.input_value().splitlines()[0] in " ".join(text.split())
    assert "Habits that help" not in text
    assert "Show my results" not in text
