"""The scoring engine: keyed scores, percents, bands, flags, HTML and the JSON entry point."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brickbybrick import render
from brickbybrick.engine import (
    EngineError,
    Spec,
    item_score,
    percent,
    render_result_html,
    score,
    score_json,
)
from brickbybrick.helpfile import load_help
from brickbybrick.quizfile import english_messages, load_quiz

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HOSTILE = '<script>alert(1)</script> " onmouseover="alert(1)'


MESSAGES = english_messages()
CRIT = MESSAGES["result.if_critical.heading"]
SET = MESSAGES["result.set_aside.heading"]
DEFAULT_IF_CRITICAL = {"heading": CRIT, "feedback_html": f"<p>{MESSAGES['result.if_critical.text']}</p>"}
SET_ASIDE = {"heading": SET, "feedback_html": f"<p>{MESSAGES['result.set_aside.text']}</p>"}
PROPERTIES = settings(max_examples=200, deadline=None, database=None)


HELP = load_help(FIXTURES / "help.yml")


def browser_spec(path: Path) -> Spec:
    """Load a quiz file with the fixture help data and give it hrefs, as the page does."""
    return render.browser_spec(load_quiz(path, help_data=HELP), lambda page: f"/{page}", "/help.md")


SAMPLE = browser_spec(FIXTURES / "quizzes" / "sample.yml")


def make_spec(
    items: Iterable[Mapping[str, Any]],
    *,
    scales: Mapping[str, Iterable[int]] | None = None,
    bands: Iterable[tuple[int, int]] = ((0, 49), (50, 100)),
    recommendations: Iterable[Mapping[str, Any]] = (),
    quiz_id: str = "demo",
    title: str = "Demo quiz",
) -> dict[str, Any]:
    """Build an engine spec directly: items need ``id`` and ``subscale``; the rest defaults."""
    scales = scales if scales is not None else {"five": range(5)}
    band_list = [
        {"min": low, "max": high, "heading": f"{low}-{high}", "feedback_html": f"<p>{low} to {high}</p>"}
        for low, high in bands
    ]
    full_items = [
        {
            "text": f"Item {item['id']}",
            "scale": next(iter(scales)),
            "reverse": False,
            "critical": None,
            **item,
        }
        for item in items
    ]
    subscale_ids = list(dict.fromkeys(item["subscale"] for item in full_items))
    return {
        "id": quiz_id,
        "title": title,
        "intro_html": "",
        "scales": {
            name: {"points": [{"value": value, "label": f"Point {value}"} for value in values]}
            for name, values in scales.items()
        },
        "subscales": [
            {"id": sub, "label": sub.title(), "bands": band_list, "if_critical": None, "focus": True}
            for sub in subscale_ids
        ],
        "items": full_items,
        "overall": {"label": "Overall", "bands": band_list, "if_critical": None},
        "recommendations": [
            {"below": None, "critical": "hide", "page": "x.md", "href": "x/", **rec}
            for rec in recommendations
        ],
        "help": None,
        "extension": None,
        "messages": english_messages(),
    }


def sample_answers(c1: object, c2: object, s1: object, s2: object) -> dict[str, object]:
    return {"c1": c1, "c2": c2, "s1": s1, "s2": s2}


def by_id(result: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {sub["id"]: sub for sub in result["subscales"]}


# --------------------------------------------------------------------------- item_score and percent


@pytest.mark.parametrize(
    ("values", "reverse", "answer", "expected"),
    [
        (range(5), False, 0, 0),
        (range(5), False, 3, 3),
        (range(5), True, 0, 4),
        (range(5), True, 1, 3),
        (range(5), True, 2, 2),
        (range(5), True, 4, 0),
        (range(1, 6), True, 2, 4),
        (range(1, 6), False, 2, 2),
        ([-2, 0, 2], True, -2, 2),
    ],
)
def test_item_score(values: Iterable[int], reverse: bool, answer: int, expected: int) -> None:
    """An item scores its answer, mirrored as ``low + high - value`` when reverse-keyed."""
    spec = make_spec([{"id": "q", "subscale": "a", "reverse": reverse}], scales={"s": values})
    assert item_score(spec, spec["items"][0], answer) == expected


@pytest.mark.parametrize(
    ("raw", "low", "high", "expected"),
    [
        (0, 0, 4, 0),
        (4, 0, 4, 100),
        (2, 0, 4, 50),
        (1, 0, 8, 13),  # 12.5 rounds up
        (3, 0, 8, 38),  # 37.5 rounds up
        (5, 0, 8, 63),  # 62.5 rounds up
        (1, 0, 3, 33),  # 33.3 rounds down
        (2, 0, 3, 67),  # 66.7 rounds up
        (1, 0, 200, 1),  # 0.5 rounds up
        (1, 0, 400, 0),  # 0.25 rounds down
        (399, 0, 400, 100),  # 99.75 rounds up
        (3, 2, 6, 25),
        (-2, -4, 4, 25),
        (5, 5, 5, 100),  # equal bounds
    ],
)
def test_percent(raw: int, low: int, high: int, expected: int) -> None:
    """A percent is where raw sits between low and high, 0..100, rounded half up."""
    assert percent(raw, low, high) == expected


# --------------------------------------------------------------------------- score: complete answers


@pytest.mark.parametrize(
    ("answers", "calm", "safe", "overall"),
    [
        # (raw, percent, band heading) for calm, safe and overall; c2 and s2 are reverse-keyed.
        # s2 >= 2 and s1 == 0 are critical: then "safe" and the overall show their if_critical
        # text and "calm" is set aside: no score of the quiz shows a band.
        (sample_answers(4, 4, 4, 4), (4, 50, SET), (4, 50, CRIT), (8, 50, CRIT)),
        (sample_answers(4, 0, 4, 0), (8, 100, "High"), (8, 100, "High"), (16, 100, "High")),
        (sample_answers(0, 4, 0, 4), (0, 0, SET), (0, 0, CRIT), (0, 0, CRIT)),
        (sample_answers(3, 1, 2, 1), (6, 75, "High"), (5, 63, "Middle"), (11, 69, "Middle")),
        (sample_answers(1, 3, 2, 2), (2, 25, SET), (4, 50, CRIT), (6, 38, CRIT)),
        (sample_answers(1, 3, 1, 1), (2, 25, "Low"), (4, 50, "Middle"), (6, 38, "Low")),
    ],
)
def test_score_subscales_and_overall(
    answers: dict[str, object],
    calm: tuple[int, int, str],
    safe: tuple[int, int, str],
    overall: tuple[int, int, str],
) -> None:
    """A complete form scores each subscale and the whole quiz with raw, min, max, percent and band."""
    result = score(SAMPLE, answers)
    assert result["complete"] is True
    assert result["missing"] == []
    subscales = by_id(result)
    assert list(subscales) == ["calm", "safe"]
    for summary, (raw, pct, heading), high in (
        (subscales["calm"], calm, 8),
        (subscales["safe"], safe, 8),
        (result["overall"], overall, 16),
    ):
        assert (summary["raw"], summary["min"], summary["max"], summary["percent"]) == (raw, 0, high, pct)
        assert summary["band"]["heading"] == heading
    assert subscales["calm"]["label"] == "Calm"
    assert result["overall"]["label"] == "Overall"


def test_band_carries_rendered_feedback() -> None:
    """The chosen band brings its heading and its feedback HTML."""
    result = score(SAMPLE, sample_answers(4, 0, 4, 0))
    assert result["overall"]["band"] == {
        "heading": "High",
        "feedback_html": "<p>High <strong>feedback</strong>.</p>",
        "state": "band",
    }


@pytest.mark.parametrize(
    ("answers", "texts"),
    [
        (sample_answers(3, 1, 2, 1), ["Always shown"]),  # calm 75: not below 70
        (sample_answers(1, 3, 4, 1), ["Read about calm", "Always shown"]),  # calm 25
        (sample_answers(4, 0, 4, 0), ["Always shown"]),  # calm 100
    ],
)
def test_score_recommendations_filtered_by_below(answers: dict[str, object], texts: list[str]) -> None:
    """With no critical answer, a recommendation shows when its subscale is below its threshold, or always without one."""
    result = score(SAMPLE, answers)
    assert [rec["text"] for rec in result["recommendations"]] == texts
    assert result["recommendations"][-1] == {"text": "Always shown", "href": "/help.md#get-help"}


@pytest.mark.parametrize(
    ("answer", "shown"),
    [(0, True), (1, True), (2, False), (4, False)],  # overall percent 0, 25, 50, 100 against below 50
)
def test_overall_recommendation_threshold_is_strict(answer: int, shown: bool) -> None:
    """An ``overall`` recommendation with ``below: 50`` shows under 50% and not at 50%."""
    spec = make_spec(
        [{"id": "q", "subscale": "a"}],
        recommendations=[{"subscale": "overall", "below": 50, "text": "Go on", "href": "on/"}],
    )
    assert bool(score(spec, {"q": answer})["recommendations"]) is shown


@pytest.mark.parametrize(
    ("answers", "critical_ids"),
    [
        (sample_answers(2, 2, 0, 0), ["s1"]),  # s1 at_or_below 0
        (sample_answers(2, 2, 1, 1), []),
        (sample_answers(2, 2, 1, 2), ["s2"]),  # s2 at_or_above 2, judged on the raw answer
        (sample_answers(2, 2, 0, 4), ["s1", "s2"]),
    ],
)
def test_score_flags_critical_answers(answers: dict[str, object], critical_ids: list[str]) -> None:
    """Answers at or beyond an item's critical threshold are flagged with number and text."""
    result = score(SAMPLE, answers)
    assert [flag["id"] for flag in result["critical"]] == critical_ids
    numbers = {"s1": 3, "s2": 4}
    assert [flag["number"] for flag in result["critical"]] == [numbers[i] for i in critical_ids]


