"""The plugin's options, validated by MkDocs (``plugins: - brickbybrick: {...}`` in mkdocs.yml).

Every option has a neutral default: a guide on any topic works with none of them set. Words a
reader sees come from the message catalogue (:mod:`brickbybrick.catalogue`) in the guide's
language; ``messages`` overrides any of them, and the few options named after a text (``label``,
``quiz_notice``...) are shortcuts for one message each.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class QuickExitConfig(base.Config):
    """A "leave this page now" control on every page (GOV.UK's "Exit this page" pattern)."""

    enabled = c.Type(bool, default=False)
    url = c.Optional(c.Type(str))  # required when enabled: the guide chooses the neutral page
    label = c.Optional(c.Type(str))  # the catalogue's page.exit.label
    hint = c.Optional(c.Type(str))  # the catalogue's page.exit.hint


class WorksheetConfig(base.Config):
    """A hand-written worksheet page whose blank copy is printed to PDF at build time (kept for
    guides that wrote their worksheet in HTML; a worksheet file in ``worksheets_dir`` placed with
    ``{{ worksheet("id") }}`` needs neither option)."""

    page = c.Optional(c.Type(str))
    pdf = c.Type(str, default="worksheet.pdf")


class BrickByBrickConfig(base.Config):
    quizzes_dir = c.Type(str, default="quizzes")
    worksheets_dir = c.Type(str, default="worksheets")  # worksheet files, beside quizzes_dir
    help_file = c.Type(str, default="help.yml")
    # The readers' language: theme.language when not set (then "en").
    language = c.Optional(c.Type(str))
    # The guide's other languages: code -> that language's mkdocs.yml (INHERIT from this one),
    # each built into site/<code>/ with a language switch to the same page (plugin/languages.py).
    languages = c.Type(dict, default={})
    # Any message of the catalogue, by key (see the package's catalogue/en.yml).
    messages = c.Type(dict, default={})
    quiz_notice = c.Optional(c.Type(str))  # the catalogue's quiz.notice
    disclaimer = c.Optional(c.Type(str))  # result.disclaimer
    privacy_notice = c.Optional(c.Type(str))  # the guide's own Markdown; no default
    # Shown (in <noscript>) beside every form when JavaScript is off: its fields start switched
    # off, because without script nothing can clear them before Back shows the page again.
    noscript_notice = c.Optional(c.Type(str))  # page.noscript
    quick_exit = c.SubConfig(QuickExitConfig)
    worksheet = c.SubConfig(WorksheetConfig)
    chromium = c.Optional(c.Type(str))
