"""mkdocs-macros module: registers the ``quiz`` macro; the work lives in :mod:`brickbybrick.site`."""

from __future__ import annotations

from typing import Any

from brickbybrick.site import QuizMacro


def define_env(env: Any) -> None:
    """Called by mkdocs-macros once per build."""
    env.macro(QuizMacro(env), "quiz")
