"""Score a self-assessment: the one scorer, shared by CPython and Pyodide.

Standard library only. The input is a *spec*: the JSON-able form of a validated quiz
file, produced at build time by :func:`brickbybrick.quizfile.load_quiz`. The output is a
JSON-able result and, from it, escaped HTML for the page.

Rules:

* an item's score is its answer's value, or ``low + high - value`` when reverse-keyed, so a
  higher score always means "more of what the subscale measures";
* unanswered items are listed, never counted as zero: an incomplete form has no scores;
* critical answers (at or beyond an item's threshold, judged on the raw answer) are flagged
  whether or not the form is complete, and **danger comes first**: with any critical answer the
  help alert opens the result (its first link is the help page), the overall score and every
  subscale holding a critical answer show their ``if_critical`` text instead of a band (never
  the top band), and recommendations follow their ``critical`` rule (``hide`` by default,
  ``only`` or ``show``);
* a percent is ``(raw - min) / (max - min)``, rounded half up to a whole number, and picks
  the band whose inclusive ``min..max`` range holds it.
"""

from __future__ import annotations

import html
import json
import types
from collections.abc import Callable, Mapping
from typing import Any, Literal, NotRequired, TypedDict

__all__ = [
    "EngineError",
    "is_critical",
    "item_score",
    "percent",
    "render_result_html",
    "score",
    "score_json",
]


# --------------------------------------------------------------------------- the spec (input)


class Point(TypedDict):
    value: int
    label: str


class Scale(TypedDict):
    points: list[Point]


class Band(TypedDict):
    min: int
    max: int
    heading: str
    feedback_html: str


class Replacement(TypedDict):
    """What a subscale or the overall score shows instead of a band when an answer is critical."""

    heading: str
    feedback_html: str


class SubscaleSpec(TypedDict):
    id: str
    label: str
    bands: list[Band]
    if_critical: Replacement | None
    focus: bool


class CriticalRule(TypedDict, total=False):
    at_or_above: int
    at_or_below: int


class ItemSpec(TypedDict):
    id: str
    text: str
    scale: str
    subscale: str
    reverse: bool
    critical: CriticalRule | None


class OverallSpec(TypedDict):
    label: str
    bands: list[Band]
    if_critical: Replacement | None


CriticalMode = Literal["hide", "only", "show"]


class RecommendationSpec(TypedDict):
    subscale: str
    text: str
    page: str
    below: int | None
    critical: CriticalMode
    href: NotRequired[str]  # the page's URL, filled in for the browser


class HelpSpec(TypedDict):
    """The guide's help for a critical answer: alert (HTML from Markdown) and help-page link."""

    panel: str
    alert_html: str
    link_text: str
    page: str
    href: NotRequired[str]


class ExtensionSpec(TypedDict):
    filename: str
    source: str


class Spec(TypedDict):
    id: str
    title: str
    intro_html: str
    scales: dict[str, Scale]
    subscales: list[SubscaleSpec]
    items: list[ItemSpec]
    overall: OverallSpec
    recommendations: list[RecommendationSpec]
    help: HelpSpec | None
    extension: ExtensionSpec | None
    disclaimer: NotRequired[str]  # plain text under a result (the guide's words)


# --------------------------------------------------------------------------- the result (output)


class ItemRef(TypedDict):
    id: str
    number: int
    text: str


class Shown(TypedDict):
    """The heading and feedback shown for a score: its band, or its ``if_critical`` text."""

    heading: str
    feedback_html: str
    critical: bool


class Summary(TypedDict):
    raw: int
    min: int
    max: int
    percent: int
    label: str
    band: Shown


class SubscaleResult(Summary):
    id: str
    focus: bool


class Link(TypedDict):
    text: str
    href: str


class Note(TypedDict):
    heading: str
    text: str
    help_link: bool


class FocusArea(TypedDict):
    label: str
    percent: int


