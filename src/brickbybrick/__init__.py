"""Brick by Brick: a static guide generator with self-assessments scored in the browser.

The scoring engine (:mod:`brickbybrick.engine`) imports only the standard library so the
very same module runs under CPython (tests, build-time checks) and under Pyodide (the
reader's browser). Everything that needs third-party packages (YAML loading, Markdown,
MkDocs) lives in other modules that the browser never imports.

This module is also the mkdocs-macros "pluglet" (``macros: {modules: [brickbybrick]}``):
:func:`define_env` registers the ``quiz`` and ``worksheet`` macros, importing MkDocs only when
it is called.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.2.0"


def define_env(env: Any) -> None:
    """mkdocs-macros entry point: register ``quiz()``, ``worksheet()`` and ``help_directory()``."""
    from brickbybrick.macros import register

    register(env)
