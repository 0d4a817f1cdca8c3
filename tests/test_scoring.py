"""Scoring like the paper (issue 12): raw totals, means, published cut-offs, single scores, missing answers.

The published key checked here is the Rosenberg Self-Esteem Scale's:

    Rosenberg, M. (1965). *Society and the adolescent self-image.* Princeton University Press.
    Scoring as distributed with the scale by the Morris Rosenberg Foundation (University of
    Maryland, Department of Sociology, "Using the Rosenberg Self-Esteem Scale"): 10 items,
    Strongly agree = 3, Agree = 2, Disagree = 1, Strongly disagree = 0; items 2, 5, 6, 8 and 9
    are reverse scored (SA = 0 ... SD = 3); the score is the sum of the 10 items, 0-30.
    Commonly cited cut-offs, e.g. New Scientist, "Test your self-esteem" (1 May 2012,
    https://www.newscientist.com/article/self-esteem/): "The scale ranges from 0-30. Scores
    between 15 and 25 are within normal range; scores below 15 suggest low self-esteem."

The fixture ``fixtures/scoring/self-esteem.yml`` follows that key with placeholder statements
(not the scale's wording); the expected totals below were worked out by hand from the key.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from brickbybrick import render
from brickbybrick.engine import (
    DEFAULT_SCORING,
    EngineError,
    Spec,
    render_result_html,
    score,
    score_json,
)
from brickbybrick.helpfile import load_help
from brickbybrick.quizfile import english_messages, load_quiz

MESSAGES = english_messages()

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HELP = load_help(FIXTURES / "help.yml")
PROPERTIES = settings(max_examples=200, deadline=None, database=None)


def browser_spec(path: Path) -> Spec:
    return render.browser_spec(load_quiz(path, help_data=HELP), lambda page: f"/{page}", "/help.md")


ROSENBERG = browser_spec(FIXTURES / "scoring" / "self-esteem.yml")
TRUST = browser_spec(FIXTURES / "scoring" / "trust-means.yml")

# --------------------------------------------------------------------------- the published key

#: The published key's points for an answer, before reverse scoring.
POINTS = {"SA": 3, "A": 2, "D": 1, "SD": 0}
#: Items the key reverse-scores (1-based).
REVERSED = {2, 5, 6, 8, 9}


def rosenberg_answers(sheet: str) -> dict[str, int]:
    """Answers as a person ticks them ("SA A D SD ..." for items 1-10) -> the form's values."""
    marks = sheet.split()
    assert len(marks) == 10
    return {f"q{number}": POINTS[mark] for number, mark in enumerate(marks, start=1)}


# (the ten ticks for items 1-10, the total worked out by hand from the key, the band by the cut-offs)
ROSENBERG_CASES = [
    # all SA: 3 x 5 positive items + 0 x 5 reversed = 15
    ("SA SA SA SA SA SA SA SA SA SA", 15, "Within the normal range"),
    # all SD: 0 x 5 + 3 x 5 reversed = 15
    ("SD SD SD SD SD SD SD SD SD SD", 15, "Within the normal range"),
    # positives SA, negatives SD: the highest total
    ("SA SD SA SA SD SD SA SD SD SA", 30, "High self-esteem"),
    # positives SD, negatives SA: the lowest total
    ("SD SA SD SD SA SA SD SA SA SD", 0, "Low self-esteem"),
    # A everywhere: 2 x 5 + (3 - 2) x 5 = 15
    ("A A A A A A A A A A", 15, "Within the normal range"),
    # positives A (2), negatives D (reversed: 2): 20
    ("A D A A D D A D D A", 20, "Within the normal range"),
    # positives D (1), negatives A (reversed: 1): 10
    ("D A D D A A D A A D", 10, "Low self-esteem"),
    # 2+1+2+2+1+1+2+1+1+1 = 14: the top of "below 15"
    ("A A A A A A A A A D", 14, "Low self-esteem"),
    # 3+3+3+3+3+3+3+2+2+0 = 25: the top of "15 to 25"
    ("SA SD SA SA SD SD SA D D SD", 25, "Within the normal range"),
    # the same with item 10 at D (1): 26, above 25
    ("SA SD SA SA SD SD SA D D D", 26, "High self-esteem"),
    # 3+0+2+1+2+3+0+1+3+1 = 16
    ("SA SA A D D SD SD A SD D", 16, "Within the normal range"),
]


