"""Real `mkdocs build --strict` runs: bad input fails with one located line, good input ships the runtime."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path

import brotli
import pytest

from helpers import FIXTURE_CONFIG, FIXTURES, build, mini_project, runtime_attributes

PAGES = {
    "index.md": "# Home\n\nSee the [quiz](quiz.md).\n",
    "quiz.md": '# Quiz\n\nIntro.\n\n{{ quiz("sample") }}\n',
    "help.md": "# Help\n\n## Get help\n\nCall.\n",
}
SAMPLE = (FIXTURES / "quizzes" / "sample.yml").read_text(encoding="utf-8")


def _build_with(tmp_path: Path, *, quiz_text: str = SAMPLE, pages: dict[str, str] = PAGES) -> tuple[int, str]:
    quizzes = tmp_path / "quizzes-src"
    quizzes.mkdir()
    (quizzes / "sample.yml").write_text(quiz_text, encoding="utf-8")
    project = mini_project(tmp_path / "project", pages=pages, quiz_dirs=(quizzes,))
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    return done.returncode, done.stdout + done.stderr


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("subscale: calm, reverse", "subscale: calmm, reverse"),
            "quizzes/sample.yml:25: items[1].subscale: 'calmm' is not a subscale (expected one of: calm, safe)",
        ),
        (("title: Sample check", "title: [unclosed"), "quizzes/sample.yml:4: YAML syntax error"),
        (
            ("page: index.md}", "page: missing.md}"),
            "quizzes/sample.yml:32: recommendations[0].page: 'missing.md' is not a page",
        ),
        (
            ("label: Overall", "label: Overall\n  colour: red"),
            "quizzes/sample.yml:30: overall.colour: unknown key",
        ),
    ],
)
def test_bad_quiz_fails_build_with_one_located_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    """A broken quiz file stops the build with file, line and key path, and no traceback."""
    code, output = _build_with(tmp_path, quiz_text=SAMPLE.replace(*change))
    assert code != 0
    assert expected in output
    assert "Traceback" not in output


def test_unknown_quiz_in_page_fails_build(tmp_path: Path) -> None:
    """A page naming a quiz that does not exist fails with the page's file and line."""
    pages = {**PAGES, "quiz.md": '# Quiz\n\nIntro.\n\n{{ quiz("sampel") }}\n'}
    code, output = _build_with(tmp_path, pages=pages)
    assert code != 0
    assert "docs/quiz.md:5: quiz('sampel'): no such quiz in quizzes/ (expected one of: sample)" in output
    assert "Traceback" not in output


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        (
            '# Quiz\n\n{{ quiz("sample") }}\n\nMore.\n\n{{ quiz("sample") }}\n',
            "docs/quiz.md:7: quiz('sample') is already on this page (line 3): once per page",
        ),
        (
            '# Quiz\n\nTake {{ quiz("sample") }} now.\n',
            "docs/quiz.md:3: quiz('sample') must be on a line of its own, not inside a sentence",
        ),
        (
            "# Quiz\n\n{{ quiz(sample) }}\n",
            'docs/quiz.md:3: write a quiz as {{ quiz("quiz-id") }} with the id in quotes',
        ),
        (
            '---\ntitle: Front matter\n---\n# Quiz\n\n{{ quiz("sampel") }}\n',
            "docs/quiz.md:6: quiz('sampel'): no such quiz in quizzes/",
        ),
    ],
)
def test_quiz_call_mistakes_fail_with_page_and_line(tmp_path: Path, page: str, expected: str) -> None:
    """A quiz written twice, inside a sentence or without quotes fails with the page's own line number."""
    code, output = _build_with(tmp_path, pages={**PAGES, "quiz.md": page})
    assert code != 0
    assert expected in output
    assert "Traceback" not in output


