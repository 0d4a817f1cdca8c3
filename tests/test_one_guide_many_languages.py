"""One guide, several languages: each built into site/<code>/ by one command, switching page for page."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from brickbybrick.plugin import languages
from helpers import FIXTURE_CONFIG, FIXTURES, MKDOCS, mini_project, runtime_attributes, site_headers

PAGES = {
    "index.md": "# Home\n\nSee the [quiz](quiz.md).\n",
    "quiz.md": '# Quiz\n\n## Before { #before }\n\n{{ quiz("sample") }}\n',
    "help.md": "# Help\n\n## Get help\n\nCall.\n",
}
SPANISH_PAGES = {
    "index.md": "# Inicio\n\nMira el [cuestionario](quiz.md).\n",
    "quiz.md": '# Cuestionario\n\n## Antes { #before }\n\n{{ quiz("sample") }}\n',
    "help.md": "# Ayuda\n\n## Pide ayuda { #get-help }\n\nLlama.\n",
}
# A language's own configuration lists its plugins in full: MkDocs' INHERIT replaces lists.
SPANISH_CONFIG = """\
INHERIT: ../mkdocs.yml
site_name: Guía de prueba
docs_dir: docs
theme:
  language: es
plugins:
  - search
  - brickbybrick:
      quizzes_dir: ../quizzes
      help_file: ../help.yml
      quick_exit: {enabled: true, url: "https://www.bbc.co.uk/weather"}
      privacy_notice: Tus respuestas se quedan aquí. Mira la [ayuda](help.md).
  - macros:
      modules: [brickbybrick]
      on_error_fail: true
      on_undefined: strict