@pytest.mark.parametrize(("sheet", "total", "band"), ROSENBERG_CASES, ids=[c[0] for c in ROSENBERG_CASES])
def test_rosenberg_total_and_band_match_the_published_key(sheet: str, total: int, band: str) -> None:
    """The raw total, its mean and percent, and the band match the published key and cut-offs."""
    result = score(ROSENBERG, rosenberg_answers(sheet))
    overall = result["overall"]
    assert overall is not None
    assert (overall["raw"], overall["min"], overall["max"]) == (total, 0, 30)
    assert isinstance(overall["raw"], int)
    assert overall["mean"] == round(total / 10, 2)
    assert overall["percent"] == int(Fraction(total * 100, 30) + Fraction(1, 2))
    assert overall["band"]["heading"] == band
    assert result["subscales"] == []
    assert result["prorated"] is False


@pytest.mark.parametrize(("sheet", "total", "band"), ROSENBERG_CASES, ids=[c[0] for c in ROSENBERG_CASES])
def test_rosenberg_result_shows_the_published_total(sheet: str, total: int, band: str) -> None:
    """The page shows the total with its range ("16 (0-30)", en dash), the mean, the band, no "out of 100"."""
    html = render_result_html(score(ROSENBERG, rosenberg_answers(sheet)), ROSENBERG)
    assert f'<span class="bb-score__value">{total} (0–30)</span>' in html
    assert f'<span class="bb-score__value">mean {total / 10:.2f} (0–3)</span>' in html
    assert f'<span class="bb-score__band">{band}</span>' in html
    assert "out of 100" not in html


def test_rosenberg_recommendation_below_a_raw_cut_off() -> None:
    """``below: 15`` is in the quiz's band unit (raw): shown for 14, not for 15."""
    low = score(ROSENBERG, rosenberg_answers("A A A A A A A A A D"))
    normal = score(ROSENBERG, rosenberg_answers("A A A A A A A A A A"))
    assert [rec["text"] for rec in low["recommendations"]] == ["Where to get support"]
    assert normal["recommendations"] == []


def test_single_score_shows_one_score() -> None:
    """A quiz without subscales shows its one score once: no duplicate subscale line."""
    result = score(ROSENBERG, rosenberg_answers("SA SA A D D SD SD A SD D"))
    html = render_result_html(result, ROSENBERG)
    assert result["subscales"] == []
    assert html.count('class="bb-score"') == 1
    assert html.count(">Self-esteem</h4>") == 1
    assert "bb-result__subscales" not in html
    assert result["focus_areas"] == []


# --------------------------------------------------------------------------- missing answers


def test_prorated_within_the_limit() -> None:
    """One blank of ten (missing: 1): the answered items' mean x 10, said so, the skipped item named."""
    answers = rosenberg_answers("SA SA A D D SD SD A SD D")  # 16 in all; item 4 (D, 1 point) left blank
    del answers["q4"]
    result = score(ROSENBERG, answers)
    overall = result["overall"]
    assert result["complete"] is True
    assert result["prorated"] is True
    assert [item["id"] for item in result["missing"]] == ["q4"]
    assert overall is not None
    # 15 points from 9 items: mean 15/9 = 1.666..., raw 15/9 x 10 = 16.666...
    assert (overall["raw"], overall["mean"], overall["prorated"]) == (16.67, 1.67, True)
    assert (overall["items"], overall["answered"]) == (10, 9)
    assert overall["percent"] == 56  # 16.666/30 = 55.6%
    assert overall["band"]["heading"] == "Within the normal range"
    html = render_result_html(result, ROSENBERG)
    assert "You left 1 question unanswered, so your score is prorated:" in html
    assert (
        '<li><a href="#bb-self-esteem-q4">Question 4: Placeholder statement 4 (positively worded).</a></li>'
        in html
    )
    assert '<span class="bb-score__value">16.67 (0–30)</span>' in html
    assert '<span class="bb-score__value">mean 1.67 (0–3)</span>' in html
    assert '<span class="bb-score__prorated">(prorated)</span>' in html
    assert html.index("bb-result__prorated") < html.index("bb-result__overall")


def test_over_the_limit_gives_no_score_and_names_the_missing() -> None:
    """Two blanks with ``missing: 1``: no score, both named, and how many more answers are needed."""
    answers = rosenberg_answers("SA SA A D D SD SD A SD D")
    del answers["q4"], answers["q9"]
    result = score(ROSENBERG, answers)
    assert result["complete"] is False
    assert result["prorated"] is False
    assert result["overall"] is None
    assert [item["number"] for item in result["missing"]] == [4, 9]
    html = render_result_html(result, ROSENBERG)
    assert "2 questions are still unanswered." in html
    assert "Please answer at least 1 of them to see your results:" in html
    assert "Question 9: Placeholder statement 9" in html
    assert "(0–30)" not in html