def test_critical_flagged_when_incomplete() -> None:
    """A critical answer is flagged even when the rest of the form is unanswered."""
    result = score(SAMPLE, {"s2": 3})
    assert result["complete"] is False
    assert result["critical"] == [{"id": "s2", "number": 4, "text": "I am afraid of my partner."}]


# --------------------------------------------------------------------------- score: incomplete answers


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        ({}, [("c1", 1), ("c2", 2), ("s1", 3), ("s2", 4)]),
        ({"c1": 4, "c2": 0, "s1": 4}, [("s2", 4)]),
        (sample_answers(4, "", 4, None), [("c2", 2), ("s2", 4)]),
        ({"c2": "0", "s1": 4, "unknown": 3}, [("c1", 1), ("s2", 4)]),
    ],
)
def test_incomplete_answers_are_listed_not_scored(
    answers: dict[str, object], missing: list[tuple[str, int]]
) -> None:
    """Unanswered items are listed with their numbers, and an incomplete form has no scores."""
    result = score(SAMPLE, answers)
    assert result["complete"] is False
    assert [(item["id"], item["number"]) for item in result["missing"]] == missing
    assert result["overall"] is None
    assert result["subscales"] == []
    assert result["recommendations"] == []
    assert result["notes"] == []


def test_unanswered_item_is_not_counted_as_zero() -> None:
    """Leaving an item blank gives no score, where answering 0 gives one."""
    blank = score(SAMPLE, sample_answers(4, 0, 4, ""))
    zero = score(SAMPLE, sample_answers(4, 0, 4, 0))
    assert blank["overall"] is None
    assert zero["overall"]["raw"] == 16