def test_yaml_extension_is_named_not_ignored(tmp_path: Path) -> None:
    """A quiz saved as .yaml is not silently skipped: the build says only .yml is read."""
    project = mini_project(tmp_path / "project", pages=PAGES)
    (project / "quizzes" / "later.yaml").write_text(
        SAMPLE.replace("id: sample", "id: later"), encoding="utf-8"
    )
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    assert done.returncode != 0
    assert "quizzes/later.yaml: only .yml quiz files are read: rename it to later.yml" in done.stderr


@pytest.mark.parametrize(
    ("config_change", "with_help", "expected"),
    [
        (
            ("", ""),
            False,  # a quiz with critical answers in a guide without help.yml
            "quizzes/sample.yml:26: items[2].critical: a critical answer needs help to point to",
        ),
        (
            ("      modules: [brickbybrick]\n", ""),
            True,
            "docs/quiz.md:5: quizzes need the macros plugin with this package's macros",
        ),
        (
            (', url: "https://www.bbc.co.uk/weather"', ""),
            True,
            "plugins.brickbybrick.quick_exit.url: set the https:// address of a neutral page",
        ),
    ],
    ids=["no-help-data", "no-macros-module", "quick-exit-without-destination"],
)
def test_guide_set_up_mistakes_fail_in_one_line(
    tmp_path: Path, config_change: tuple[str, str], with_help: bool, expected: str
) -> None:
    """A guide missing help data, the macros module or the quick exit's destination fails saying what to add."""
    config = FIXTURE_CONFIG.replace(*config_change) if config_change[0] else FIXTURE_CONFIG
    project = mini_project(
        tmp_path / "project",
        pages=PAGES,
        config=config,
        help_file=FIXTURES / "help.yml" if with_help else None,
    )
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    assert done.returncode != 0
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


def test_broken_anchor_in_chapter_fails_strict_build(tmp_path: Path) -> None:
    """Link validation is raised to warn, so --strict stops on a link to a missing anchor."""
    pages = {**PAGES, "index.md": "# Home\n\nSee [help](help.md#no-such-heading).\n"}
    code, output = _build_with(tmp_path, pages=pages)
    assert code != 0
    assert "no-such-heading" in output


@pytest.fixture(scope="module")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("built")
    project = mini_project(tmp / "project", pages=PAGES)
    done = build(project, tmp / "site", "http://127.0.0.1:8000/")
    assert done.returncode == 0, done.stderr
    return tmp / "site"


def test_site_ships_pyodide_under_versioned_path(built_site: Path) -> None:
    """The five Pyodide runtime files are served from the site itself under their version."""
    version = json.loads(Path("src/brickbybrick/pyodide/MANIFEST.json").read_text())["version"]
    runtime = built_site / "assets" / "pyodide" / version
    for name in ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"):
        assert (runtime / name).stat().st_size > 0


def test_engine_ships_as_its_source_files_pinned_by_sha256(built_site: Path) -> None:
    """The browser gets the engine's modules byte for byte as in src/ (one scorer) with their bytecode, each pinned by its sha256."""
    (folder,) = (built_site / "assets" / "engine").iterdir()
    shipped = sorted(
        path.relative_to(folder).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and path.suffix != ".gz"  # the copies for hosts that serve them
    )
    assert shipped == [
        "brickbybrick/__init__.py",
        "brickbybrick/__pycache__/__init__.cpython-314.pyc",
        "brickbybrick/__pycache__/engine.cpython-314.pyc",
        "brickbybrick/engine.py",
    ]
    for name in shipped:
        if name.endswith(".py"):
            assert (folder / name).read_bytes() == (Path("src") / name).read_bytes()
        if (folder / name).stat().st_size > 1400:
            assert gzip.decompress((folder / f"{name}.gz").read_bytes()) == (folder / name).read_bytes()
    runtime = runtime_attributes((built_site / "quiz" / "index.html").read_text(encoding="utf-8"))
    assert runtime is not None
    files = json.loads(runtime["data-files"])
    for name in shipped:
        assert files[f"engine:{name}"] == {
            "sha256": hashlib.sha256((folder / name).read_bytes()).hexdigest(),
            "bytes": (folder / name).stat().st_size,
            "sent": (folder / name).stat().st_size,
        }
    # Progress counts bytes on the wire: Pyodide's big files by their gzip copies' sizes.
    wasm = files["pyodide.asm.wasm"]
    assert wasm["sent"] < wasm["bytes"] / 2
    lockfile = json.loads(runtime["data-lockfile"])
    assert lockfile["packages"] == {}
    assert lockfile["info"]["python"].startswith("3.14")
    assert runtime["data-engine"] == f"../assets/engine/{folder.name}/"


