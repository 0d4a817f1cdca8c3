"""Score a self-assessment: the one scorer, shared by CPython and Pyodide.

Standard library only. The input is a *spec*: the JSON-able form of a validated quiz
file, produced at build time by :func:`brickbybrick.quizfile.load_quiz`. The output is a
JSON-able result and, from it, escaped HTML for the page.

Rules:

* an item's score is its answer's value, or ``low + high - value`` when reverse-keyed, so a
  higher score always means "more of what the subscale measures";
* unanswered items are listed, never counted as zero: an incomplete form has no scores;
* critical answers (at or beyond an item's threshold, judged on the raw answer) are flagged
  whether or not the form is complete;
* a percent is ``(raw - min) / (max - min)``, rounded half up to a whole number, and picks
  the band whose inclusive ``min..max`` range holds it.
"""

from __future__ import annotations

import html
import json
import types
from collections.abc import Callable, Mapping
from typing import Any

__all__ = [
    "EngineError",
    "is_critical",
    "item_score",
    "percent",
    "render_result_html",
    "score",
    "score_json",
]

Spec = Mapping[str, Any]
Result = dict[str, Any]

_extensions: dict[tuple[str, str], Callable[..., Any]] = {}


class EngineError(ValueError):
    """Answers or a spec the engine cannot score, with a message for the author."""


def _scale_bounds(spec: Spec, scale_id: str) -> tuple[int, int]:
    values = [point["value"] for point in spec["scales"][scale_id]["points"]]
    return min(values), max(values)


def item_score(spec: Spec, item: Mapping[str, Any], value: int) -> int:
    """Return the keyed score of one answer: reverse-keyed items are mirrored."""
    low, high = _scale_bounds(spec, item["scale"])
    return low + high - value if item.get("reverse") else value


def percent(raw: int, low: int, high: int) -> int:
    """Return where ``raw`` sits between ``low`` and ``high`` as 0-100, rounded half up."""
    if high <= low:
        return 100
    return (200 * (raw - low) + (high - low)) // (2 * (high - low))


def _band(bands: list[Mapping[str, Any]], pct: int) -> dict[str, Any]:
    for band in bands:
        if band["min"] <= pct <= band["max"]:
            return {"heading": band["heading"], "feedback_html": band["feedback_html"]}
    raise EngineError(f"no band covers {pct}%")


def is_critical(item: Mapping[str, Any], value: int) -> bool:
    """Whether a raw answer is at or beyond the item's critical threshold (suggests danger)."""
    rule = item.get("critical")
    if not rule:
        return False
    if "at_or_above" in rule:
        return bool(value >= rule["at_or_above"])
    return bool(value <= rule["at_or_below"])


def _parse_answers(spec: Spec, answers: Mapping[str, Any]) -> dict[str, int]:
    parsed: dict[str, int] = {}
    for item in spec["items"]:
        raw = answers.get(item["id"])
        if raw is None or raw == "":
            continue
        allowed = {point["value"] for point in spec["scales"][item["scale"]]["points"]}
        if isinstance(raw, bool) or not isinstance(raw, int | str):
            raise EngineError(f"answer to {item['id']!r} is not a whole number: {raw!r}")
        try:
            value = int(raw)
        except ValueError:
            raise EngineError(f"answer to {item['id']!r} is not a number: {raw!r}") from None
        if value not in allowed:
            raise EngineError(f"answer to {item['id']!r} is {value}, expected one of {sorted(allowed)}")
        parsed[item["id"]] = value
    return parsed


def _summary(spec: Spec, items: list[Mapping[str, Any]], answers: dict[str, int]) -> dict[str, Any]:
    low = high = raw = 0
    for item in items:
        scale_low, scale_high = _scale_bounds(spec, item["scale"])
        low += scale_low
        high += scale_high
        raw += item_score(spec, item, answers[item["id"]])
    return {"raw": raw, "min": low, "max": high, "percent": percent(raw, low, high)}


def _load_extension(spec: Spec) -> Callable[..., Any] | None:
    extension = spec.get("extension")
    if not extension:
        return None
    key = (spec["id"], extension["source"])
    if key not in _extensions:
        module = types.ModuleType(f"brickbybrick_extension_{spec['id'].replace('-', '_')}")
        code = compile(extension["source"], extension["filename"], "exec")
        exec(code, module.__dict__)  # noqa: S102 - the site author's own module, shipped like the site's JS
        interpret = getattr(module, "interpret", None)
        if not callable(interpret):
            raise EngineError(f"{extension['filename']}: defines no function interpret(result, answers)")
        _extensions[key] = interpret
    return _extensions[key]


def _extension_notes(spec: Spec, result: Result, answers: dict[str, int]) -> list[dict[str, str]]:
    interpret = _load_extension(spec)
    if interpret is None:
        return []
    notes = interpret(json.loads(json.dumps(result)), dict(answers))
    filename = spec["extension"]["filename"]
    if not isinstance(notes, list):
        raise EngineError(f"{filename}: interpret() must return a list, got {type(notes).__name__}")
    checked = []
    for index, note in enumerate(notes):
        if (
            not isinstance(note, dict)
            or set(note) != {"heading", "text"}
            or not all(isinstance(v, str) for v in note.values())
        ):
            raise EngineError(
                f"{filename}: interpret() note [{index}] must be a dict with str 'heading' and 'text'"
            )
        checked.append({"heading": note["heading"], "text": note["text"]})
    return checked


