"""The result's shape, documented once (brickbybrick.engine.Result, a TypedDict), is what a real browser holds."""

from __future__ import annotations

import types
import typing
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints, is_typeddict

import pytest
from playwright.sync_api import Page
from quizpage import QuizForm

from brickbybrick import engine

pytestmark = pytest.mark.browser


def check(value: Any, hint: Any, path: str) -> list[str]:
    """Every way ``value`` differs from the type ``hint`` (TypedDicts key by key), by path."""
    origin = get_origin(hint)
    if is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{path}: expected an object, got {type(value).__name__}"]
        hints = get_type_hints(hint)
        problems = [f"{path}.{key}: missing" for key in hint.__required_keys__ - set(value)]
        problems += [f"{path}.{key}: not in {hint.__name__}" for key in set(value) - set(hints)]
        for key, item in value.items():
            if key in hints:
                problems += check(item, hints[key], f"{path}.{key}")
        return problems
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: expected a list"]
        return [
            problem
            for index, item in enumerate(value)
            for problem in check(item, get_args(hint)[0], f"{path}[{index}]")
        ]
    if origin is dict:
        if not isinstance(value, dict):
            return [f"{path}: expected an object"]
        return [
            problem
            for key, item in value.items()
            for problem in check(item, get_args(hint)[1], f"{path}.{key}")
        ]
    if origin in (Union, types.UnionType):
        options = [check(value, option, path) for option in get_args(hint)]
        return [] if any(not found for found in options) else [f"{path}: {value!r} is none of {hint}"]
    if origin is Literal:
        return [] if value in get_args(hint) else [f"{path}: {value!r} is not one of {get_args(hint)}"]
    if hint is type(None):
        return [] if value is None else [f"{path}: expected null"]
    if hint is float:
        return (
            []
            if isinstance(value, int | float) and not isinstance(value, bool)
            else [f"{path}: not a number"]
        )
    if hint is int:
        return (
            [] if isinstance(value, int) and not isinstance(value, bool) else [f"{path}: not a whole number"]
        )
    if hint in (str, bool):
        return [] if isinstance(value, hint) else [f"{path}: not {hint.__name__}"]
    if hint is typing.Any:
        return []
    return [f"{path}: cannot check {hint}"]


def test_the_checker_finds_a_wrong_shape() -> None:
    """The checker is strict: a missing key, an extra key and a wrong type are each found."""
    good = {"id": "a", "label": "A"}
    assert check(good, engine.PatternRef, "r") == []
    assert check({"id": "a"}, engine.PatternRef, "r") == ["r.label: missing"]
    assert check({**good, "x": 1}, engine.PatternRef, "r") == ["r.x: not in PatternRef"]
    assert check({"id": 1, "label": "A"}, engine.PatternRef, "r") == ["r.id: not str"]


def visit_results(page: Page) -> list[Any]:
    """The results quiz.js holds for this visit (the module the page loaded, imported again: the same one)."""
    return page.evaluate(
        """async () => {
          const src = document.querySelector('script[type=module][src*="javascripts/quiz.js"]').src;
          const module = await import(src);
          return [...module.visitResults.values()];
        }"""
    )


@pytest.mark.parametrize(
    ("path", "quiz_id", "answers"),
    [
        ("quiz/", "sample", {"c1": "Often", "c2": "Rarely", "s1": "Often", "s2": "Never"}),  # calm
        ("quiz/", "sample", {"c1": "Often", "c2": "Rarely", "s1": "Often", "s2": "Often"}),  # danger
        ("extension/", "ext-demo", None),  # an extension's notes
    ],
)
def test_results_in_the_browser_have_the_documented_shape(
    page: Page, path: str, quiz_id: str, answers: dict[str, str] | None
) -> None:
    """Scored by the real scorer in Chromium, a result is exactly an engine.Result: every key, every type."""
    page.goto(path)
    quiz = QuizForm(page, quiz_id)
    quiz.expect_ready()
    if answers is None:
        for fieldset in quiz.fieldsets():
            fieldset.locator("input[type=radio]").first.check()
    else:
        for item, label in answers.items():
            quiz.answer(item, label)
    quiz.submit.click()
    quiz.expect_result_focused()
    (result,) = visit_results(page)
    assert check(result, engine.Result, "result") == []
    assert result["quiz"] == quiz_id
