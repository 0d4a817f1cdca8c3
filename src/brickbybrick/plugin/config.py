"""The plugin's options, validated by MkDocs (``plugins: - brickbybrick: {...}`` in mkdocs.yml).

Every option has a neutral default: a guide on any topic works with none of them set. This
guide's own words (quick-exit destination, notices) are set in its ``mkdocs.yml``.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class QuickExitConfig(base.Config):
    """A "leave this page now" control on every page (GOV.UK's "Exit this page" pattern)."""

    enabled = c.Type(bool, default=False)
    url = c.Optional(c.Type(str))  # required when enabled: the guide chooses the neutral page
    label = c.Type(str, default="Exit this page")
    hint = c.Type(str, default=" (or press Shift 3 times)")


class WorksheetConfig(base.Config):
    """A printable worksheet page whose blank copy is printed to PDF at build time."""

    page = c.Optional(c.Type(str))
    pdf = c.Type(str, default="worksheet.pdf")


class BrickByBrickConfig(base.Config):
    quizzes_dir = c.Type(str, default="quizzes")
    help_file = c.Type(str, default="help.yml")
    quiz_notice = c.Type(
        str,
        default="Your answers stay on this device: they are scored in your browser and never sent or stored.",
    )
    disclaimer = c.Type(
        str,
        default="This self-assessment is a reflection aid, not a diagnosis. "
        "Your answers were scored on this device and were not sent or stored.",
    )
    privacy_notice = c.Optional(c.Type(str))
    # Shown (in <noscript>) beside every form when JavaScript is off: its fields start switched
    # off, because without script nothing can clear them before Back shows the page again.
    noscript_notice = c.Type(
        str,
        default="JavaScript is off in this browser, so the answer boxes here are switched off: "
        "without JavaScript this site cannot clear them, and pressing Back could show what you "
        "chose or typed to anyone using this device. Turn JavaScript on to use them, or print "
        "this page and fill it in on paper.",
    )
    quick_exit = c.SubConfig(QuickExitConfig)
    worksheet = c.SubConfig(WorksheetConfig)
    chromium = c.Optional(c.Type(str))
