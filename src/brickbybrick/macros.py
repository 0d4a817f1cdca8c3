"""The mkdocs-macros side of the plugin: ``quiz()``, ``worksheet()`` and ``help_directory()`` read
its state.

Registered by :func:`brickbybrick.define_env` (``macros: {modules: [brickbybrick]}``). The
macros build nothing of their own: quizzes, help and runtime belong to the plugin instance.
"""

from __future__ import annotations

from typing import Any

from mkdocs.exceptions import PluginError

from brickbybrick.plugin.plugin import BrickByBrickPlugin


def plugin_of(env: Any) -> BrickByBrickPlugin:
    plugin = env.conf.plugins.get("brickbybrick")
    if not isinstance(plugin, BrickByBrickPlugin):
        raise PluginError(
            "mkdocs.yml: plugins: add '- brickbybrick' (the quiz and worksheet macros need the plugin)"
        )
    return plugin


def register(env: Any) -> None:
    """Register the macros on a mkdocs-macros environment."""

    def quiz(quiz_id: str) -> str:
        """``{{ quiz("id") }}``: the quiz as an accessible form, wired to the in-browser scorer."""
        plugin = plugin_of(env)
        if quiz_id not in plugin.quizzes:  # the plugin has already said where; this is a fallback
            raise PluginError(f"quiz({quiz_id!r}): no such quiz")
        return plugin.quiz_html(quiz_id, env.page, env.conf)

    def worksheet(worksheet_id: str) -> str:
        """``{{ worksheet("id") }}``: the worksheet as a form to fill in and print, with its blank PDFs."""
        plugin = plugin_of(env)
        if worksheet_id not in plugin.worksheets:  # the plugin has already said where; a fallback
            raise PluginError(f"worksheet({worksheet_id!r}): no such worksheet")
        return plugin.worksheet_html(worksheet_id, env.page, env.conf)

    def help_directory() -> str:
        """``{{ help_directory() }}``: every section of the guide's help data, for its help page."""
        return plugin_of(env).help_directory()

    env.macro(quiz, "quiz")
    env.macro(worksheet, "worksheet")
    env.macro(help_directory, "help_directory")