class Result(TypedDict):
    quiz: str
    title: str
    complete: bool
    missing: list[ItemRef]
    critical: list[ItemRef]
    help: Link | None
    overall: Summary | None
    subscales: list[SubscaleResult]
    recommendations: list[Link]
    notes: list[Note]
    focus_areas: list[FocusArea]


#: Shown instead of a band when a quiz gives no ``if_critical`` text of its own.
DEFAULT_IF_CRITICAL: Replacement = {
    "heading": "Read the note above first",
    "feedback_html": "<p>One of your answers here is marked as needing attention before any score. "
    "The note at the top of these results says where to turn.</p>",
}
#: The alert for a critical answer when a quiz names no help of its own.
DEFAULT_ALERT_HTML = "<p><strong>One or more of your answers needs attention before any score.</strong></p>"
DEFAULT_DISCLAIMER = "Your answers were scored on this device and were not sent or stored."

_extensions: dict[tuple[str, str], Callable[..., Any]] = {}


class EngineError(ValueError):
    """Answers or a spec the engine cannot score, with a message for the author."""


def _scale_bounds(spec: Spec, scale_id: str) -> tuple[int, int]:
    values = [point["value"] for point in spec["scales"][scale_id]["points"]]
    return min(values), max(values)


def item_score(spec: Spec, item: ItemSpec, value: int) -> int:
    """Return the keyed score of one answer: reverse-keyed items are mirrored."""
    low, high = _scale_bounds(spec, item["scale"])
    return low + high - value if item.get("reverse") else value


def percent(raw: int, low: int, high: int) -> int:
    """Return where ``raw`` sits between ``low`` and ``high`` as 0-100, rounded half up."""
    if high <= low:
        return 100
    return (200 * (raw - low) + (high - low)) // (2 * (high - low))


def _band(bands: list[Band], pct: int) -> Shown:
    for band in bands:
        if band["min"] <= pct <= band["max"]:
            return {"heading": band["heading"], "feedback_html": band["feedback_html"], "critical": False}
    raise EngineError(f"no band covers {pct}%")


def _shown(bands: list[Band], pct: int, replacement: Replacement | None, critical: bool) -> Shown:
    """The band for ``pct``; with a critical answer, the replacement text instead (never a band)."""
    if not critical:
        return _band(bands, pct)
    text = replacement or DEFAULT_IF_CRITICAL
    return {"heading": text["heading"], "feedback_html": text["feedback_html"], "critical": True}


def is_critical(item: ItemSpec | Mapping[str, Any], value: int) -> bool:
    """Whether a raw answer is at or beyond the item's critical threshold (suggests danger)."""
    rule = item.get("critical")
    if not rule:
        return False
    if "at_or_above" in rule:
        return bool(value >= rule["at_or_above"])
    return bool(value <= rule["at_or_below"])


def recommendation_shown(rec: RecommendationSpec, percents: Mapping[str, int], critical: bool) -> bool:
    """Whether a recommendation is shown: its ``critical`` rule first, then its ``below`` threshold."""
    mode = rec.get("critical", "hide")
    if (critical and mode == "hide") or (not critical and mode == "only"):
        return False
    below = rec.get("below")
    return below is None or percents[rec["subscale"]] < below


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


def _totals(spec: Spec, items: list[ItemSpec], answers: dict[str, int]) -> tuple[int, int, int]:
    low = high = raw = 0
    for item in items:
        scale_low, scale_high = _scale_bounds(spec, item["scale"])
        low += scale_low
        high += scale_high
        raw += item_score(spec, item, answers[item["id"]])
    return raw, low, high


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


NOTE_KEYS = {"heading": str, "text": str, "help_link": bool}