def test_quiz_forms_reach_the_page_whole_and_in_place(tmp_path: Path) -> None:
    """Each quiz's form lands where its call was written, in page order, with nothing of its stand-in left.

    The plugin renders a form after Markdown (Markdown would only parse it as raw HTML).
    """
    quizzes = tmp_path / "quizzes-src"
    quizzes.mkdir()
    (quizzes / "sample.yml").write_text(SAMPLE, encoding="utf-8")
    second = SAMPLE.replace("id: sample\ntitle: Sample check", "id: second\ntitle: Second check")
    (quizzes / "second.yml").write_text(second, encoding="utf-8")
    forged = '<div data-bb-macro="' + "0" * 32 + '"></div>'  # a page cannot stand in for a form
    page = (
        '# Quiz\n\nBefore.\n\n{{ quiz("second") }}\n\nBetween *the two*.\n\n{{ quiz("sample") }}\n\n'
        f"After.\n\n{forged}\n"
    )
    project = mini_project(tmp_path / "project", pages={**PAGES, "quiz.md": page}, quiz_dirs=(quizzes,))
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "site" / "quiz" / "index.html").read_text(encoding="utf-8")
    assert html.count("data-bb-macro") == 1
    assert forged in html  # left as written
    order = [
        html.index(text)
        for text in (
            "<p>Before.</p>",
            '<form class="bb-quiz__form" data-quiz="second"',
            "<p>Between <em>the two</em>.</p>",
            '<form class="bb-quiz__form" data-quiz="sample"',
            "<p>After.</p>",
        )
    ]
    assert order == sorted(order)
    assert html.count("</form>") == html.count("<form") == 3  # the two quizzes and the theme's search
    assert html.count('class="bb-runtime"') == 2


def test_only_quiz_pages_reference_the_scorer(built_site: Path) -> None:
    """Pages without a quiz carry no runtime reference, so they never start Pyodide."""
    assert "data-pyodide" in (built_site / "quiz" / "index.html").read_text()
    assert "data-pyodide" not in (built_site / "index.html").read_text()
    assert "data-pyodide" not in (built_site / "help" / "index.html").read_text()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            "import unittest",
            "quizzes/ext-demo.py:2: import unittest: the scorer in the browser has no such module",
        ),
        (
            "from email.mime import text",
            "quizzes/ext-demo.py:2: import email.mime: the scorer in the browser",
        ),
        ("import numpy", "quizzes/ext-demo.py:2: import numpy: the scorer in the browser has no such module"),
    ],
)
def test_extension_import_missing_from_the_trimmed_library_fails(
    tmp_path: Path, line: str, expected: str
) -> None:
    """An extension importing what the browser's trimmed standard library lacks fails at its import line."""
    source = (FIXTURES / "extension" / "ext-demo.py").read_text(encoding="utf-8")
    extension = tmp_path / "ext"
    extension.mkdir()
    shutil.copy(FIXTURES / "extension" / "ext-demo.yml", extension)
    (extension / "ext-demo.py").write_text(f'"""Demo."""\n{line}\n{source}', encoding="utf-8")
    pages = {**PAGES, "ext.md": '# Ext\n\n{{ quiz("ext-demo") }}\n'}
    project = mini_project(tmp_path / "project", pages=pages, quiz_dirs=(FIXTURES / "quizzes", extension))
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    assert done.returncode != 0
    assert expected in done.stderr


