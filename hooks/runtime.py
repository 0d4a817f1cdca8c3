"""MkDocs hooks: ship the self-hosted runtime with the site and watch quiz sources."""

from __future__ import annotations

from typing import Any

from brickbybrick import site


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    """Rebuild on changes to quiz files and to the engine, not only to docs/."""
    root = site.project_dir(config)
    server.watch(str(root / "quizzes"))
    server.watch(str(root / "src" / "brickbybrick"))
    return server


def on_post_build(config: Any) -> None:
    """Copy Pyodide and write the engine wheel and its lockfile into the site."""
    site.install_runtime(config, site.runtime(config))
