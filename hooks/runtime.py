"""MkDocs hooks: check quiz references, ship the self-hosted runtime, add the CSP, watch sources."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.plugins import event_priority

from brickbybrick import csp, pdf, site

_script_hashes: set[str] = set()


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild on changes to quiz files and to the engine, not only to docs/."""
    root = site.project_dir(config)
    server.watch(str(root / "quizzes"))
    server.watch(str(root / "src" / "brickbybrick"))
    return server


def on_pre_build(config: Any) -> None:
    _script_hashes.clear()


@event_priority(100)  # before mkdocs-macros renders the page, which would print a traceback
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Fail with ``docs/page.md:LINE: quiz('x'): ...`` when a page names a quiz that does not exist."""
    site.check_quiz_references(markdown, page.file.src_uri, config)
    return markdown


@event_priority(-100)  # last, once every other plugin has finished changing the page
def on_post_page(output: str, page: Any, config: Any) -> str:
    """Give every page a strict Content-Security-Policy matching its inline scripts."""
    _script_hashes.update(csp.inline_script_hashes(output))
    return csp.add_meta_policy(output)


@event_priority(-100)
def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    if not template_name.endswith(".html"):
        return output_content
    _script_hashes.update(csp.inline_script_hashes(output_content))
    return csp.add_meta_policy(output_content)


def on_post_build(config: Any) -> None:
    """Ship Pyodide and the engine wheel; one CSP on every page and in ``_headers``; the blank worksheet PDF."""
    site.install_runtime(config, site.runtime(config))
    site_dir = Path(config["site_dir"])
    for page in site_dir.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        page.write_text(csp.set_meta_policy(html, _script_hashes), encoding="utf-8")
    (site_dir / "_headers").write_text(csp.headers_file(_script_hashes), encoding="utf-8")
    pdf.build_worksheet_pdf(config)  # the blank worksheet PDF, printed by headless Chromium