def test_extension_imports_from_the_allowance_build(tmp_path: Path) -> None:
    """statistics, fractions and the other modules offered to extensions are in the trimmed library."""
    source = (FIXTURES / "extension" / "ext-demo.py").read_text(encoding="utf-8")
    extension = tmp_path / "ext"
    extension.mkdir()
    shutil.copy(FIXTURES / "extension" / "ext-demo.yml", extension)
    imports = (
        "import statistics, fractions, decimal, random, datetime, textwrap\nfrom collections import Counter\n"
    )
    (extension / "ext-demo.py").write_text(imports + source, encoding="utf-8")
    pages = {**PAGES, "ext.md": '# Ext\n\n{{ quiz("ext-demo") }}\n'}
    project = mini_project(tmp_path / "project", pages=pages, quiz_dirs=(FIXTURES / "quizzes", extension))
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    assert done.returncode == 0, done.stderr


def test_a_rebuild_reuses_compiled_templates_and_gzip_copies_and_writes_the_same_site(tmp_path: Path) -> None:
    """The theme's templates compiled once (Jinja's bytecode cache) and the gzip copies, kept in
    .cache/brickbybrick beside mkdocs.yml, give a second build the very same pages and copies."""
    project = mini_project(tmp_path / "project", pages=PAGES)
    for site in ("one", "two"):
        done = build(project, tmp_path / site, "http://127.0.0.1:8000/")
        assert done.returncode == 0, done.stderr
    cache = project / ".cache" / "brickbybrick"
    assert list((cache / "jinja").glob("*.cache"))
    assert len(list((cache / "gzip").glob("*.gz"))) >= len(PAGES)
    one = {
        path.relative_to(tmp_path / "one"): path for path in (tmp_path / "one").rglob("*") if path.is_file()
    }
    two = {
        path.relative_to(tmp_path / "two"): path for path in (tmp_path / "two").rglob("*") if path.is_file()
    }
    assert sorted(one) == sorted(two)
    for name in (name for name in one if name.suffix in {".html", ".gz"}):
        assert one[name].read_bytes() == two[name].read_bytes(), name


def test_large_files_have_gzip_and_brotli_copies(built_site: Path) -> None:
    """Pyodide, the scripts and the pages have a .gz beside them (Pyodide a .br too) that decompress to the same bytes."""
    (wasm,) = (built_site / "assets" / "pyodide").glob("*/pyodide.asm.wasm")
    stdlib = wasm.with_name("python_stdlib.zip")
    for path in (wasm, wasm.with_name("pyodide.asm.mjs"), stdlib, built_site / "index.html"):
        packed = path.with_name(path.name + ".gz")
        assert gzip.decompress(packed.read_bytes()) == path.read_bytes(), path
    for path in (wasm, wasm.with_name("pyodide.asm.mjs"), stdlib):
        assert brotli.decompress(path.with_name(path.name + ".br").read_bytes()) == path.read_bytes(), path
    assert wasm.with_name("pyodide.asm.wasm.gz").stat().st_size < wasm.stat().st_size * 0.45
    assert wasm.with_name("pyodide.asm.wasm.br").stat().st_size < wasm.stat().st_size * 0.35
    assert not list(built_site.rglob("index.html.br"))  # Brotli only for what the package made


@pytest.mark.parametrize("name", ["offline", "material/offline"])
def test_the_offline_plugin_is_refused_with_what_to_do(tmp_path: Path, name: str) -> None:
    """A site made for opening from files could not score its quizzes: the build says so and what to do instead."""
    config = FIXTURE_CONFIG.replace("  - search\n", f"  - search\n  - {name}\n")
    project = mini_project(tmp_path / "project", pages=PAGES, config=config)
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    assert done.returncode != 0
    assert (
        "mkdocs.yml: plugins: material/offline: a site for opening from files cannot score its quizzes"
        in done.stderr
    )
    assert "python3 -m http.server" in done.stderr