def test_without_a_scoring_block_any_blank_still_means_no_score() -> None:
    """A quiz without ``scoring`` allows no blank (missing: 0) and shows percents, exactly as before."""
    sample = browser_spec(FIXTURES / "quizzes" / "sample.yml")
    assert sample["scoring"] == DEFAULT_SCORING
    result = score(sample, {"c1": 1, "c2": 1, "s1": 1})
    assert result["complete"] is False
    assert result["overall"] is None
    assert "Please answer it to see your results" in render_result_html(result, sample)


# --------------------------------------------------------------------------- a -3..+3 scale with mean bands


@pytest.mark.parametrize(
    ("answers", "figures"),
    [
        # (overall, predictable, faith) as (mean, percent, band); p2 and f3 are reverse-keyed (-v).
        (
            {"p1": 3, "p2": -3, "p3": 3, "f1": 3, "f2": 3, "f3": -3},
            ((3.0, 100, "Strong"), (3.0, 100, "Strong"), (3.0, 100, "Strong")),
        ),
        (
            {"p1": 0, "p2": 0, "p3": 0, "f1": 0, "f2": 0, "f3": 0},
            ((0.0, 50, "Somewhat"), (0.0, 50, "Somewhat"), (0.0, 50, "Somewhat")),
        ),
        # predictable 1 + 2 + 1 = 4 -> 1.33; faith -1 + 0 - 1 = -2 -> -0.67; overall 2/6 = 0.33
        (
            {"p1": 1, "p2": -2, "p3": 1, "f1": -1, "f2": 0, "f3": 1},
            ((0.33, 56, "Somewhat"), (1.33, 72, "Somewhat"), (-0.67, 39, "Below neutral")),
        ),
        # predictable 2 + 1 + 2 = 5 -> 1.67; faith 1 + 2 + 1 = 4 -> 1.33; overall 9/6 = 1.5 (the cut-off)
        (
            {"p1": 2, "p2": -1, "p3": 2, "f1": 1, "f2": 2, "f3": -1},
            ((1.5, 75, "Strong"), (1.67, 78, "Strong"), (1.33, 72, "Somewhat")),
        ),
    ],
)
def test_minus_three_to_three_scale_with_mean_bands(
    answers: dict[str, int], figures: tuple[tuple[float, int, str], ...]
) -> None:
    """A -3..+3 scale: reverse keying mirrors around 0, means in the scale's own values pick decimal bands."""
    result = score(TRUST, answers)
    summaries = [result["overall"], *result["subscales"]]
    assert [(s["mean"], s["percent"], s["band"]["heading"]) for s in summaries] == list(figures)


def test_negative_ranges_read_with_a_minus_sign() -> None:
    """A mean below zero and a range from -3 are written with the minus sign and "to", never as 0-100."""
    html = render_result_html(score(TRUST, {"p1": -3, "p2": 3, "p3": -3, "f1": -2, "f2": -2, "f3": 2}), TRUST)
    assert '<span class="bb-score__value">mean −3.00 (−3 to 3)</span>' in html
    assert '<span class="bb-score__value">0 out of 100</span>' in html


# --------------------------------------------------------------------------- danger first, extensions


def raw_spec(
    values: Sequence[int],
    n_items: int,
    *,
    show: Sequence[str] = ("raw",),
    bands_on: str = "raw",
    missing: int = 0,
    subscales: bool = True,
    bands: Iterable[tuple[float, float]] | None = None,
) -> dict[str, Any]:
    """A spec built directly: ``n_items`` items on one scale, raw bands split in the middle."""
    low, high = min(values) * n_items, max(values) * n_items
    if bands is None:
        middle = (low + high) // 2
        bands = ((low, middle), (middle + 1, high)) if bands_on == "raw" else ((0, 49), (50, 100))
    band_list = [
        {"min": lo, "max": hi, "heading": f"{lo}..{hi}", "feedback_html": f"<p>{lo} to {hi}</p>"}
        for lo, hi in bands
    ]
    return {
        "id": "raw",
        "title": "Raw quiz",
        "intro_html": "",
        "scales": {"s": {"points": [{"value": value, "label": f"P{value}"} for value in values]}},
        "subscales": (
            [{"id": "all", "label": "All", "bands": band_list, "if_critical": None, "focus": True}]
            if subscales
            else []
        ),
        "items": [
            {
                "id": f"q{index}",
                "text": f"Item {index}",
                "scale": "s",
                "subscale": "all" if subscales else None,
                "reverse": False,
                "critical": None,
            }
            for index in range(n_items)
        ],
        "overall": {"label": "Overall", "bands": band_list, "if_critical": None},
        "recommendations": [],
        "help": None,
        "extension": None,
        "scoring": {"show": list(show), "bands_on": bands_on, "missing": missing},
        "messages": MESSAGES,
    }


