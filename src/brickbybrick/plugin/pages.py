"""What a guide's Markdown pages hold: heading anchors, and the macro calls written in them
(``{{ quiz("id") }}``, ``{{ worksheet("id") }}``)."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.toc import slugify

HEADING = re.compile(r"^#{1,6}\s+(?P<title>.*?)(?:\s*\{[^}]*#(?P<id>[\w-]+)[^}]*\})?\s*#*\s*$")
EXPLICIT_ID = re.compile(r"""\bid=["']([\w-]+)["']""")
PageChecker = Callable[[str], str | None]


def anchors_of(markdown_file: Path) -> set[str]:
    """The heading anchors a Markdown page will have (default ``toc`` slugs and ``{#id}``)."""
    anchors: set[str] = set()
    fenced = False
    for line in markdown_file.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        anchors.update(EXPLICIT_ID.findall(line))
        if match := HEADING.match(line):
            anchors.add(match["id"] or slugify(re.sub(r"[*_`]", "", match["title"]), "-"))
    return anchors


def page_checker(docs_dir: Path) -> PageChecker:
    """Return None when a ``page.md#anchor`` target exists in ``docs_dir``, else why not.

    Each page is read once per checker (a build makes one): quizzes link the same pages often.
    """
    anchors: dict[Path, set[str]] = {}

    def check(target: str) -> str | None:
        page, _, anchor = target.partition("#")
        path = docs_dir / page
        if not page.endswith(".md") or not path.is_file():
            return f"{page!r} is not a page in {docs_dir.name}/ (expected a path like 'chapter.md#heading')"
        if path not in anchors:
            anchors[path] = anchors_of(path)
        if anchor and anchor not in anchors[path]:
            return f"{page!r} has no heading with the anchor '#{anchor}'"
        return None

    return check


@dataclass(frozen=True)
class MacroCall:
    """One ``{{ name("id") }}`` on a page: its id, its line, and the level of the heading above it."""

    id: str
    line: int
    under_level: int = 0  # 1 for a call under a "# Title", 0 above any heading

    @property
    def quiz_id(self) -> str:
        return self.id


QuizCall = MacroCall


class QuizCallError(ValueError):
    """A macro call (``{{ quiz(...) }}``, ``{{ worksheet(...) }}``) written where it cannot work,
    with its line on the page."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@functools.cache
def _patterns(name: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The whole call, and the start of any call (to catch the ones written wrong)."""
    whole = re.compile(r"""\{\{-?\s*""" + name + r"""\(\s*(?P<q>["'])(?P<id>.*?)(?P=q)\s*\)\s*-?\}\}""")
    start = re.compile(r"\{\{-?\s*" + name + r"\s*\(")
    return whole, start


def macro_calls(markdown: str, name: str) -> list[MacroCall]:
    """The calls of macro ``name`` on a page, each on a line of its own and once per page;
    anything else is a :class:`QuizCallError`."""
    whole_call, any_call = _patterns(name)
    calls: list[MacroCall] = []
    lines = markdown.splitlines()
    for match in any_call.finditer(markdown):
        line = markdown.count("\n", 0, match.start()) + 1
        whole = whole_call.match(markdown, match.start())
        if whole is None:
            raise QuizCallError(
                line, f'write a {name} as {{{{ {name}("{name}-id") }}}} with the id in quotes'
            )
        if lines[line - 1].strip() != whole.group(0):
            raise QuizCallError(
                line, f"{name}({whole['id']!r}) must be on a line of its own, not inside a sentence"
            )
        if any(call.id == whole["id"] for call in calls):
            first = next(call.line for call in calls if call.id == whole["id"])
            raise QuizCallError(
                line, f"{name}({whole['id']!r}) is already on this page (line {first}): once per page"
            )
        calls.append(MacroCall(whole["id"], line, _heading_level_above(lines, line)))
    return calls


def _heading_level_above(lines: list[str], line: int) -> int:
    """The level of the last Markdown heading before ``line`` (1-based), outside code fences; 0 if none."""
    level = 0
    fenced = False
    for text in lines[: line - 1]:
        if text.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and HEADING.match(text):
            level = len(text) - len(text.lstrip("#"))
    return level


def quiz_calls(markdown: str) -> list[MacroCall]:
    """The quiz calls of a page, each on a line of its own; anything else is a QuizCallError."""
    return macro_calls(markdown, "quiz")