def test_string_answers_are_accepted() -> None:
    """Answers given as strings, as a form sends them, score like the same integers."""
    assert score(SAMPLE, sample_answers("3", "1", "2", "1")) == score(SAMPLE, sample_answers(3, 1, 2, 1))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("9", "answer to 'c1' is 9, expected one of [0, 1, 2, 3, 4]"),
        (-1, "answer to 'c1' is -1, expected one of [0, 1, 2, 3, 4]"),
        ("x", "answer to 'c1' is not a number: 'x'"),
        ("2.0", "answer to 'c1' is not a number: '2.0'"),
        ([2], "answer to 'c1' is not a whole number: [2]"),
    ],
)
def test_invalid_answer_raises(value: object, message: str) -> None:
    """An answer that is not a value of the item's scale raises EngineError naming the item."""
    with pytest.raises(EngineError) as caught:
        score(SAMPLE, sample_answers(value, 0, 0, 0))
    assert str(caught.value) == message


def test_fractional_answer_raises() -> None:
    """A fractional answer such as 2.5 is not a scale value and raises EngineError."""
    with pytest.raises(EngineError):
        score(SAMPLE, sample_answers(2.5, 0, 0, 0))


# --------------------------------------------------------------------------- extension


def test_extension_note_is_added() -> None:
    """An extension's interpret() adds its note, computed from a subscale percent."""
    spec = browser_spec(FIXTURES / "extension" / "ext-demo.yml")
    high = score(spec, {"q1": 3, "q2": 1})
    low = score(spec, {"q1": 1, "q2": 3})
    assert high["notes"] == [
        {"heading": "Calm & you", "text": "Calm is at 100 out of 100: <keep it up>.", "help_link": False}
    ]
    assert low["notes"] == [
        {"heading": "Calm & you", "text": "Calm is at 0 out of 100: <take it slowly>.", "help_link": False}
    ]