def score(spec: Spec, answers: Mapping[str, Any]) -> Result:
    """Score ``answers`` (item id -> value, as int or str) against a quiz ``spec``."""
    parsed = _parse_answers(spec, answers)
    numbered = list(enumerate(spec["items"], start=1))
    result: Result = {
        "quiz": spec["id"],
        "title": spec["title"],
        "complete": len(parsed) == len(spec["items"]),
        "missing": [
            {"id": item["id"], "number": n, "text": item["text"]}
            for n, item in numbered
            if item["id"] not in parsed
        ],
        "critical": [
            {"id": item["id"], "number": n, "text": item["text"]}
            for n, item in numbered
            if item["id"] in parsed and is_critical(item, parsed[item["id"]])
        ],
        "overall": None,
        "subscales": [],
        "recommendations": [],
        "notes": [],
    }
    if not result["complete"]:
        return result

    overall = _summary(spec, spec["items"], parsed)
    overall.update(label=spec["overall"]["label"], band=_band(spec["overall"]["bands"], overall["percent"]))
    result["overall"] = overall
    percents = {"overall": overall["percent"]}
    for subscale in spec["subscales"]:
        items = [item for item in spec["items"] if item["subscale"] == subscale["id"]]
        summary = _summary(spec, items, parsed)
        summary.update(
            id=subscale["id"],
            label=subscale["label"],
            band=_band(subscale["bands"], summary["percent"]),
        )
        result["subscales"].append(summary)
        percents[subscale["id"]] = summary["percent"]
    result["recommendations"] = [
        {"text": rec["text"], "href": rec.get("href", rec["page"])}
        for rec in spec["recommendations"]
        if rec.get("below") is None or percents[rec["subscale"]] < rec["below"]
    ]
    result["notes"] = _extension_notes(spec, result, parsed)
    return result


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _bar(label: str, pct: int) -> str:
    # An SVG bar drawn with attributes only (no inline style, so a strict CSP allows it);
    # the visible text beside it carries the same figure for screen readers.
    return (
        '<svg class="bb-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" '
        'focusable="false"><rect class="bb-bar__track" x="0" y="0" width="100" height="6"/>'
        f'<rect class="bb-bar__fill" x="0" y="0" width="{pct}" height="6"/></svg>'
    )


def _summary_html(summary: Mapping[str, Any], css: str) -> str:
    band = summary["band"]
    return (
        f'<div class="{css}">'
        f'<p class="bb-score"><span class="bb-score__label">{_e(summary["label"])}</span> '
        f'<span class="bb-score__value">{summary["percent"]} out of 100</span> '
        f'<span class="bb-score__band">{_e(band["heading"])}</span></p>'
        f"{_bar(summary['label'], summary['percent'])}"
        f'<div class="bb-score__feedback">{band["feedback_html"]}</div>'
        "</div>"
    )


def render_result_html(result: Mapping[str, Any]) -> str:
    """Render a result as HTML. Every string from the quiz or the answers is escaped.

    Band feedback is the one exception: it is HTML that the build rendered from the
    author's Markdown with raw HTML disabled (see :mod:`brickbybrick.quizfile`).
    """
    quiz = _e(result["quiz"])
    parts: list[str] = [f'<div class="bb-result" data-quiz-result-for="{quiz}">']
    if result["critical"]:
        parts.append(
            '<div class="bb-result__alert"><p><strong>Some of your answers suggest you may not be '
            "safe.</strong> Whatever your scores say, you deserve to feel safe. The help panel on "
            "this page lists people you can talk to, for free and in confidence.</p></div>"
        )
    if not result["complete"]:
        missing = result["missing"]
        parts.append(
            '<div class="bb-result__missing"><p><strong>'
            + (
                "1 question is still unanswered."
                if len(missing) == 1
                else f"{len(missing)} questions are still unanswered."
            )
            + "</strong> Please answer "
            + ("it" if len(missing) == 1 else "them")
            + " to see your results:</p><ul>"
        )
        for item in missing:
            parts.append(
                f'<li><a href="#bb-{quiz}-{_e(item["id"])}">Question {item["number"]}: '
                f"{_e(item['text'])}</a></li>"
            )
        parts.append("</ul></div></div>")
        return "".join(parts)

    parts.append(f'<h3 class="bb-result__title">Your results: {_e(result["title"])}</h3>')
    parts.append(_summary_html(result["overall"], "bb-result__overall"))
    if result["subscales"]:
        parts.append('<ul class="bb-result__subscales">')
        for subscale in result["subscales"]:
            parts.append(f"<li>{_summary_html(subscale, 'bb-result__subscale')}</li>")
        parts.append("</ul>")
    for note in result["notes"]:
        parts.append(
            f'<div class="bb-result__note"><h4>{_e(note["heading"])}</h4><p>{_e(note["text"])}</p></div>'
        )
    if result["recommendations"]:
        parts.append('<div class="bb-result__next"><h4>Where to go next</h4><ul>')
        for rec in result["recommendations"]:
            parts.append(f'<li><a href="{_e(rec["href"])}">{_e(rec["text"])}</a></li>')
        parts.append("</ul></div>")
    parts.append(
        '<p class="bb-result__disclaimer">This self-assessment is a reflection aid, not a '
        "diagnosis. Your answers were scored on this device and were not sent or stored.</p>"
    )
    parts.append("</div>")
    return "".join(parts)


def score_json(spec_json: str, answers_json: str) -> str:
    """Entry point for the browser worker: JSON in, JSON out, errors returned as data."""
    try:
        result = score(json.loads(spec_json), json.loads(answers_json))
        return json.dumps({"ok": True, "result": result, "html": render_result_html(result)})
    except Exception as error:  # noqa: BLE001 - errors cross the worker boundary as data
        return json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}"})