def _extension_notes(spec: Spec, result: Result, answers: dict[str, int]) -> list[Note]:
    interpret = _load_extension(spec)
    extension = spec["extension"]
    if interpret is None or extension is None:
        return []
    notes = interpret(json.loads(json.dumps(result)), dict(answers))
    filename = extension["filename"]
    if not isinstance(notes, list):
        raise EngineError(f"{filename}: interpret() must return a list, got {type(notes).__name__}")
    checked: list[Note] = []
    for index, note in enumerate(notes):
        if (
            not isinstance(note, dict)
            or not {"heading", "text"} <= set(note) <= set(NOTE_KEYS)
            or not all(isinstance(value, NOTE_KEYS[key]) for key, value in note.items())
        ):
            raise EngineError(
                f"{filename}: interpret() note [{index}] must be a dict with str 'heading' and 'text' "
                "(and optionally bool 'help_link')"
            )
        checked.append(
            {"heading": note["heading"], "text": note["text"], "help_link": note.get("help_link", False)}
        )
    return checked


def _refs(spec: Spec, keep: Callable[[ItemSpec], bool]) -> list[ItemRef]:
    return [
        {"id": item["id"], "number": number, "text": item["text"]}
        for number, item in enumerate(spec["items"], start=1)
        if keep(item)
    ]


def score(spec: Spec, answers: Mapping[str, Any]) -> Result:
    """Score ``answers`` (item id -> value, as int or str) against a quiz ``spec``."""
    parsed = _parse_answers(spec, answers)
    critical_ids = {
        item["id"] for item in spec["items"] if item["id"] in parsed and is_critical(item, parsed[item["id"]])
    }
    help_spec = spec.get("help")
    result: Result = {
        "quiz": spec["id"],
        "title": spec["title"],
        "complete": len(parsed) == len(spec["items"]),
        "missing": _refs(spec, lambda item: item["id"] not in parsed),
        "critical": _refs(spec, lambda item: item["id"] in critical_ids),
        "help": (
            {"text": help_spec["link_text"], "href": help_spec.get("href", help_spec["page"])}
            if critical_ids and help_spec
            else None
        ),
        "overall": None,
        "subscales": [],
        "recommendations": [],
        "notes": [],
        "focus_areas": [],
    }
    if not result["complete"]:
        return result

    raw, low, high = _totals(spec, spec["items"], parsed)
    pct = percent(raw, low, high)
    overall = spec["overall"]
    result["overall"] = {
        "raw": raw,
        "min": low,
        "max": high,
        "percent": pct,
        "label": overall["label"],
        "band": _shown(overall["bands"], pct, overall.get("if_critical"), bool(critical_ids)),
    }
    percents = {"overall": pct}
    for subscale in spec["subscales"]:
        items = [item for item in spec["items"] if item["subscale"] == subscale["id"]]
        raw, low, high = _totals(spec, items, parsed)
        pct = percent(raw, low, high)
        hit = any(item["id"] in critical_ids for item in items)
        result["subscales"].append(
            {
                "id": subscale["id"],
                "label": subscale["label"],
                "raw": raw,
                "min": low,
                "max": high,
                "percent": pct,
                "band": _shown(subscale["bands"], pct, subscale.get("if_critical"), hit),
                "focus": subscale.get("focus", True),
            }
        )
        percents[subscale["id"]] = pct
    result["recommendations"] = [
        {"text": rec["text"], "href": rec.get("href", rec["page"])}
        for rec in spec["recommendations"]
        if recommendation_shown(rec, percents, bool(critical_ids))
    ]
    # Worksheet focus areas are goals to work on together: never from a quiz with a critical
    # answer, never from a subscale the author keeps out of them (physical safety, say).
    if not critical_ids:
        result["focus_areas"] = [
            {"label": sub["label"], "percent": sub["percent"]} for sub in result["subscales"] if sub["focus"]
        ]
    result["notes"] = _extension_notes(spec, result, parsed)
    return result


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _bar(pct: int) -> str:
    # An SVG bar drawn with attributes only (no inline style, so a strict CSP allows it);
    # the visible text beside it carries the same figure for screen readers.
    return (
        '<svg class="bb-bar" viewBox="0 0 100 6" preserveAspectRatio="none" aria-hidden="true" '
        'focusable="false"><rect class="bb-bar__track" x="0" y="0" width="100" height="6"/>'
        f'<rect class="bb-bar__fill" x="0" y="0" width="{pct}" height="6"/></svg>'
    )


