"""Hostile YAML in quiz and help files (issue 20): too deep, too long, alias bombs.

Each fails with ``file:line`` and a plain message, whichever file reads it, never with a
traceback (a RecursionError from PyYAML's composer or from the conversion, a MemoryError).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from brickbybrick import quizfile
from brickbybrick.helpfile import load_help
from brickbybrick.quizfile import MAX_CHARACTERS, MAX_DEPTH, MAX_SCALAR, MAX_VALUES, QuizError, load_quiz
from helpers import build, mini_project

DEEP = 100_000

# (id, the hostile text after a first line "title: x", the error's line and message).
HOSTILE = [
    (
        "flow-sequences-100000-deep",
        "items: " + "[" * DEEP + "]" * DEEP,
        2,
        f"nested more than {MAX_DEPTH} levels deep",
    ),
    (
        "flow-mappings-100000-deep",
        "items: " + "{a: " * DEEP + "1" + "}" * DEEP,
        2,
        f"nested more than {MAX_DEPTH} levels deep",
    ),
    (
        "block-sequences-100000-deep",
        "items:\n  " + "- " * DEEP + "x",
        3,
        f"nested more than {MAX_DEPTH} levels deep",
    ),
    (
        "indented-mappings-60-deep",
        "items:\n" + "".join("  " * level + "a:\n" for level in range(1, 61)) + "  " * 61 + "x",
        # the root mapping (line 1) is level 1, the one on line 3 level 2, on line n level n - 1
        2 + MAX_DEPTH,
        f"nested more than {MAX_DEPTH} levels deep",
    ),
    (
        "deep-only-through-aliases",
        "\n".join(
            ["a0: &a0 " + "[" * 40 + "1" + "]" * 40]
            + [f"a{n}: &a{n} " + "[" * 40 + f"*a{n - 1}" + "]" * 40 for n in range(1, 4)]
        ),
        3,
        f"a1: nested more than {MAX_DEPTH} levels deep once aliases are expanded",
    ),
    (
        "huge-value",
        "intro: " + "x" * (MAX_SCALAR + 1),
        2,
        f"a text of {MAX_SCALAR + 1:,} characters: at most {MAX_SCALAR:,} are allowed",
    ),
    (
        "huge-key",
        "? " + "x" * (MAX_SCALAR + 1) + "\n: 1",  # an explicit key: a plain one ends at 1,024
        2,
        f"a text of {MAX_SCALAR + 1:,} characters",
    ),
    (
        "huge-block-scalar",
        "intro: |\n" + "  line of text\n" * 10_000,
        2,
        "a text of 130,000 characters",
    ),
    (
        "billion-laughs",
        "\n".join(
            ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
            + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
        ),
        None,  # the line of the anchor being expanded when the count passes the cap
        f"more than {MAX_VALUES} values once aliases are expanded (an alias bomb?)",
    ),
    (
        "long-text-repeated-by-aliases",
        "a: &a " + "y" * 90_000 + "\nb: [" + ", ".join(["*a"] * 40) + "]",
        2,
        f"more than {MAX_CHARACTERS:,} characters once aliases are expanded (an alias bomb?)",
    ),
]


def _load_quiz(path: Path, name: str) -> object:
    return load_quiz(path, display_name=name)


def _load_help(path: Path, name: str) -> object:
    return load_help(path, display_name=name)


READERS = [("quizzes/hostile.yml", _load_quiz), ("help.yml", _load_help)]


@pytest.mark.parametrize(("case", "body", "line", "message"), HOSTILE, ids=[case[0] for case in HOSTILE])
@pytest.mark.parametrize(("name", "reader"), READERS, ids=["quiz", "help"])
def test_hostile_yaml_fails_at_its_line_with_a_message(
    tmp_path: Path,
    case: str,
    body: str,
    line: int | None,
    message: str,
    name: str,
    reader: Callable[[Path, str], object],
) -> None:
    """Deep nesting, a huge text or an alias bomb is one QuizError naming the file and line."""
    path = tmp_path / Path(name).name
    path.write_text(f"title: x\n{body}\n", encoding="utf-8")
    with pytest.raises(QuizError) as caught:
        reader(path, name)
    where = re.escape(name) + (rf":{line}: " if line else r":\d+: ")
    assert re.match(where + r".*" + re.escape(message), str(caught.value)), str(caught.value)
    assert len(str(caught.value)) < 400, "the message names where, not the whole key path"


def test_past_libyamls_own_nesting_limit_the_depth_check_still_speaks() -> None:
    """A file too deep for libyaml (1,000 levels) is described by the depth check, not libyaml's words."""
    text = "title: x\nitems: " + "[" * 2000 + "]" * 2000
    with pytest.raises(QuizError, match=rf"^quizzes/x\.yml:2: nested more than {MAX_DEPTH} levels deep"):
        quizfile.parse_yaml(text, "quizzes/x.yml")


def test_a_recursion_error_in_pyyamls_composer_is_located(monkeypatch: pytest.MonkeyPatch) -> None:
    """With the depth check out of the way, PyYAML's own composer exhausting the stack is still a located error."""
    monkeypatch.setattr(quizfile, "MAX_DEPTH", 10**9)
    # 1,200 levels: past libyaml's limit (1,000), and deeper than Python's stack lets PyYAML's
    # composer go (PyYAML's own scanner takes time growing with the square of the depth: the
    # limit keeps it at 50).
    text = "title: x\nitems: " + "[" * 1200 + "]" * 1200
    with pytest.raises(QuizError, match=r"^quizzes/x\.yml:2: nested too deeply to read"):
        quizfile.parse_yaml(text, "quizzes/x.yml")


def test_limits_leave_room_for_real_files() -> None:
    """The guide's own quizzes and help file nest and write far below every limit."""
    root = Path(__file__).resolve().parent.parent
    for path in [*sorted((root / "quizzes").glob("*.yml")), root / "help.yml"]:
        text = path.read_text(encoding="utf-8")
        depth = deepest = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
            deepest = max(deepest, depth)
        located = quizfile.parse_yaml(text, path.name)
        assert deepest * 5 <= MAX_DEPTH, path
        assert located.characters * 10 <= MAX_CHARACTERS, path
        assert located.values * 10 <= MAX_VALUES, path


def test_deep_quiz_fails_the_build_without_a_traceback(tmp_path: Path) -> None:
    """``mkdocs build`` with a 100,000-deep quiz stops with the file, line and message only."""
    project = mini_project(
        tmp_path / "project", pages={"index.md": "# Home\n", "help.md": "# Help\n"}, quiz_dirs=()
    )
    (project / "quizzes" / "deep.yml").write_text(
        "id: deep\ntitle: Deep\nitems: " + "[" * DEEP + "]" * DEEP + "\n", encoding="utf-8"
    )
    result = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    assert result.returncode != 0
    assert f"quizzes/deep.yml:3: nested more than {MAX_DEPTH} levels deep" in result.stderr
    assert "Traceback" not in result.stderr
