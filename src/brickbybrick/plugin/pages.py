"""What a guide's Markdown pages hold: heading anchors, and the quiz calls written in them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.toc import slugify

HEADING = re.compile(r"^#{1,6}\s+(?P<title>.*?)(?:\s*\{[^}]*#(?P<id>[\w-]+)[^}]*\})?\s*#*\s*$")
EXPLICIT_ID = re.compile(r"""\bid=["']([\w-]+)["']""")
QUIZ_CALL = re.compile(r"""\{\{-?\s*quiz\(\s*(?P<q>["'])(?P<id>.*?)(?P=q)\s*\)\s*-?\}\}""")
ANY_QUIZ_CALL = re.compile(r"\{\{-?\s*quiz\s*\(")

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
class QuizCall:
    quiz_id: str
    line: int


class QuizCallError(ValueError):
    """A ``{{ quiz(...) }}`` written where it cannot work, with its line on the page."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


def quiz_calls(markdown: str) -> list[QuizCall]:
    """The quiz calls of a page, each on a line of its own; anything else is a QuizCallError."""
    calls: list[QuizCall] = []
    lines = markdown.splitlines()
    for match in ANY_QUIZ_CALL.finditer(markdown):
        line = markdown.count("\n", 0, match.start()) + 1
        whole = QUIZ_CALL.match(markdown, match.start())
        if whole is None:
            raise QuizCallError(line, 'write a quiz as {{ quiz("quiz-id") }} with the id in quotes')
        if lines[line - 1].strip() != whole.group(0):
            raise QuizCallError(
                line, f"quiz({whole['id']!r}) must be on a line of its own, not inside a sentence"
            )
        if any(call.quiz_id == whole["id"] for call in calls):
            first = next(call.line for call in calls if call.quiz_id == whole["id"])
            raise QuizCallError(
                line, f"quiz({whole['id']!r}) is already on this page (line {first}): once per page"
            )
        calls.append(QuizCall(whole["id"], line))
    return calls