def test_critical_answer_hides_every_figure_even_prorated() -> None:
    """Danger first holds with raw figures and prorating: the alert opens, no figure, no band."""
    spec = raw_spec(range(4), 4, show=("raw", "mean", "percent"), missing=1, subscales=False)
    spec["items"][0]["critical"] = {"at_or_above": 3}
    result = score(spec, {"q0": 3, "q1": 3, "q2": 3})  # q3 blank, within the limit
    assert result["complete"] is True
    assert result["overall"]["band"]["state"] == "critical"
    html = render_result_html(result, spec)
    assert html.index("bb-result__alert") < html.index("bb-result__title")
    assert "bb-score__value" not in html
    assert "(0–12)" not in html
    assert "mean 3.00" not in html


def test_extension_receives_raw_mean_and_prorated() -> None:
    """An extension's ``interpret`` gets raw, mean, percent and the prorated flags in its result."""
    spec = raw_spec(range(1, 8), 4, missing=1)
    spec["extension"] = {
        "filename": "figures.py",
        "source": (
            "def interpret(result, answers):\n"
            "    o = result['overall']\n"
            "    s = result['subscales'][0]\n"
            "    text = f\"{o['raw']} {o['mean']} {o['percent']} {result['prorated']} {o['prorated']} {s['raw']}\"\n"
            "    return [{'heading': 'Figures', 'text': text}]\n"
        ),
    }
    # 7 + 6 + 2 = 15 over 3 answered items: mean 5, prorated raw 20 of 4..28
    result = score(spec, {"q0": 7, "q1": 6, "q2": 2})
    assert result["notes"] == [
        {"heading": "Figures", "text": "20.0 5.0 67 True True 20.0", "help_link": False}
    ]
    complete = score(spec, {"q0": 7, "q1": 6, "q2": 2, "q3": 1})
    assert complete["notes"][0]["text"] == "16 4.0 50 False False 16"


def test_a_value_belongs_to_the_band_with_the_greatest_min_at_or_below_it() -> None:
    """Decimal raw bands: a prorated 14.44 is below 14.5 (first band), 14.5 and up is the second."""
    spec = raw_spec(range(4), 10, missing=1, bands=((0, 14.4), (14.5, 30)))
    low = score(spec, {f"q{i}": value for i, value in enumerate([3, 3, 3, 3, 1, 0, 0, 0, 0])})  # 13/9 x 10
    high = score(spec, {f"q{i}": value for i, value in enumerate([3, 3, 3, 3, 3, 0, 0, 0, 0])})  # 15/9 x 10
    assert (low["overall"]["raw"], low["overall"]["band"]["heading"]) == (14.44, "0..14.4")
    assert (high["overall"]["raw"], high["overall"]["band"]["heading"]) == (16.67, "14.5..30")


def test_a_value_below_every_band_is_an_engine_error() -> None:
    """A hand-made spec whose bands start above the lowest score cannot place it: EngineError."""
    spec = raw_spec(range(4), 2, bands=((1, 6),))
    with pytest.raises(EngineError, match="no band covers 0"):
        score(spec, {"q0": 0, "q1": 0})


def test_score_json_carries_the_new_figures() -> None:
    """The worker's JSON has raw, mean and prorated as the Python result does."""
    answers = rosenberg_answers("SA SA A D D SD SD A SD D")
    out = json.loads(score_json(json.dumps(ROSENBERG), json.dumps(answers)))
    assert out["ok"] is True
    assert out["result"] == score(ROSENBERG, answers)
    assert (out["result"]["overall"]["raw"], out["result"]["overall"]["mean"]) == (16, 1.6)


# --------------------------------------------------------------------------- properties


def half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())


def two_decimals(value: Fraction) -> float:
    return half_up(value * 100) / 100


