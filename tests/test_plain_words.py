"""Plain words where they matter most: every text a reader sees beside a critical answer.

Each critical text (the help panels' alert and intro, every ``if_critical`` of every quiz, and the
engine's own fallbacks) opens with one action sentence, has no sentence over 20 words, and
reads at Flesch-Kincaid grade 7 or below. The method is in ``tests/readability.py``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from brickbybrick import catalogue
from readability import opens_with_action, reading, syllables

ROOT = Path(__file__).resolve().parent.parent
MAX_GRADE = 7.0
MAX_WORDS = 20


def english(guide: Path) -> bool:
    """Whether a guide is written in English (the grade formula is English's): by its mkdocs.yml."""
    config = (guide / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^\s+language:\s*([a-z]+)", config, re.MULTILINE)
    return match is None or match.group(1) == "en"


GUIDES = [guide for guide in [ROOT, *sorted(ROOT.glob("examples/*"))] if english(guide)]


def critical_texts() -> list[object]:
    cases: list[object] = []
    for path in sorted(path for guide in GUIDES for path in guide.glob("quizzes/*.yml")):
        quiz = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = str(path.relative_to(ROOT))
        scopes = [(f"subscales.{sub['id']}", sub) for sub in quiz.get("subscales", [])]
        for where, scope in [*scopes, ("overall", quiz["overall"])]:
            if "if_critical" in scope:
                cases.append(pytest.param(scope["if_critical"]["feedback"], id=f"{name}:{where}.if_critical"))
    for path in sorted(path for guide in GUIDES for path in guide.glob("help.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        name = str(path.relative_to(ROOT))
        for panel_id, panel in data.get("panels", {}).items():
            for key in ("alert", "intro"):
                cases.append(pytest.param(panel[key], id=f"{name}:panels.{panel_id}.{key}"))
    english = catalogue.load(catalogue.BASE)
    for key in ("result.alert", "result.if_critical.text"):
        cases.append(pytest.param(english.text(key), id=f"catalogue/en.yml:{key}"))
    return cases


CASES = critical_texts()


def test_the_table_reaches_every_quiz_and_panel() -> None:
    """The safety check, both own-behaviour quizzes and both help panels are in the table."""
    ids = " ".join(case.id for case in CASES)  # type: ignore[attr-defined]
    for expected in (
        "safety-check.yml",
        "trust-destroyers.yml",
        "panels.danger.alert",
        "panels.own-behaviour.intro",
    ):
        assert expected in ids


@pytest.mark.parametrize("text", CASES)
def test_critical_text_is_plain(text: str) -> None:
    """One action first, no sentence over 20 words, Flesch-Kincaid grade 7 or below."""
    measured = reading(text)
    assert opens_with_action(text), f"the first sentence is not an action: {measured.sentences[0]!r}"
    long = [sentence for sentence in measured.sentences if len(sentence.split()) > MAX_WORDS]
    assert measured.longest <= MAX_WORDS, f"sentences over {MAX_WORDS} words: {long}"
    assert measured.grade <= MAX_GRADE, f"grade {measured.grade}: {text!r}"


# The checker itself: a test that can fail.
GRADE_NINE = (
    "Threats to kill, threats with a weapon, and threats against children, pets or themselves are "
    "serious warning signs, even if they were said in anger or followed by an apology. A helpline "
    "can help you think about what the threats mean for your safety and the safety of anyone who "
    "depends on you."
)


def test_checker_fails_a_grade_nine_text() -> None:
    """A text from before this rule (grade 9 or above, a 29-word sentence, no action first) fails every check."""
    measured = reading(GRADE_NINE)
    assert measured.grade >= 9
    assert measured.longest > MAX_WORDS
    assert not opens_with_action(GRADE_NINE)


@pytest.mark.parametrize(
    ("text", "grade_at_most"),
    [("Call 911 now. It is not your fault.", 2.0), ("Talk to someone you trust today.", 3.0)],
)
def test_checker_passes_plain_text(text: str, grade_at_most: float) -> None:
    """Short sentences of short words read at a low grade and open with an action."""
    assert reading(text).grade <= grade_at_most
    assert opens_with_action(text)


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("call", 1),
        ("danger", 2),
        ("helpline", 2),
        ("confidential", 4),
        ("strangled", 2),
        ("safe", 1),
        ("988", 1),
    ],
)
def test_syllable_counts(word: str, count: int) -> None:
    """The syllable heuristic agrees with a dictionary on the words these texts use."""

    assert syllables(word) == count
