"""MkDocs hooks: check quiz references, ship the self-hosted runtime, watch quiz sources."""

from __future__ import annotations

from typing import Any

from mkdocs.plugins import event_priority

from brickbybrick import site


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild on changes to quiz files and to the engine, not only to docs/."""
    root = site.project_dir(config)
    server.watch(str(root / "quizzes"))
    server.watch(str(root / "src" / "brickbybrick"))
    return server


@event_priority(100)  # before mkdocs-macros renders the page, which would print a traceback
def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    """Fail with ``page.md:LINE: quiz('x'): ...`` when a page names a quiz that does not exist."""
    site.check_quiz_references(markdown, page.file.src_uri, config)
    return markdown


def on_post_build(config: Any) -> None:
    """Copy Pyodide and write the engine wheel and its lockfile into the site."""
    site.install_runtime(config, site.runtime(config))
