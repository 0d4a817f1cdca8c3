"""The build-time blank worksheet PDFs, with a stand-in for Chromium (the real one runs in the browser tests)."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import pytest
from mkdocs.exceptions import PluginError

from brickbybrick.plugin import pdf
from brickbybrick.worksheetfile import PAPERS, paper_order

LOGGER = "mkdocs.plugins.brickbybrick.pdf"


PDF_NAME = "action-plan-worksheet.pdf"


def site_with_worksheet(tmp_path: Path, *, directory_urls: bool = True) -> tuple[dict[str, object], Path]:
    """A built site's config and its worksheet page."""
    (tmp_path / "docs").mkdir()
    site = tmp_path / "site"
    page = site / "worksheet" / "index.html" if directory_urls else site / "worksheet.html"
    page.parent.mkdir(parents=True)
    page.write_text("<h1>Action-plan worksheet</h1>", encoding="utf-8")
    return {
        "docs_dir": str(tmp_path / "docs"),
        "site_dir": str(site),
        "use_directory_urls": directory_urls,
    }, page


def fake_chromium(tmp_path: Path, body: str) -> Path:
    """An executable standing in for Chromium; it records its arguments in ``args.txt``."""
    script = tmp_path / "fake-chromium"
    script.write_text(
        f'#!/bin/sh\nprintf "%s\\n" "$@" > "{tmp_path}/args.txt"\n{body}\n',
        encoding="utf-8",
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


PRINTS_A_PDF = 'for arg; do case "$arg" in --print-to-pdf=*) printf "%%PDF-1.4 fake" > "${arg#--print-to-pdf=}";; esac; done'


def test_missing_chromium_logs_one_info_line_and_builds_on(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Without Chromium the step says so in one INFO line (so --strict still passes) and writes nothing."""
    config, page = site_with_worksheet(tmp_path)
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    assert (
        pdf.build_worksheet_pdf(config, page, PDF_NAME, chromium=tmp_path / "no-chromium", environ={}) is None
    )
    records = [r for r in caplog.records if r.name == LOGGER and r.levelno >= logging.INFO]
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (
            logging.INFO,
            f"Chromium not found ({tmp_path / 'no-chromium'}): skipping the blank worksheet PDF "
            "(install chromium, or set the plugin's chromium option, to build it)",
        )
    ]
    assert not (tmp_path / "site" / "worksheet" / PDF_NAME).exists()


def test_opt_out_does_not_start_chromium(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """BB_SKIP_PDF=1 skips the step without running Chromium."""
    config, page = site_with_worksheet(tmp_path)
    chromium = fake_chromium(tmp_path, PRINTS_A_PDF)
    caplog.set_level(logging.INFO, logger=LOGGER)
    assert (
        pdf.build_worksheet_pdf(config, page, PDF_NAME, chromium=chromium, environ={pdf.SKIP_ENV: "1"})
        is None
    )
    assert not (tmp_path / "args.txt").exists()
    assert "BB_SKIP_PDF=1: skipping the blank worksheet PDF" in caplog.text


def test_chromium_is_the_option_or_the_first_on_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The ``chromium`` option wins; without it the first Chromium-like program on PATH; else none."""
    chromium = fake_chromium(tmp_path, PRINTS_A_PDF)
    assert pdf.find_chromium("/opt/my/chrome") == Path("/opt/my/chrome")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "chromium-browser").symlink_to(chromium)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    assert pdf.find_chromium(None) == tmp_path / "bin" / "chromium-browser"
    monkeypatch.setenv("PATH", str(tmp_path / "nowhere"))
    assert pdf.find_chromium(None) is None


@pytest.mark.parametrize(
    ("directory_urls", "expected"),
    [(True, "worksheet/action-plan-worksheet.pdf"), (False, "action-plan-worksheet.pdf")],
)
def test_pdf_is_printed_beside_the_page_from_its_file_url(
    tmp_path: Path, directory_urls: bool, expected: str
) -> None:
    """Chromium prints the built page (file://, headless, no header or footer) to a PDF beside it."""
    config, page = site_with_worksheet(tmp_path, directory_urls=directory_urls)
    written = pdf.build_worksheet_pdf(
        config, page, PDF_NAME, chromium=fake_chromium(tmp_path, PRINTS_A_PDF), environ={}
    )
    assert written is not None
    assert written == tmp_path / "site" / expected
    assert written.read_bytes().startswith(b"%PDF-")
    args = (tmp_path / "args.txt").read_text(encoding="utf-8").splitlines()
    assert args[-1] == page.as_uri()
    assert f"--print-to-pdf={written}" in args
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--no-first-run"):
        assert flag in args
    assert any(arg.startswith("--user-data-dir=") for arg in args)


def test_chromium_that_fails_fails_the_build(tmp_path: Path) -> None:
    """A Chromium that is installed but cannot print is an error naming the opt-out, not a silent gap."""
    config, page = site_with_worksheet(tmp_path)
    chromium = fake_chromium(tmp_path, 'echo "cannot open display" >&2; exit 3')
    with pytest.raises(PluginError, match=r"exit 3\).*cannot open display.*BB_SKIP_PDF=1"):
        pdf.build_worksheet_pdf(config, page, PDF_NAME, chromium=chromium, environ={})


def test_unchanged_worksheet_reuses_the_cached_pdf(tmp_path: Path) -> None:
    """A second build of the same page reuses the cached PDF without Chromium; a changed page prints again."""
    site_config, page = site_with_worksheet(tmp_path)
    config = {**site_config, "config_file_path": str(tmp_path / "mkdocs.yml")}
    chromium = fake_chromium(tmp_path, PRINTS_A_PDF)
    first = pdf.build_worksheet_pdf(config, page, PDF_NAME, chromium=chromium, environ={})
    assert first is not None
    assert (tmp_path / "args.txt").exists()
    (tmp_path / "args.txt").unlink()

    again = pdf.build_worksheet_pdf(config, page, PDF_NAME, chromium=chromium, environ={})
    assert again is not None
    assert again.read_bytes().startswith(b"%PDF-")
    assert not (tmp_path / "args.txt").exists(), "Chromium ran for an unchanged page"

    page.write_text("<h1>Action-plan worksheet, revised</h1>", encoding="utf-8")
    pdf.build_worksheet_pdf(config, page, PDF_NAME, chromium=chromium, environ={})
    assert (tmp_path / "args.txt").exists(), "a changed page must be printed again"
    assert len(list((tmp_path / ".cache" / "brickbybrick").glob("worksheet_*.pdf"))) == 1


def test_cache_key_is_the_page_as_rendered_not_the_file_rewritten_later(tmp_path: Path) -> None:
    """The build rewrites the page after printing starts (its CSP): the cache key is the rendered text."""
    site_config, page = site_with_worksheet(tmp_path)
    config = {**site_config, "config_file_path": str(tmp_path / "mkdocs.yml")}
    chromium = fake_chromium(tmp_path, PRINTS_A_PDF)
    rendered = page.read_text(encoding="utf-8")
    key = pdf.cache_path(config, rendered, chromium, "sources")
    page.write_text(rendered + "<!-- rewritten at the end of the build -->", encoding="utf-8")
    assert pdf.cache_path(config, rendered, chromium, "sources") == key
    assert key is not None
    assert key.name.startswith("worksheet_page_sources_")
    assert pdf.cache_path(config, rendered, chromium, "sources", "plan-a4") != key
    assert pdf.cache_path(config, rendered + "changed", chromium, "sources") != key


def test_a_build_knows_at_its_start_whether_its_worksheet_pdf_is_probably_cached(tmp_path: Path) -> None:
    """Chromium starts early only when no PDF made from the same sources is cached."""
    site_config, page = site_with_worksheet(tmp_path)
    config = {**site_config, "config_file_path": str(tmp_path / "mkdocs.yml")}
    chromium = fake_chromium(tmp_path, PRINTS_A_PDF)
    source = tmp_path / "docs" / "worksheet.md"
    source.write_text("# Worksheet", encoding="utf-8")
    sources = pdf.source_digest([source], chromium)
    assert not pdf.probably_cached(config, sources)
    pdf.build_worksheet_pdf(config, page, PDF_NAME, chromium=chromium, environ={}, sources=sources)
    assert pdf.probably_cached(config, sources)
    source.write_text("# Worksheet, revised", encoding="utf-8")
    assert not pdf.probably_cached(config, pdf.source_digest([source], chromium))


def test_a_browser_that_dies_at_start_fails_the_build_naming_the_opt_out(tmp_path: Path) -> None:
    """A Chromium started for printing that quits at once is an error with its last words."""
    config, page = site_with_worksheet(tmp_path)
    chromium = fake_chromium(tmp_path, 'echo "cannot open display" >&2; exit 3')
    browser = pdf.start_browser(chromium)
    assert browser is not None
    try:
        with pytest.raises(PluginError, match=r"DevTools pipe: cannot open display.*BB_SKIP_PDF=1"):
            pdf.build_worksheet_pdf(config, page, PDF_NAME, chromium=chromium, environ={}, browser=browser)
    finally:
        browser.close()
    assert not browser.profile.exists()


def sheet_jobs(site: Path) -> list[pdf.PrintJob]:
    """A worksheet's two PDFs, as the plugin asks for them."""
    return [
        pdf.PrintJob(site / "worksheets" / f"plan-{name}.pdf", f"#ws-plan-{name}", paper, f"plan-{name}")
        for name, paper in PAPERS.items()
    ]


def test_each_size_is_printed_at_its_fragment_and_cached_on_its_own(tmp_path: Path) -> None:
    """Both PDFs print from the one page, each at its own fragment (which names the worksheet and the
    size to its print CSS); a second build takes both from the cache; a changed page prints both again."""
    site_config, page = site_with_worksheet(tmp_path)
    config = {**site_config, "config_file_path": str(tmp_path / "mkdocs.yml")}
    site = Path(str(site_config["site_dir"]))
    chromium = fake_chromium(
        tmp_path, PRINTS_A_PDF + '; printf "%s\\n" "$@" >> "' + str(tmp_path) + '/all-args.txt"'
    )
    written = pdf.build_pdfs(config, page, sheet_jobs(site), chromium=chromium, environ={}, sources="src")
    assert written == [site / "worksheets" / "plan-a4.pdf", site / "worksheets" / "plan-letter.pdf"]
    assert all(path.read_bytes().startswith(b"%PDF-") for path in written)
    pages = [
        line for line in (tmp_path / "all-args.txt").read_text().splitlines() if line.startswith("file:")
    ]
    assert pages == [page.as_uri() + "#ws-plan-a4", page.as_uri() + "#ws-plan-letter"]
    cache = tmp_path / ".cache" / "brickbybrick"
    assert sorted(path.name.split("_")[1] for path in cache.glob("worksheet_*.pdf")) == [
        "plan-a4",
        "plan-letter",
    ]
    assert pdf.probably_cached(config, "src")

    (tmp_path / "all-args.txt").unlink()
    again = pdf.build_pdfs(config, page, sheet_jobs(site), chromium=chromium, environ={}, sources="src")
    assert again == written
    assert not (tmp_path / "all-args.txt").exists(), "Chromium ran for an unchanged page"

    page.write_text("<h1>Changed</h1>", encoding="utf-8")
    pdf.build_pdfs(config, page, sheet_jobs(site), chromium=chromium, environ={}, sources="src")
    assert len((tmp_path / "all-args.txt").read_text().splitlines()) > 2
    assert len(list(cache.glob("worksheet_*.pdf"))) == 2, "the stale copies stay in the cache"


def test_one_browser_is_started_for_every_pdf_that_is_not_cached(tmp_path: Path) -> None:
    """Without a browser started with the build, the first PDF missing from the cache starts one,
    and it prints every other PDF of the build too (one Chromium, two prints)."""
    config, page = site_with_worksheet(tmp_path)
    site = Path(str(config["site_dir"]))
    printed: list[tuple[str, str | None]] = []
    started: list[int] = []

    class Browser:
        def print_pdf(self, page: Path, fragment: str = "", paper: pdf.Paper | None = None) -> bytes:
            printed.append((fragment, paper and paper.name))
            return b"%PDF-1.4 fake"

    def start() -> pdf.DevToolsBrowser:
        started.append(1)
        return Browser()  # type: ignore[return-value]

    chromium = fake_chromium(tmp_path, "exit 9")  # never run: the browser prints
    pdf.build_pdfs(config, page, sheet_jobs(site), chromium=chromium, environ={}, start=start)
    assert started == [1]
    assert printed == [("#ws-plan-a4", "a4"), ("#ws-plan-letter", "letter")]


@pytest.mark.parametrize(
    ("language", "first"),
    [
        ("en", "a4"),
        ("es", "a4"),
        (None, "a4"),
        ("en-GB", "a4"),
        ("en_IE", "a4"),
        ("en-AU", "a4"),
        ("es-ES", "a4"),
        ("en-US", "letter"),
        ("en_CA", "letter"),
        ("fr-CA", "letter"),
        ("es-MX", "letter"),
        ("es-US", "letter"),
        ("es-419", "a4"),
        ("zh-Hant-TW", "a4"),
    ],
)
def test_the_readers_likely_paper_comes_first(language: str | None, first: str) -> None:
    """US Letter first for a region that prints on it (the US, Canada, Mexico...), A4 first elsewhere
    and for a language without a region."""
    assert paper_order(language)[0] == first
    assert sorted(paper_order(language)) == ["a4", "letter"]