def test_extension_note_is_rendered_escaped() -> None:
    """An extension's note appears in the result HTML with its markup escaped."""
    spec = browser_spec(FIXTURES / "extension" / "ext-demo.yml")
    html = render_result_html(score(spec, {"q1": 3, "q2": 1}), spec)
    assert '<div class="bb-result__note"><h4>Calm &amp; you</h4>' in html
    assert "<p>Calm is at 100 out of 100: &lt;keep it up&gt;.</p>" in html
    assert "<keep" not in html


def test_extension_is_not_run_when_incomplete() -> None:
    """An incomplete form gets no extension notes."""
    spec = browser_spec(FIXTURES / "extension" / "ext-demo.yml")
    assert score(spec, {"q1": 3})["notes"] == []


# --------------------------------------------------------------------------- render_result_html


def hostile_spec() -> dict[str, Any]:
    spec = make_spec(
        [{"id": "q1", "subscale": "a", "text": f"Item {HOSTILE}"}, {"id": "q2", "subscale": "a"}],
        recommendations=[{"subscale": "overall", "text": f"Rec {HOSTILE}", "href": f'x.html"{HOSTILE}'}],
        title=f"Title {HOSTILE}",
    )
    spec["subscales"][0]["label"] = f"Label {HOSTILE}"
    spec["overall"]["label"] = f"Overall {HOSTILE}"
    return spec


def test_result_html_escapes_complete_result() -> None:
    """Titles, labels and recommendation text and href from the quiz are escaped."""
    html = render_result_html(score(hostile := hostile_spec(), {"q1": 1, "q2": 1}), hostile)
    assert "<script" not in html
    assert '" onmouseover' not in html
    assert (
        "Your results: Title &lt;script&gt;alert(1)&lt;/script&gt; &quot; onmouseover=&quot;alert(1)</h3>"
        in html
    )
    assert "Label &lt;script&gt;" in html
    assert "Overall &lt;script&gt;" in html
    assert (
        '<a href="x.html&quot;&lt;script&gt;alert(1)&lt;/script&gt; &quot; onmouseover=&quot;alert(1)">'
        in html
    )
    assert "Rec &lt;script&gt;alert(1)&lt;/script&gt; &quot; onmouseover=&quot;alert(1)</a>" in html


def test_result_html_escapes_missing_items() -> None:
    """Unanswered item texts are escaped in the list of missing questions."""
    html = render_result_html(score(hostile := hostile_spec(), {"q2": 1}), hostile)
    assert "<script" not in html
    assert '" onmouseover' not in html
    assert (
        "Question 1: Item &lt;script&gt;alert(1)&lt;/script&gt; &quot; onmouseover=&quot;alert(1)</a>" in html
    )


def test_result_html_lists_missing_with_links() -> None:
    """An incomplete result links each unanswered question to its fieldset and shows no scores."""
    html = render_result_html(score(SAMPLE, {"c1": 1, "s1": 2}), SAMPLE)
    assert "2 questions are still unanswered." in html
    assert '<li><a href="#bb-sample-c2">Question 2: I worry about how my partner will react.</a></li>' in html
    assert '<li><a href="#bb-sample-s2">Question 4: I am afraid of my partner.</a></li>' in html
    assert "#bb-sample-c1" not in html
    assert "bb-result__overall" not in html


def test_result_html_missing_one_question() -> None:
    """One unanswered question is announced in the singular."""
    html = render_result_html(score(SAMPLE, {"c1": 1, "c2": 1, "s1": 2}), SAMPLE)
    assert "1 question is still unanswered." in html
    assert "Please answer it to see your results" in html


def test_result_html_complete_shows_scores_and_disclaimer() -> None:
    """A complete result shows percents, bands, feedback, next steps and the guide's disclaimer."""
    spec = {**SAMPLE, "messages": {**SAMPLE["messages"], "result.disclaimer": "Not a diagnosis <really>."}}
    html = render_result_html(score(spec, sample_answers(4, 4, 4, 1)), spec)
    assert '<p class="bb-result__disclaimer">Not a diagnosis &lt;really&gt;.</p>' in html
    assert '<span class="bb-score__value">50 out of 100</span>' in html
    assert '<span class="bb-score__band">Middle</span>' in html
    assert '<div class="bb-score__feedback"><p>Middle feedback.</p></div>' in html
    assert '<li><a href="/index.md">Read about calm</a></li>' in html
    assert "still unanswered" not in html


def test_result_html_shows_critical_alert() -> None:
    """A result with a critical answer opens with the alert, whose first element is the help link."""
    html = render_result_html(score(SAMPLE, sample_answers(2, 2, 0, 0)), SAMPLE)
    assert html.startswith(
        '<div class="bb-result" data-quiz-result-for="sample"><div class="bb-result__alert" data-quiz-alert>'
        '<p class="bb-result__help"><a href="/help.md">Where to get help</a></p>'
    )
    assert "Some answers suggest you may not be safe." in html