"""


def project(
    tmp_path: Path, *, spanish_pages: dict[str, str] = SPANISH_PAGES, es_config: str = SPANISH_CONFIG
) -> Path:
    """The fixture guide with one quiz, in English and in Spanish (es/mkdocs.yml, quizzes/es/)."""
    config = FIXTURE_CONFIG.replace(
        "  - brickbybrick:\n", "  - brickbybrick:\n      languages: {es: es/mkdocs.yml}\n", 1
    )
    root = mini_project(tmp_path / "guide", pages=PAGES, quiz_dirs=(), config=config)
    shutil.copy(FIXTURES / "quizzes" / "sample.yml", root / "quizzes" / "sample.yml")
    (root / "quizzes" / "es").mkdir()
    shutil.copy(FIXTURES / "translation" / "sample.yml", root / "quizzes" / "es" / "sample.yml")
    (root / "es" / "docs").mkdir(parents=True)
    for name, text in spanish_pages.items():
        (root / "es" / "docs" / name).write_text(text, encoding="utf-8")
    (root / "es" / "mkdocs.yml").write_text(es_config, encoding="utf-8")
    return root


def build(root: Path, site: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        check=False,
        env={"BB_SKIP_PDF": "1", "PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1"},
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("languages")
    done = build(project(tmp), tmp / "site")
    assert done.returncode == 0, done.stderr
    return tmp / "site"


def switch(page: str) -> dict[str, str]:
    """The language switch of a built page: language -> its link."""
    return {
        lang: href
        for href, lang in re.findall(
            r'<a href="([^"]*)" hreflang="([^"]*)" lang="[^"]*"[^>]*class="md-select__link">', page
        )
    }


def test_one_build_makes_both_languages_each_page_in_its_language(built: Path) -> None:
    """`mkdocs build` of the guide builds the Spanish guide into es/: its pages say lang="es", carry
    the Spanish quiz and the plugin's Spanish words."""
    english = (built / "quiz" / "index.html").read_text(encoding="utf-8")
    spanish = (built / "es" / "quiz" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english
    assert '<html lang="es"' in spanish
    assert "Me siento en calma con mi pareja." in spanish
    assert "Me siento en calma" not in english
    assert "Salida rápida" in spanish
    assert "Salida rápida" not in english


def test_the_switch_leads_to_the_same_page_in_the_other_language(built: Path) -> None:
    """Each page's switch links to itself and to the same page in the other language, relative."""
    assert switch((built / "quiz" / "index.html").read_text(encoding="utf-8")) == {
        "en": "./",
        "es": "../es/quiz/",
    }
    assert switch((built / "es" / "quiz" / "index.html").read_text(encoding="utf-8")) == {
        "en": "../../quiz/",
        "es": "./",
    }
    assert switch((built / "index.html").read_text(encoding="utf-8")) == {"en": "./", "es": "es/"}
    assert switch((built / "es" / "index.html").read_text(encoding="utf-8")) == {"en": "../", "es": "./"}
    spanish = (built / "es" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'hreflang="es" lang="es" aria-current="page"', spanish)
    assert ">\n              Español\n" in spanish or "Español" in spanish


def test_sitemaps_name_each_pages_other_language(built: Path) -> None:
    """Each sitemap names, for every page, its address in every language (hreflang alternates)."""
    english = (built / "sitemap.xml").read_text(encoding="utf-8")
    spanish = (built / "es" / "sitemap.xml").read_text(encoding="utf-8")
    for sitemap in (english, spanish):
        assert 'xmlns:xhtml="http://www.w3.org/1999/xhtml"' in sitemap
        assert '<xhtml:link rel="alternate" hreflang="es" href="http://127.0.0.1:8000/es/quiz/"/>' in sitemap
        assert '<xhtml:link rel="alternate" hreflang="en" href="http://127.0.0.1:8000/quiz/"/>' in sitemap
    assert "<loc>http://127.0.0.1:8000/es/quiz/</loc>" in spanish


def test_one_headers_file_allows_every_languages_scripts(built: Path) -> None:
    """Hosts read the root's _headers only: its policy allows every inline script of both languages
    (the theme's configuration differs by language), and the Spanish folder has none of its own."""
    assert not (built / "es" / "_headers").exists()
    headers = dict(site_headers(built))["/*"]
    allowed = set(re.findall(r"'sha256-[^']+'", headers["Content-Security-Policy"]))
    pages = [*built.glob("**/index.html")]
    assert any("/es/" in page.as_posix() for page in pages)
    needed: set[str] = set()
    for page in pages:
        meta = re.search(
            r'http-equiv="Content-Security-Policy" content="([^"]*)"', page.read_text(encoding="utf-8")
        )
        assert meta, page
        needed |= set(re.findall(r"'sha256-[^']+'", meta[1]))
    assert needed <= allowed
    english_only = set(re.findall(r"'sha256-[^']+'", (built / "index.html").read_text(encoding="utf-8")))
    assert needed - english_only  # the Spanish pages needed hashes of their own


def test_the_spanish_pages_load_the_one_copy_of_pyodide(built: Path) -> None:
    """Pyodide is in the site once: Spanish quiz pages load it from the root, so a reader who switches
    language does not download it again."""
    runtime = runtime_attributes((built / "es" / "quiz" / "index.html").read_text(encoding="utf-8"))
    assert runtime is not None
    assert runtime["data-pyodide"].startswith("../../assets/pyodide/")
    assert (built / "es" / "quiz" / runtime["data-pyodide"] / "pyodide.asm.wasm").resolve().is_file()
    assert not (built / "es" / "assets" / "pyodide").exists()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda root: (root / "es" / "docs" / "help.md").unlink(),
            "docs/help.md: not translated into es yet: its language switch leads to the es home page",
        ),
        (
            lambda root: (root / "es" / "mkdocs.yml").unlink(),
            "mkdocs.yml: plugins.brickbybrick.languages.es: there is no es/mkdocs.yml beside mkdocs.yml",
        ),
        (
            lambda root: (root / "es" / "mkdocs.yml").write_text(
                SPANISH_CONFIG.replace("language: es", "language: fr"), encoding="utf-8"
            ),
            "es/mkdocs.yml: theme.language is 'fr': set it to 'es'",
        ),
        (
            lambda root: (root / "es" / "mkdocs.yml").write_text(
                SPANISH_CONFIG.replace("docs_dir: docs", "docs_dir: ../docs"), encoding="utf-8"
            ),
            "docs_dir: the es pages need their own folder",
        ),
    ],
    ids=["untranslated-page", "no-config", "wrong-language", "shared-docs"],
)
def test_a_language_set_up_wrong_is_named(tmp_path: Path, change: object, expected: str) -> None:
    """A missing configuration, a wrong language, a shared docs folder or an untranslated page is named."""
    root = project(tmp_path)
    change(root)  # type: ignore[operator]
    done = build(root, tmp_path / "site")
    assert done.returncode != 0
    assert expected in done.stderr


@pytest.mark.parametrize(
    ("target", "here", "expected"),
    [
        ("es/quiz/", "quiz/", "../es/quiz/"),
        ("quiz/", "es/quiz/", "../../quiz/"),
        ("", "es/", "../"),
        ("es/", "", "es/"),
        ("", "", "./"),
        ("es/quiz.html", "quiz.html", "es/quiz.html"),
    ],
)
def test_links_between_languages_are_relative(target: str, here: str, expected: str) -> None:
    assert languages.relative(target, here) == expected