@st.composite
def scale_values(draw: st.DrawFn, *, contiguous: bool) -> list[int]:
    """Whole-value scales: 1..7, -3..+3, 0..3 and the like; or any set of whole values."""
    if contiguous:
        low = draw(st.integers(-5, 5))
        return list(range(low, low + draw(st.integers(1, 8)) + 1))
    return sorted(draw(st.sets(st.integers(-10, 10), min_size=2, max_size=6)))


@st.composite
def scored_quizzes(draw: st.DrawFn, *, contiguous: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """A quiz of 1-3 subscales on 1-2 scales, any figures shown, some items reversed; answers with blanks."""
    scales = {
        f"s{index}": draw(scale_values(contiguous=contiguous)) for index in range(draw(st.integers(1, 2)))
    }
    n_subscales = draw(st.integers(1, 3))
    items = []
    for index in range(draw(st.integers(n_subscales, 8))):
        scale = draw(st.sampled_from(sorted(scales)))
        items.append(
            {
                "id": f"q{index}",
                "text": f"Item {index}",
                "scale": scale,
                "subscale": f"sub{index if index < n_subscales else draw(st.integers(0, n_subscales - 1))}",
                "reverse": draw(st.booleans()),
                "critical": None,
            }
        )
    smallest = min(sum(item["subscale"] == f"sub{k}" for item in items) for k in range(n_subscales))
    percent_bands = [{"min": 0, "max": 49, "heading": "low", "feedback_html": ""}]
    percent_bands.append({"min": 50, "max": 100, "heading": "high", "feedback_html": ""})
    spec = {
        "id": "prop",
        "title": "Property quiz",
        "intro_html": "",
        "scales": {
            name: {"points": [{"value": v, "label": str(v)} for v in values]}
            for name, values in scales.items()
        },
        "subscales": [
            {"id": f"sub{k}", "label": f"Sub {k}", "bands": percent_bands, "if_critical": None, "focus": True}
            for k in range(n_subscales)
        ],
        "items": items,
        "overall": {"label": "Overall", "bands": percent_bands, "if_critical": None},
        "recommendations": [],
        "help": None,
        "extension": None,
        "scoring": {
            "show": [f for f in ("raw", "mean", "percent") if draw(st.booleans())] or ["raw"],
            "bands_on": "percent",
            "missing": draw(st.integers(0, smallest - 1)),
        },
        "messages": MESSAGES,
    }
    answers: dict[str, Any] = {}
    blanks = draw(st.integers(0, spec["scoring"]["missing"]))
    blank_ids = set(draw(st.permutations([item["id"] for item in items]))[:blanks])
    for item in items:
        answers[item["id"]] = "" if item["id"] in blank_ids else draw(st.sampled_from(scales[item["scale"]]))
    return spec, answers


def expected_figures(
    spec: Mapping[str, Any], items: list[Mapping[str, Any]], answers: Mapping[str, Any]
) -> dict[str, Any]:
    """The figures of a score worked out independently, with exact fractions.

    Prorated, the answered items' place in their own range is carried to the whole range:
    on one scale, exactly the answered items' mean x the number of items.
    """
    low = high = answered_low = answered_high = 0
    keyed: list[int] = []
    for item in items:
        values = [point["value"] for point in spec["scales"][item["scale"]]["points"]]
        low, high = low + min(values), high + max(values)
        if answers[item["id"]] != "":
            value = answers[item["id"]]
            keyed.append(min(values) + max(values) - value if item["reverse"] else value)
            answered_low, answered_high = answered_low + min(values), answered_high + max(values)
    n = len(items)
    raw = low + Fraction(sum(keyed) - answered_low, answered_high - answered_low) * (high - low)
    if len({item["scale"] for item in items}) == 1:
        assert raw == Fraction(sum(keyed), len(keyed)) * n  # the answered items' mean x n
    return {
        "raw": int(raw) if len(keyed) == n else two_decimals(raw),
        "min": low,
        "max": high,
        "mean": two_decimals(raw / n),
        "mean_min": two_decimals(Fraction(low, n)),
        "mean_max": two_decimals(Fraction(high, n)),
        "percent": half_up((raw - low) * 100 / (high - low)),
        "items": n,
        "answered": len(keyed),
        "prorated": len(keyed) < n,
    }


@PROPERTIES
@given(scored_quizzes(contiguous=False))
def test_property_raw_mean_and_percent_agree(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """For any whole-value scales and blanks within the limit, raw, mean and percent agree with each other."""
    spec, answers = case
    result = score(spec, answers)
    assert result["complete"] is True
    assert result["prorated"] is any(value == "" for value in answers.values())
    groups = [(result["overall"], spec["items"])] + [
        (sub, [item for item in spec["items"] if item["subscale"] == sub["id"]])
        for sub in result["subscales"]
    ]
    for summary, items in groups:
        expected = expected_figures(spec, items, answers)
        assert {key: summary[key] for key in expected} == expected
        assert summary["min"] <= summary["raw"] <= summary["max"]
        assert summary["mean_min"] <= summary["mean"] <= summary["mean_max"]
        assert abs(summary["raw"] - summary["mean"] * summary["items"]) <= 0.005 * summary["items"] + 0.005
        if not summary["prorated"]:
            assert summary["mean"] == two_decimals(Fraction(summary["raw"], summary["items"]))


@PROPERTIES
@given(scored_quizzes(contiguous=True), st.data())
def test_property_reverse_keying_mirrors_every_figure(
    case: tuple[dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    """Flipping an item's reverse key and mirroring its answer leaves raw, mean and percent unchanged, on any scale."""
    spec, answers = case
    index = data.draw(st.integers(0, len(spec["items"]) - 1))
    flipped = copy.deepcopy(spec)
    item = flipped["items"][index]
    item["reverse"] = not item["reverse"]
    values = [point["value"] for point in spec["scales"][item["scale"]]["points"]]
    answer = answers[item["id"]]
    mirrored = {**answers, item["id"]: "" if answer == "" else min(values) + max(values) - answer}
    before, after = score(spec, answers), score(flipped, mirrored)
    assert after["overall"] == before["overall"]
    assert after["subscales"] == before["subscales"]


@PROPERTIES
@given(scored_quizzes(contiguous=True), st.data())
def test_property_raw_and_mean_cut_offs_pick_the_same_band(
    case: tuple[dict[str, Any], dict[str, Any]], data: st.DataObject
) -> None:
    """A cut-off at raw total c and at mean c / items (exact in two decimals) band every answer alike."""
    spec, answers = case
    assume(all(value != "" for value in answers.values()))
    summary = score(spec, answers)["overall"]
    n, low, high = summary["items"], summary["min"], summary["max"]
    cuts = [c for c in range(low + 1, high + 1) if Fraction(c * 100, n).denominator == 1]
    assume(cuts)
    cut = data.draw(st.sampled_from(cuts))
    raw_bands = [
        {"min": low, "max": cut - 1, "heading": "below", "feedback_html": ""},
        {"min": cut, "max": high, "heading": "at or above", "feedback_html": ""},
    ]
    mean_bands = [
        {
            "min": two_decimals(Fraction(low, n)),
            "max": two_decimals(Fraction(cut, n)) - 0.01,
            "heading": "below",
            "feedback_html": "",
        },
        {
            "min": two_decimals(Fraction(cut, n)),
            "max": two_decimals(Fraction(high, n)),
            "heading": "at or above",
            "feedback_html": "",
        },
    ]
    headings = []
    for unit, bands in (("raw", raw_bands), ("mean", mean_bands)):
        unit_spec = {
            **spec,
            "overall": {**spec["overall"], "bands": bands},
            "scoring": {**spec["scoring"], "bands_on": unit},
        }
        unit_spec["subscales"] = []
        unit_spec["items"] = [{**item, "subscale": None} for item in spec["items"]]
        headings.append(score(unit_spec, answers)["overall"]["band"]["heading"])
    assert headings == ["at or above" if summary["raw"] >= cut else "below"] * 2


@PROPERTIES
@given(scored_quizzes(contiguous=False))
def test_property_words_never_assume_a_hundred(case: tuple[dict[str, Any], dict[str, Any]]) -> None:
    """Only the percent figure says "out of 100"; raw and mean name their own range."""
    spec, answers = case
    html = render_result_html(score(spec, answers), spec)
    assert ("out of 100" in html) is ("percent" in spec["scoring"]["show"])
    assert ('class="bb-score__value">mean ' in html) is ("mean" in spec["scoring"]["show"])
    overall = score(spec, answers)["overall"]
    low, high = (str(bound).replace("-", "−") for bound in (overall["min"], overall["max"]))
    in_words = f"({low} to {high})" if overall["min"] < 0 else f"({low}–{high})"
    assert (in_words in html) is (
        "raw" in spec["scoring"]["show"]
        or (
            "mean" in spec["scoring"]["show"]
            and (overall["mean_min"], overall["mean_max"]) == (overall["min"], overall["max"])
        )
    )