def test_result_html_without_critical_has_no_alert() -> None:
    """A result with no critical answer shows no safety alert."""
    html = render_result_html(score(SAMPLE, sample_answers(2, 2, 1, 1)), SAMPLE)
    assert "bb-result__alert" not in html


# --------------------------------------------------------------------------- score_json


def test_score_json_ok() -> None:
    """score_json returns the result and its HTML as JSON."""
    answers = sample_answers("3", "1", "2", "1")
    out = json.loads(score_json(json.dumps(SAMPLE), json.dumps(answers)))
    assert out["ok"] is True
    assert out["result"] == score(SAMPLE, answers)
    assert out["html"] == render_result_html(out["result"], SAMPLE)


@pytest.mark.parametrize(
    ("answers_json", "error"),
    [
        (json.dumps(sample_answers("x", 0, 0, 0)), "EngineError: answer to 'c1' is not a number: 'x'"),
        (
            json.dumps(sample_answers(9, 0, 0, 0)),
            "EngineError: answer to 'c1' is 9, expected one of [0, 1, 2, 3, 4]",
        ),
        ("{not json", "JSONDecodeError: "),
    ],
)
def test_score_json_error_is_data(answers_json: str, error: str) -> None:
    """score_json returns an error as ``{"ok": false, "error": ...}`` instead of raising."""
    out = json.loads(score_json(json.dumps(SAMPLE), answers_json))
    assert out["ok"] is False
    assert out["error"].startswith(error)
    assert set(out) == {"ok", "error"}


# --------------------------------------------------------------------------- properties


@st.composite
def quizzes(draw: st.DrawFn) -> dict[str, Any]:
    """Small random quizzes: symmetric scales, 1-3 subscales, 1-6 items, bands covering 0..100."""
    scales: dict[str, list[int]] = {}
    for index in range(draw(st.integers(1, 2))):
        seeds = draw(st.lists(st.integers(-5, 10), min_size=2, max_size=5, unique=True))
        low, high = min(seeds), max(seeds)
        scales[f"scale-{index}"] = sorted(set(seeds) | {low + high - value for value in seeds})
    n_subscales = draw(st.integers(1, 3))
    items = [
        {
            "id": f"q{index}",
            "subscale": f"sub-{index if index < n_subscales else draw(st.integers(0, n_subscales - 1))}",
            "scale": draw(st.sampled_from(sorted(scales))),
            "reverse": draw(st.booleans()),
        }
        for index in range(draw(st.integers(n_subscales, 6)))
    ]
    cuts = sorted(draw(st.sets(st.integers(1, 100), max_size=4)))
    starts = [0, *cuts]
    ends = [cut - 1 for cut in cuts] + [100]
    return make_spec(items, scales=scales, bands=list(zip(starts, ends, strict=True)))


def scale_values(spec: Mapping[str, Any], item: Mapping[str, Any]) -> list[int]:
    return [point["value"] for point in spec["scales"][item["scale"]]["points"]]


