"""Danger comes first, for every critical answer of every quiz in this guide.

Each case answers one critical option and every other item at its safest (the non-critical
answer with the highest keyed score), scores it with the engine and renders the result as the
page shows it (the browser spec of a page one level deep, with the guide's help data).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brickbybrick import engine, render
from brickbybrick.helpfile import load_help
from brickbybrick.plugin.pages import page_checker
from brickbybrick.quizfile import load_quiz

ROOT = Path(__file__).resolve().parent.parent
HELP = load_help(ROOT / "help.yml", display_name="help.yml")
QUIZZES = {
    path.stem: load_quiz(path, check_page=page_checker(ROOT / "docs"), help_data=HELP, require_help=True)
    for path in sorted((ROOT / "quizzes").glob("*.yml"))
}
HELP_HREF = "../help/"
#: Pages of work for two: check-ins, the action plan and its worksheet, repair conversations.
COUPLES_WORK = re.compile(r"action-plan|worksheet|repair|check-in", re.IGNORECASE)


def href(target: str) -> str:
    page, _, anchor = target.partition("#")
    url = "../" + page.removesuffix(".md").removesuffix("index") + "/"
    return f"{url}#{anchor}" if anchor else url


def safest(spec: engine.Spec, item: engine.ItemSpec) -> int:
    values = [point["value"] for point in spec["scales"][item["scale"]]["points"]]
    calm = [value for value in values if not engine.is_critical(item, value)]
    return max(calm, key=lambda value: engine.item_score(spec, item, value))


def critical_cases() -> list[object]:
    cases = []
    for quiz_id, spec in QUIZZES.items():
        for item in spec["items"]:
            for point in spec["scales"][item["scale"]]["points"]:
                if engine.is_critical(item, point["value"]):
                    cases.append(
                        pytest.param(
                            quiz_id, item["id"], point["value"], id=f"{quiz_id}-{item['id']}-{point['value']}"
                        )
                    )
    return cases


CASES = critical_cases()


def test_every_quiz_with_danger_is_covered() -> None:
    """The table reaches the safety check and both own-behaviour quizzes, with every critical option."""
    quizzes = {case.values[0] for case in CASES}  # type: ignore[attr-defined]
    assert {"safety-check", "trust-destroyers", "repair-readiness"} <= quizzes
    assert len(CASES) >= 20


def top_heading(bands: list[engine.Band]) -> str:
    return max(bands, key=lambda band: band["max"])["heading"]


def assert_no_score_anywhere(
    spec: engine.Spec, answers: dict[str, int], result: engine.Result, html: str
) -> None:
    """No figure, bar or band in the whole result: every score shows its if_critical text or is set aside."""
    assert result["danger"] is True
    summaries = [result["overall"], *result["subscales"]] if result["overall"] else []
    assert summaries, "a complete form gives scores"
    assert {summary["band"]["state"] for summary in summaries} <= {"critical", "set_aside"}
    assert "bb-bar" not in html
    assert "bb-score__value" not in html
    assert not re.search(r"\d+ out of 100", html)
    for bands in [spec["overall"]["bands"], *(sub["bands"] for sub in spec["subscales"])]:
        assert f'<span class="bb-score__band">{top_heading(bands)}</span>' not in html
    assert result["focus_areas"] == []
    # An extension beside danger only points to help: what it returns itself, before the engine's filter.
    interpret = engine._load_extension(spec)
    if interpret is not None:
        texts = [(spec["extension"] or {}).get("texts", {})] if engine._takes_texts(interpret) else []
        notes = interpret(result, dict(answers), *texts)
        assert all(note.get("help_link") for note in notes), notes


def pattern_cases() -> list[object]:
    """Each pattern met exactly: ``count`` of its items at the threshold, the rest at their safest."""
    cases = []
    for quiz_id, spec in QUIZZES.items():
        scopes = [(sub["id"], sub.get("critical")) for sub in spec["subscales"]]
        scopes.append(("overall", spec["overall"].get("critical")))
        for scope, rule in scopes:
            if rule:
                cases.append(pytest.param(quiz_id, scope, id=f"{quiz_id}-{scope}-pattern"))
    return cases


PATTERNS = pattern_cases()


def test_the_safety_check_counts_control_as_a_pattern() -> None:
    """Coercive control is caught as a pattern of answers, not only by single items."""
    assert any(case.values[0] == "safety-check" for case in PATTERNS)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("quiz_id", "scope"), PATTERNS)
def test_a_pattern_met_puts_danger_first(quiz_id: str, scope: str) -> None:
    """A pattern met with no single critical answer opens the result with help and shows no score anywhere."""
    spec = render.browser_spec(QUIZZES[quiz_id], href, HELP_HREF)
    rule = (
        spec["overall"]["critical"]
        if scope == "overall"
        else next(sub["critical"] for sub in spec["subscales"] if sub["id"] == scope)
    )
    assert rule is not None
    threshold = {key: value for key, value in rule.items() if key != "count"}
    answers = {item["id"]: safest(spec, item) for item in spec["items"]}
    counted = [item for item in spec["items"] if scope in ("overall", item["subscale"])]
    hits = 0
    for item in counted:
        values = [point["value"] for point in spec["scales"][item["scale"]]["points"]]
        # The least alarming answer that still counts towards the pattern and is not critical alone.
        counting = [
            v
            for v in values
            if engine.is_critical({"critical": threshold}, v) and not engine.is_critical(item, v)
        ]
        if counting and hits < rule["count"]:
            answers[item["id"]] = min(counting, key=lambda v: abs(v - answers[item["id"]]))
            hits += 1
    assert hits == rule["count"], "the pattern can be met without a single critical answer"
    result = engine.score(spec, answers)
    html = engine.render_result_html(result, spec)
    assert result["critical"] == []
    assert scope in [pattern["id"] for pattern in result["patterns"]]
    links = re.findall(r'<a href="([^"]*)"', html)
    assert links[0] == HELP_HREF
    assert [link for link in links if COUPLES_WORK.search(link)] == []
    assert_no_score_anywhere(spec, answers, result, html)
    # One answer fewer is no pattern.
    last = next(item for item in reversed(counted) if answers[item["id"]] != safest(spec, item))
    assert engine.score(spec, {**answers, last["id"]: safest(spec, last)})["patterns"] == []


@pytest.mark.parametrize(("quiz_id", "item_id", "value"), CASES)
def test_one_critical_answer_puts_danger_first(quiz_id: str, item_id: str, value: int) -> None:
    """The alert opens the result, its first link is help, no top band shows, no couples work is offered."""
    spec = render.browser_spec(QUIZZES[quiz_id], href, HELP_HREF)
    answers = {item["id"]: safest(spec, item) for item in spec["items"]}
    answers[item_id] = value
    result = engine.score(spec, answers)
    html = engine.render_result_html(result, spec)

    assert html.index("bb-result__alert") < html.index("bb-result__title")
    links = re.findall(r'<a href="([^"]*)"', html)
    assert links[0] == HELP_HREF
    assert [link for link in links if COUPLES_WORK.search(link)] == []

    assert_no_score_anywhere(spec, answers, result, html)


@pytest.mark.parametrize("quiz_id", sorted(QUIZZES))
def test_safest_answers_raise_no_alert(quiz_id: str) -> None:
    """The baseline of the table is calm: every item at its safest gives no alert and no help link."""
    spec = render.browser_spec(QUIZZES[quiz_id], href, HELP_HREF)
    result = engine.score(spec, {item["id"]: safest(spec, item) for item in spec["items"]})
    assert result["critical"] == []
    assert "bb-result__alert" not in engine.render_result_html(result, spec)