def _summary_html(summary: Summary, css: str) -> str:
    band = summary["band"]
    if band["critical"]:
        # Beside a critical answer a number would speak louder than the warning ("98 out of
        # 100" reads as "safe"): the heading and feedback stand alone, with no figure or bar.
        return (
            f'<div class="{css} {css}--critical">'
            f'<p class="bb-score"><span class="bb-score__label">{_e(summary["label"])}</span> '
            f'<span class="bb-score__band">{_e(band["heading"])}</span></p>'
            f'<div class="bb-score__feedback">{band["feedback_html"]}</div>'
            "</div>"
        )
    return (
        f'<div class="{css}">'
        f'<p class="bb-score"><span class="bb-score__label">{_e(summary["label"])}</span> '
        f'<span class="bb-score__value">{summary["percent"]} out of 100</span> '
        f'<span class="bb-score__band">{_e(band["heading"])}</span></p>'
        f"{_bar(summary['percent'])}"
        f'<div class="bb-score__feedback">{band["feedback_html"]}</div>'
        "</div>"
    )


def _alert_html(spec_help: HelpSpec | None, link: Link | None) -> str:
    # The help link comes first, so it is the first link of the result; the alert text (the
    # guide's own words, Markdown without links) follows.
    parts = ['<div class="bb-result__alert" data-quiz-alert>']
    if link is not None:
        parts.append(f'<p class="bb-result__help"><a href="{_e(link["href"])}">{_e(link["text"])}</a></p>')
    parts.append(spec_help["alert_html"] if spec_help else DEFAULT_ALERT_HTML)
    parts.append("</div>")
    return "".join(parts)


def render_result_html(result: Result, spec: Spec | None = None) -> str:
    """Render a result as HTML. Every string from the quiz or the answers is escaped.

    Band feedback and the help alert are the exceptions: HTML that the build rendered from the
    author's Markdown with raw HTML disabled (see :mod:`brickbybrick.quizfile`).
    """
    quiz = _e(result["quiz"])
    parts: list[str] = [f'<div class="bb-result" data-quiz-result-for="{quiz}">']
    if result["critical"]:
        parts.append(_alert_html(spec["help"] if spec else None, result["help"]))
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
    if result["overall"] is not None:
        parts.append(_summary_html(result["overall"], "bb-result__overall"))
    if result["subscales"]:
        parts.append('<ul class="bb-result__subscales">')
        for subscale in result["subscales"]:
            parts.append(f"<li>{_summary_html(subscale, 'bb-result__subscale')}</li>")
        parts.append("</ul>")
    for note in result["notes"]:
        link = ""
        if note["help_link"] and result["help"] is not None:
            link = f' <a href="{_e(result["help"]["href"])}">{_e(result["help"]["text"])}</a>'
        parts.append(
            f'<div class="bb-result__note"><h4>{_e(note["heading"])}</h4><p>{_e(note["text"])}{link}</p></div>'
        )
    if result["recommendations"]:
        parts.append('<div class="bb-result__next"><h4>Where to go next</h4><ul>')
        for rec in result["recommendations"]:
            parts.append(f'<li><a href="{_e(rec["href"])}">{_e(rec["text"])}</a></li>')
        parts.append("</ul></div>")
    disclaimer = spec.get("disclaimer", DEFAULT_DISCLAIMER) if spec else DEFAULT_DISCLAIMER
    parts.append(f'<p class="bb-result__disclaimer">{_e(disclaimer)}</p>')
    parts.append("</div>")
    return "".join(parts)


def score_json(spec_json: str, answers_json: str) -> str:
    """Entry point for the browser worker: JSON in, JSON out, errors returned as data."""
    try:
        spec: Spec = json.loads(spec_json)
        result = score(spec, json.loads(answers_json))
        return json.dumps({"ok": True, "result": result, "html": render_result_html(result, spec)})
    except (Exception, SystemExit) as error:  # noqa: BLE001 - errors cross the worker boundary as data
        return json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}"})