@st.composite
def quizzes_with_answers(draw: st.DrawFn, *, complete: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    spec = draw(quizzes())
    answers: dict[str, Any] = {}
    for item in spec["items"]:
        choices = st.sampled_from(scale_values(spec, item))
        answers[item["id"]] = draw(choices if complete else st.one_of(choices, st.just("")))
    return spec, answers


@PROPERTIES
@given(quizzes_with_answers(complete=False))
def test_property_scores_stay_in_bounds(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """For any answers, each percent is in 0..100 and each raw in min..max; blanks leave no score."""
    spec, answers = case
    result = score(spec, answers)
    blanks = [item_id for item_id, value in answers.items() if value == ""]
    assert [item["id"] for item in result["missing"]] == blanks
    if blanks:
        assert result["overall"] is None
        assert result["subscales"] == []
        return
    for summary in [result["overall"], *result["subscales"]]:
        assert 0 <= summary["percent"] <= 100
        assert summary["min"] <= summary["raw"] <= summary["max"]


@PROPERTIES
@given(quizzes_with_answers(complete=True), st.data())
def test_property_reverse_and_mirror_cancel(
    case: tuple[dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    """Flipping one item's reverse flag and mirroring its answer leaves every score unchanged."""
    spec, answers = case
    index = data.draw(st.integers(0, len(spec["items"]) - 1))
    flipped = copy.deepcopy(spec)
    item = flipped["items"][index]
    item["reverse"] = not item["reverse"]
    values = scale_values(spec, item)
    mirrored = {**answers, item["id"]: min(values) + max(values) - answers[item["id"]]}
    before, after = score(spec, answers), score(flipped, mirrored)
    assert after["overall"] == before["overall"]
    assert after["subscales"] == before["subscales"]


@PROPERTIES
@given(quizzes_with_answers(complete=True))
def test_property_one_band_per_subscale(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """Every complete answer set gets exactly one band per subscale: the one holding its percent."""
    spec, answers = case
    result = score(spec, answers)
    assert [sub["id"] for sub in result["subscales"]] == [sub["id"] for sub in spec["subscales"]]
    for summary, subscale in zip(result["subscales"], spec["subscales"], strict=True):
        holding = [band for band in subscale["bands"] if band["min"] <= summary["percent"] <= band["max"]]
        assert len(holding) == 1
        assert summary["band"] == {
            "heading": holding[0]["heading"],
            "feedback_html": holding[0]["feedback_html"],
            "state": "band",
        }


# --------------------------------------------------------------------------- danger comes first


def danger_spec(**overrides: Any) -> Spec:
    """Two subscales, ``risk`` holding a critical item (answer 4), ``calm`` holding none."""
    spec = make_spec(
        [
            {"id": "r1", "subscale": "risk", "critical": {"at_or_above": 4}},
            {"id": "r2", "subscale": "risk"},
            {"id": "c1", "subscale": "calm"},
        ],
        recommendations=[
            {"subscale": "overall", "text": "hide", "critical": "hide"},
            {"subscale": "overall", "text": "only", "critical": "only"},
            {"subscale": "overall", "text": "show", "critical": "show"},
            {"subscale": "overall", "text": "only-below", "critical": "only", "below": 50},
        ],
    )
    spec["subscales"][0]["if_critical"] = {"heading": "Risk first", "feedback_html": "<p>Risk.</p>"}
    spec["subscales"][1]["focus"] = overrides.get("calm_focus", True)
    spec["overall"]["if_critical"] = {"heading": "Safety first", "feedback_html": "<p>Safety.</p>"}
    spec["help"] = {
        "panel": "danger",
        "alert_html": "<p>Alert.</p>",
        "link_text": "Get help",
        "page": "help.md",
    }
    return spec


@pytest.mark.parametrize(
    ("answers", "texts"),
    [
        ({"r1": 4, "r2": 4, "c1": 4}, ["only", "show"]),  # critical, overall 100: only-below hidden by below
        ({"r1": 4, "r2": 0, "c1": 0}, ["only", "show", "only-below"]),  # critical, overall 33
        ({"r1": 3, "r2": 4, "c1": 4}, ["hide", "show"]),  # no critical answer
        ({"r1": 0, "r2": 0, "c1": 0}, ["hide", "show"]),
    ],
)
def test_recommendation_critical_modes(answers: dict[str, int], texts: list[str]) -> None:
    """``hide`` goes when an answer is critical, ``only`` shows only then, ``show`` either way; ``below`` still applies."""
    assert [rec["text"] for rec in score(danger_spec(), answers)["recommendations"]] == texts


@pytest.mark.parametrize(
    ("answers", "risk", "calm", "overall"),
    [
        ({"r1": 4, "r2": 4, "c1": 4}, "Risk first", SET, "Safety first"),
        ({"r1": 4, "r2": 0, "c1": 0}, "Risk first", SET, "Safety first"),
        ({"r1": 3, "r2": 4, "c1": 4}, "50-100", "100-100", "50-100"),
    ],
)
def test_critical_answer_replaces_bands_of_its_subscale_and_overall(
    answers: dict[str, int], risk: str, calm: str, overall: str
) -> None:
    """A critical answer replaces the band of its subscale and the overall score; every other score is set aside."""
    spec = danger_spec()
    spec["subscales"][1]["bands"] = [
        {"min": 0, "max": 49, "heading": "0-49", "feedback_html": ""},
        {"min": 50, "max": 99, "heading": "50-99", "feedback_html": ""},
        {"min": 100, "max": 100, "heading": "100-100", "feedback_html": ""},
    ]
    result = score(spec, answers)
    subscales = by_id(result)
    assert subscales["risk"]["band"]["heading"] == risk
    assert subscales["calm"]["band"]["heading"] == calm
    assert result["overall"]["band"]["heading"] == overall
    assert subscales["risk"]["band"]["state"] == ("critical" if risk == "Risk first" else "band")
    assert subscales["calm"]["band"]["state"] == ("set_aside" if risk == "Risk first" else "band")


def test_critical_without_replacement_text_shows_neutral_default() -> None:
    """A quiz that declares no ``if_critical`` still never shows a band beside a critical answer."""
    result = score(SAMPLE, sample_answers(4, 0, 4, 4))  # s2 = 4 is critical, every score at its top
    assert by_id(result)["safe"]["band"] == {**DEFAULT_IF_CRITICAL, "state": "critical"}
    assert result["overall"]["band"] == {**DEFAULT_IF_CRITICAL, "state": "critical"}
    assert by_id(result)["calm"]["band"] == {**SET_ASIDE, "state": "set_aside"}


@pytest.mark.parametrize(
    ("answers", "calm_focus", "labels"),
    [
        ({"r1": 3, "r2": 1, "c1": 1}, True, ["Risk", "Calm"]),
        ({"r1": 3, "r2": 1, "c1": 1}, False, ["Risk"]),
        ({"r1": 4, "r2": 1, "c1": 1}, True, []),  # a critical answer: no focus area from this quiz
    ],
)
def test_focus_areas_never_come_from_danger(
    answers: dict[str, int], calm_focus: bool, labels: list[str]
) -> None:
    """Worksheet focus areas skip subscales marked ``focus: false`` and every quiz with a critical answer."""
    result = score(danger_spec(calm_focus=calm_focus), answers)
    assert [area["label"] for area in result["focus_areas"]] == labels


def test_alert_comes_first_with_help_link_first_even_when_incomplete() -> None:
    """A critical answer on an unfinished form still opens the result with the help link."""
    spec = danger_spec()
    spec["help"] = {**spec["help"], "href": "../help/"}
    html = render_result_html(score(spec, {"r1": 4}), spec)
    assert html.index("bb-result__alert") < html.index("bb-result__missing")
    assert html.index('<a href="../help/">Get help</a>') == html.index("<a ")


def test_extension_note_can_link_to_help() -> None:
    """A note with ``help_link`` ends with the link to the help page (when a critical answer shows help)."""
    spec = danger_spec()
    result = score(spec, {"r1": 4, "r2": 0, "c1": 0})
    result["notes"] = [{"heading": "H", "text": "Talk to someone.", "help_link": True}]
    assert '<p>Talk to someone. <a href="help.md">Get help</a></p>' in render_result_html(result, spec)


@PROPERTIES
@given(quizzes_with_answers(complete=True), st.data())
def test_property_no_band_beside_a_critical_answer(
    case: tuple[dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    """Whatever the scores, once an item is answered critically no score of the quiz shows a band, figure or bar."""
    spec, answers = case
    item = data.draw(st.sampled_from(spec["items"]))
    item["critical"] = {"at_or_above": answers[item["id"]]}
    result = score(spec, answers)
    assert result["danger"] is True
    assert result["overall"]["band"]["state"] == "critical"
    assert by_id(result)[item["subscale"]]["band"]["state"] == "critical"
    assert {sub["band"]["state"] for sub in result["subscales"]} <= {"critical", "set_aside"}
    assert result["focus_areas"] == []
    html = render_result_html(result, spec)
    assert "bb-bar" not in html
    assert "bb-score__value" not in html


@pytest.mark.parametrize("raised", ["SystemExit(2)", "KeyError('x')", "RecursionError()"])
def test_score_json_returns_an_extension_crash_as_data(raised: str) -> None:
    """Whatever an extension raises, SystemExit included, the worker gets an error reply, not a dead scorer."""
    spec = make_spec([{"id": "q", "subscale": "a"}])
    spec["extension"] = {
        "filename": "crash.py",
        "source": f"def interpret(result, answers):\n    raise {raised}\n",
    }
    out = json.loads(score_json(json.dumps(spec), json.dumps({"q": 1})))
    assert out["ok"] is False
    assert out["error"].split(":")[0] == raised.split("(")[0]


# --------------------------------------------------------------------------- patterns


def pattern_spec(rule: dict[str, int], *, on: str = "control") -> Spec:
    """Four ``control`` items with no threshold of their own, one ``calm`` item; ``rule`` on ``on``."""
    spec = danger_spec()
    spec["items"] = [
        {
            "id": f"k{n}",
            "text": f"Control {n}",
            "scale": "five",
            "subscale": "control",
            "reverse": True,
            "critical": None,
        }
        for n in range(1, 5)
    ] + [
        {"id": "c1", "text": "Calm", "scale": "five", "subscale": "calm", "reverse": False, "critical": None}
    ]
    spec["subscales"] = [
        {**spec["subscales"][0], "id": "control", "label": "Control"},
        {**spec["subscales"][1]},
    ]
    if on == "overall":
        spec["overall"]["critical"] = rule  # type: ignore[typeddict-unknown-key]
    else:
        spec["subscales"][0]["critical"] = rule  # type: ignore[typeddict-unknown-key]
    return spec


@pytest.mark.parametrize(
    ("rule", "answers", "met"),
    [
        ({"count": 3, "at_or_above": 2}, [2, 2, 2, 0], True),  # three at "a few times": the pattern
        ({"count": 3, "at_or_above": 2}, [2, 2, 1, 4], True),  # the fourth at 4 counts too
        ({"count": 3, "at_or_above": 2}, [2, 2, 1, 1], False),  # two are not a pattern
        ({"count": 3, "at_or_above": 2}, [2, 2, None, None], False),  # blanks never count
        ({"count": 2, "at_or_below": 1}, [1, 0, 4, 4], True),
        ({"count": 2, "at_or_below": 1}, [1, 2, 4, 4], False),
    ],
)
def test_pattern_met_counts_raw_answers(rule: dict[str, int], answers: list[int | None], met: bool) -> None:
    """A pattern is met when ``count`` of its items are answered at or beyond the threshold, judged raw."""
    spec = pattern_spec(rule)
    given = {f"k{n}": value for n, value in enumerate(answers, start=1) if value is not None}
    result = score(spec, {**given, "c1": 4})
    assert result["danger"] is met
    assert result["patterns"] == ([{"id": "control", "label": "Control"}] if met else [])
    assert result["critical"] == []  # no single answer is critical


def test_pattern_puts_danger_first_in_the_whole_result() -> None:
    """A met pattern opens the result with help, shows its ``if_critical`` text and no figure anywhere."""
    spec = pattern_spec({"count": 3, "at_or_above": 2})
    spec["help"] = {**spec["help"], "href": "../help/"}
    result = score(spec, {"k1": 2, "k2": 3, "k3": 2, "k4": 0, "c1": 4})
    assert by_id(result)["control"]["band"]["heading"] == "Risk first"
    assert by_id(result)["calm"]["band"]["state"] == "set_aside"
    assert result["overall"]["band"]["heading"] == "Safety first"
    assert result["help"] == {"text": "Get help", "href": "../help/"}
    assert result["focus_areas"] == []
    assert [rec["text"] for rec in result["recommendations"]] == ["only", "show"]  # overall 65: not below 50
    html = render_result_html(result, spec)
    assert html.index('<a href="../help/">Get help</a>') == html.index("<a ")
    assert "bb-bar" not in html
    assert "out of 100" not in html


def test_overall_pattern_counts_every_item() -> None:
    """A pattern on ``overall`` counts items of every subscale."""
    spec = pattern_spec({"count": 2, "at_or_above": 4}, on="overall")
    assert score(spec, {"k1": 4, "k2": 0, "k3": 0, "k4": 0, "c1": 4})["patterns"] == [
        {"id": "overall", "label": "Overall"}
    ]
    assert score(spec, {"k1": 4, "k2": 0, "k3": 0, "k4": 0, "c1": 3})["danger"] is False


@pytest.mark.parametrize("help_link", [True, False])
def test_extension_notes_beside_danger_must_point_to_help(help_link: bool) -> None:
    """Beside a critical answer only an extension's notes that link to help are kept; without danger, all are."""
    spec = danger_spec()
    spec["extension"] = {
        "filename": "advice.py",
        "source": (
            "def interpret(result, answers):\n"
            f"    return [{{'heading': 'Talk at a calm moment', 'text': 'Talk it over.', 'help_link': {help_link}}}]\n"
        ),
    }
    calm = score(spec, {"r1": 0, "r2": 0, "c1": 0})
    danger = score(spec, {"r1": 4, "r2": 0, "c1": 0})
    assert [note["heading"] for note in calm["notes"]] == ["Talk at a calm moment"]
    assert [note["heading"] for note in danger["notes"]] == (["Talk at a calm moment"] if help_link else [])


def test_every_score_is_a_heading_under_the_result_heading() -> None:
    """A screen reader can skim a result: its title is an h3, each score's label an h4 below it."""
    html = render_result_html(score(SAMPLE, sample_answers(4, 0, 4, 0)), SAMPLE)
    assert '<h3 class="bb-result__title" tabindex="-1">' in html
    labels = html.split('<h4 class="bb-score__label">')[1:]
    assert [label.split("</h4>")[0] for label in labels] == ["Overall", "Calm", "Safe"]
    assert html.index("bb-result__title") < html.index('<h4 class="bb-score__label">')
