"""The contract between the build (Python) and the page (JavaScript): every name both sides use.

One declaration, checked on both sides by ``tests/test_contract.py``: a ``data-*`` attribute, a
``bb:`` event, a worker message type, a ``<meta name>`` or the scorer's file-list prefix that
either side uses and this module lacks fails the tests. The build writes the protocol version into
every quiz page (``data-protocol`` on the scorer's runtime tag); the page's script refuses a page
built for another one, instead of misreading it.

The result's shape is :class:`brickbybrick.engine.Result` (a TypedDict), documented once there and
checked against the results a real browser holds in ``tests/browser/test_contract_in_browser.py``.
"""

from __future__ import annotations

__all__ = [
    "ATTRIBUTES",
    "ENGINE_PREFIX",
    "EVENTS",
    "MESSAGES",
    "METAS",
    "PROTOCOL_VERSION",
    "SCRIPT_STATE",
]

#: The worker protocol's version (``protocol.js`` declares the same number; a test compares them).
PROTOCOL_VERSION = 3

#: ``data-*`` attributes the build writes and the page's scripts or styles read (name: what it marks).
ATTRIBUTES: dict[str, str] = {
    "quiz": "a quiz form, by quiz id",
    "quiz-spec": "the quiz's spec for the scorer (JSON)",
    "quiz-result": "where the result goes",
    "quiz-result-for": "a result's quiz id",
    "quiz-state": "the scorer's state, beside the button",
    "quiz-submit": "the button that shows the results",
    "quiz-reset": "the control that clears the answers (asks twice)",
    "quiz-retry": "starts the scorer again",
    "quiz-help": "the form's help panel",
    "quiz-alert": "the danger note that opens a result",
    "quiz-announce": "the one-sentence announcements",
    "quiz-item-help": "the help link under a question with a danger answer",
    "quiz-print": "a result's Print my results button",
    "item": "a question's fieldset, by item id",
    "critical": "an answer that suggests danger",
    "pattern": "an answer that counts towards a pattern, by scale",
    "pattern-count": "how many such answers make the pattern",
    "quick-exit": "the quick exit control",
    "bb-off": "a field switched off until the safety script runs",
    "pyodide": "the scorer's runtime: Pyodide's folder",
    "engine": "the scorer's runtime: the engine's folder",
    "lockfile": "the scorer's runtime: Pyodide's lockfile name",
    "files": "the scorer's runtime: every file with its sha256 and size",
    "protocol": "the scorer's runtime: the protocol version it was built for",
    "worksheet": "a worksheet form",
    "ws-sheet": "a worksheet's printable sheet",
    "ws-field": "a worksheet field",
    "ws-text": "a worksheet text area",
    "ws-mirror": "a text area's copy on paper",
    "ws-focus": "the focus-areas field",
    "ws-focus-tools": "the focus-areas controls",
    "ws-focus-fill": "fills the focus areas from this visit",
    "ws-focus-clear": "clears the focus areas",
    "ws-focus-offer": "what the fill control offers",
    "ws-focus-status": "what the fill control did",
    "ws-focus-help": "the note when a quiz had danger",
    "ws-focus-help-quizzes": "the quizzes it names",
    "ws-print": "prints the worksheet",
    "epoch": "live reload (serve only): the build's epoch",
    "request": "live reload (serve only): the page's request id",
}

#: ``data-*`` attributes the page's scripts set for themselves (never written by the build).
SCRIPT_STATE: dict[str, str] = {
    "bound": "an element already wired",
    "status": "the scorer's state on its state line",
    "armed": "the clear control waits for its second press",
    "pattern-met": "a form whose answers make a pattern",
    "print-href": "a link's full address, for paper",
    "print-only": "a line that exists only while printing",
    "href": "the quick exit's destination, on its button",
}

#: Events on ``document`` between the page's scripts.
EVENTS: dict[str, str] = {
    "bb:forget": "drop every answer and result held in memory (page hidden, quick exit)",
    "bb:scorer-settled": "the scorer is ready or unavailable: the theme's search may start",
}

#: Worker message types (see ``protocol.js`` for their fields).
MESSAGES: frozenset[str] = frozenset(
    {"init", "start", "register", "score", "progress", "ready", "failed", "scored", "error", "load", "loaded"}
)

#: ``<meta name>`` values the build writes for the page's scripts.
METAS: dict[str, str] = {
    "bb-runtime": "where the scorer's files are (quiz pages, first in <head>)",
    "bb-messages": "the reader's words for the scripts, from the catalogue",
}

#: In the scorer's file list, the prefix of an engine file (any other name is one of Pyodide's).
ENGINE_PREFIX = "engine:"
