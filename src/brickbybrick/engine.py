"""Score a self-assessment: the one scorer, shared by CPython and Pyodide.

Standard library only. The input is a *spec*: the JSON-able form of a validated quiz
file, produced at build time by :func:`brickbybrick.quizfile.load_quiz`. The output is a
JSON-able result and, from it, escaped HTML for the page.

Rules:

* an item's score is its answer's value, or ``low + high - value`` when reverse-keyed, so a
  higher score always means "more of what the subscale measures";
* a score comes in three figures: **raw** (the keyed sum, between the sums of the scales'
  lowest and highest values), **mean** (raw / number of items, in the scale's own values,
  rounded half up to two decimals) and **percent** (``(raw - min) / (max - min)``, rounded
  half up to a whole number); the quiz's ``scoring`` says which the result shows
  (``show``, default ``[percent]``) and which unit its bands and ``below`` thresholds use
  (``bands_on``, default ``percent``);
* a value belongs to the band with the greatest ``min`` at or below it;
* unanswered items are listed, never counted as zero. Up to ``scoring.missing`` of them
  (default 0) still give scores, **prorated**: the answered items' mean times the number of
  items (and the answered items' mean); on items of different scales, the answered items'
  place in their range carried to the whole range. More blanks give no scores at all;
* critical answers (at or beyond an item's threshold, judged on the raw answer) are flagged
  whether or not the form is complete. A subscale or the overall score can be critical by a
  **pattern** too: ``count`` or more of its items answered at or beyond a threshold (coercive
  control is a pattern no single answer shows);
* **danger comes first, in the whole result**: with any critical answer or pattern, the help
  alert opens the result (its first link is the help page) and *no* score shows a figure, a
  bar or a band: the overall score and every critical subscale show their ``if_critical``
  text, the others only their label and a neutral line (``set_aside``); recommendations follow
  their ``critical`` rule (``hide`` by default, ``only`` or ``show``), an extension's notes
  are kept only when they point to help, and the worksheet gets no focus areas;
* a quiz without subscales has one score, the overall one.
"""

from __future__ import annotations

import html
import json
import types
from collections.abc import Callable, Mapping
from typing import Any, Literal, NotRequired, TypedDict

__all__ = [
    "DEFAULT_SCORING",
    "EngineError",
    "format_number",
    "hundredths",
    "is_critical",
    "item_score",
    "message",
    "pattern_threshold",
    "percent",
    "plural",
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
    """A band in the quiz's ``bands_on`` unit: whole percents, or raw or mean values (decimals allowed)."""

    min: float
    max: float
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
    critical: NotRequired[PatternRule | None]


class CriticalRule(TypedDict, total=False):
    at_or_above: int
    at_or_below: int


class PatternRule(TypedDict, total=False):
    """A scale is critical when ``count`` or more of its items are answered at or beyond the threshold."""

    count: int
    at_or_above: int
    at_or_below: int


class ItemSpec(TypedDict):
    id: str
    text: str
    scale: str
    subscale: str | None  # None in a quiz without subscales (one score, the overall one)
    reverse: bool
    critical: CriticalRule | None


class OverallSpec(TypedDict):
    label: str
    bands: list[Band]
    if_critical: Replacement | None
    critical: NotRequired[PatternRule | None]


CriticalMode = Literal["hide", "only", "show"]


class RecommendationSpec(TypedDict):
    subscale: str
    text: str
    page: str
    below: float | None  # in the quiz's ``bands_on`` unit
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
    #: The words the extension writes, by id (``extension_texts:`` in the quiz file, translated
    #: like its other texts): given to ``interpret(result, answers, texts)`` if it takes them.
    texts: NotRequired[dict[str, str]]


Figure = Literal["raw", "mean", "percent"]
#: Every figure a score can show, in the order a result shows them.
FIGURES: tuple[Figure, ...] = ("raw", "mean", "percent")


class ScoringSpec(TypedDict):
    """How a quiz is scored and shown: the quiz file's ``scoring`` block, defaults filled in."""

    show: list[Figure]  # the figures a result shows, a subset of FIGURES in their order
    bands_on: Figure  # the unit of every band's min and max and every recommendation's below
    missing: int  # how many unanswered items still give (prorated) scores


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
    scoring: NotRequired[ScoringSpec]  # DEFAULT_SCORING when absent
    disclaimer: NotRequired[str]  # plain text under a result (the guide's words; else the catalogue's)
    #: Every word the scorer writes, from the guide's message catalogue (``result.``, ``number.``
    #: and ``plural.`` keys): the engine itself holds none.
    messages: dict[str, str]


# --------------------------------------------------------------------------- the result (output)


class ItemRef(TypedDict):
    id: str
    number: int
    text: str


#: What a score shows: its ``band`` (with figures and a bar); its ``if_critical`` text (the
#: score is critical); or, beside danger elsewhere in the quiz, only a neutral line (``set_aside``).
ShownState = Literal["band", "critical", "set_aside"]


class Shown(TypedDict):
    """The heading and feedback shown for a score, and which of the three it is."""

    heading: str
    feedback_html: str
    state: ShownState


class Summary(TypedDict):
    """One score. ``raw`` is an int when every item is answered; prorated, a float (2 decimals)."""

    raw: float
    min: int  # the lowest and highest possible raw scores
    max: int
    mean: float  # raw / items, 2 decimals (prorated on one scale: the answered items' mean)
    mean_min: float  # the lowest and highest possible means, 2 decimals
    mean_max: float
    percent: int
    items: int  # how many items the score counts
    answered: int  # how many of them were answered
    prorated: bool  # answered < items: raw is the answered items' mean x items
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


class PatternRef(TypedDict):
    id: str  # a subscale id, or "overall"
    label: str


class Result(TypedDict):
    """What :func:`score` returns (and an extension's ``interpret`` receives).

    ``complete`` says the answers give scores: every item answered, or no more left blank
    than ``scoring.missing`` allows (then ``prorated`` is true). ``missing`` lists the
    unanswered items either way. ``danger`` is true when any answer is critical or any
    pattern is met (``critical`` and ``patterns`` say which): then no score shows a figure.
    """

    quiz: str
    title: str
    complete: bool
    prorated: bool
    danger: bool
    scoring: ScoringSpec
    missing: list[ItemRef]
    critical: list[ItemRef]
    patterns: list[PatternRef]
    help: Link | None
    overall: Summary | None
    subscales: list[SubscaleResult]
    recommendations: list[Link]
    notes: list[Note]
    focus_areas: list[FocusArea]


#: How a quiz without a ``scoring`` block is scored: percents only, every item answered.
DEFAULT_SCORING: ScoringSpec = {"show": ["percent"], "bands_on": "percent", "missing": 0}

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
    return _percent(raw, 1, low, high)


def _half_up(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` rounded half up to a whole number (exact: integers only)."""
    return (2 * numerator + denominator) // (2 * denominator)


def _percent(raw_top: int, raw_bottom: int, low: int, high: int) -> int:
    # The percent of the raw score raw_top / raw_bottom, in integers, so that CPython and
    # Pyodide agree to the last digit and halves always round up.
    if high <= low:
        return 100
    return _half_up(100 * (raw_top - low * raw_bottom), (high - low) * raw_bottom)


def hundredths(numerator: int, denominator: int) -> float:
    """``numerator / denominator`` rounded half up to two decimals."""
    return _half_up(100 * numerator, denominator) / 100


def scoring_of(spec: Spec) -> ScoringSpec:
    """The quiz's scoring rules (:data:`DEFAULT_SCORING` for a quiz without a ``scoring`` block)."""
    return spec.get("scoring") or DEFAULT_SCORING


def message(messages: Mapping[str, str], key: str, **values: object) -> str:
    """The catalogue's text for ``key``, its ``{placeholders}`` filled in."""
    try:
        template = messages[key]
    except KeyError:
        raise EngineError(f"the spec's messages have no {key!r}") from None
    return template.format_map({name: str(value) for name, value in values.items()})


def plural(messages: Mapping[str, str], key: str, count: int, **values: object) -> str:
    """``key.one`` or ``key.other``, by the language's rule (``plural.one``), ``{count}`` filled in."""
    one = count == 1 if messages.get("plural.one", "n == 1") == "n == 1" else count <= 1
    return message(messages, f"{key}.{'one' if one else 'other'}", count=count, **values)


def _fixed(text: str, messages: Mapping[str, str]) -> str:
    return text.replace(".", messages.get("number.decimal", ".")).replace(
        "-", messages.get("number.minus", "-")
    )


def format_number(value: float, messages: Mapping[str, str]) -> str:
    """A figure as the language writes it: whole numbers plain, others with two decimals, its minus."""
    return _fixed(str(int(value)) if float(value).is_integer() else f"{value:.2f}", messages)


def _paragraph(text: str) -> str:
    return f"<p>{_e(text)}</p>"


def _band(bands: list[Band], value: float) -> Shown:
    """The band with the greatest ``min`` at or below ``value``."""
    below = [band for band in bands if band["min"] <= value]
    if not below:
        raise EngineError(f"no band covers {value}")
    band = max(below, key=lambda band: band["min"])
    return {"heading": band["heading"], "feedback_html": band["feedback_html"], "state": "band"}


def _shown(
    messages: Mapping[str, str],
    bands: list[Band],
    value: float,
    replacement: Replacement | None,
    critical: bool,
    danger: bool,
) -> Shown:
    """The band for ``value``; a critical score's replacement text; beside danger, a neutral line."""
    if critical and replacement is not None:
        return {
            "heading": replacement["heading"],
            "feedback_html": replacement["feedback_html"],
            "state": "critical",
        }
    if critical or danger:
        key = "result.if_critical" if critical else "result.set_aside"
        return {
            "heading": message(messages, f"{key}.heading"),
            "feedback_html": _paragraph(message(messages, f"{key}.text")),
            "state": "critical" if critical else "set_aside",
        }
    return _band(bands, value)


def is_critical(item: ItemSpec | Mapping[str, Any], value: int) -> bool:
    """Whether a raw answer is at or beyond the item's critical threshold (suggests danger)."""
    rule = item.get("critical")
    if not rule:
        return False
    if "at_or_above" in rule:
        return bool(value >= rule["at_or_above"])
    return bool(value <= rule["at_or_below"])


def pattern_threshold(rule: PatternRule) -> CriticalRule:
    """A pattern's threshold alone, as an item's ``critical`` rule: which answers count towards it."""
    if "at_or_above" in rule:
        return {"at_or_above": rule["at_or_above"]}
    return {"at_or_below": rule["at_or_below"]}


def pattern_met(rule: PatternRule | None, items: list[ItemSpec], answers: Mapping[str, int]) -> bool:
    """Whether ``count`` or more of ``items`` are answered at or beyond the rule's threshold (raw answers)."""
    if not rule:
        return False
    threshold = pattern_threshold(rule)
    hits = sum(
        1
        for item in items
        if item["id"] in answers and is_critical({"critical": threshold}, answers[item["id"]])
    )
    return hits >= rule["count"]


def recommendation_shown(rec: RecommendationSpec, values: Mapping[str, float], critical: bool) -> bool:
    """Whether a recommendation is shown: its ``critical`` rule first, then its ``below`` threshold.

    ``values`` maps ``overall`` and each subscale id to its score in the quiz's ``bands_on`` unit.
    """
    mode = rec.get("critical", "hide")
    if (critical and mode == "hide") or (not critical and mode == "only"):
        return False
    below = rec.get("below")
    return below is None or values[rec["subscale"]] < below


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


def _summary(
    spec: Spec, items: list[ItemSpec], answers: dict[str, int], label: str
) -> tuple[Summary, float] | None:
    """Score ``items``: the summary without its band, and the value its band is chosen by.

    With blanks the score is prorated: the answered items' place in *their* range, carried to
    the whole range. On one scale that is the answered items' mean x the number of items (and
    the mean is the answered items' mean); on mixed scales it stays between ``min`` and ``max``.
    None when none of the items is answered (there is nothing to prorate from).
    """
    low = high = total = answered = answered_low = answered_high = 0
    for item in items:
        scale_low, scale_high = _scale_bounds(spec, item["scale"])
        low += scale_low
        high += scale_high
        if item["id"] in answers:
            total += item_score(spec, item, answers[item["id"]])
            answered += 1
            answered_low += scale_low
            answered_high += scale_high
    if not answered:
        return None
    count = len(items)
    prorated = answered < count
    # The raw score as an exact fraction raw_top / raw_bottom: the total itself when complete;
    # prorated, low + (total - answered_low) / (answered_high - answered_low) x (high - low).
    raw_top, raw_bottom = total, 1
    if prorated:
        raw_bottom = max(answered_high - answered_low, 1)
        raw_top = low * raw_bottom + (total - answered_low) * (high - low)
    summary: Summary = {
        "raw": hundredths(raw_top, raw_bottom) if prorated else total,
        "min": low,
        "max": high,
        "mean": hundredths(raw_top, raw_bottom * count),
        "mean_min": hundredths(low, count),
        "mean_max": hundredths(high, count),
        "percent": _percent(raw_top, raw_bottom, low, high),
        "items": count,
        "answered": answered,
        "prorated": prorated,
        "label": label,
        "band": {"heading": "", "feedback_html": "", "state": "band"},
    }
    unit = scoring_of(spec)["bands_on"]
    return summary, summary["percent"] if unit == "percent" else summary[unit]


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


def _takes_texts(interpret: Callable[..., Any]) -> bool:
    """Whether ``interpret`` takes a third argument, the extension's texts (``inspect`` is not in
    the browser's trimmed standard library: a function's code says it)."""
    code = getattr(interpret, "__code__", None)
    varargs = 0x04  # CO_VARARGS
    return code is not None and (code.co_argcount >= 3 or bool(code.co_flags & varargs))


def _extension_notes(spec: Spec, result: Result, answers: dict[str, int]) -> list[Note]:
    interpret = _load_extension(spec)
    extension = spec["extension"]
    if interpret is None or extension is None:
        return []
    arguments: list[Any] = [json.loads(json.dumps(result)), dict(answers)]
    if _takes_texts(interpret):
        arguments.append(dict(extension.get("texts") or {}))
    notes = interpret(*arguments)
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
    if result["danger"]:
        # Beside danger an extension may only point to help: advice for two (a calm talk, a
        # check-in) can put a reader at risk, whatever the extension's author meant.
        checked = [note for note in checked if note["help_link"]]
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
    scoring = scoring_of(spec)
    critical_ids = {
        item["id"] for item in spec["items"] if item["id"] in parsed and is_critical(item, parsed[item["id"]])
    }
    groups = {
        sub["id"]: [item for item in spec["items"] if item["subscale"] == sub["id"]]
        for sub in spec["subscales"]
    }
    patterns: list[PatternRef] = [
        {"id": sub["id"], "label": sub["label"]}
        for sub in spec["subscales"]
        if pattern_met(sub.get("critical"), groups[sub["id"]], parsed)
    ]
    if pattern_met(spec["overall"].get("critical"), spec["items"], parsed):
        patterns.append({"id": "overall", "label": spec["overall"]["label"]})
    pattern_ids = {pattern["id"] for pattern in patterns}
    danger = bool(critical_ids or patterns)
    help_spec = spec.get("help")
    missing = _refs(spec, lambda item: item["id"] not in parsed)
    result: Result = {
        "quiz": spec["id"],
        "title": spec["title"],
        "complete": False,
        "prorated": False,
        "danger": danger,
        "scoring": {
            "show": list(scoring["show"]),
            "bands_on": scoring["bands_on"],
            "missing": scoring["missing"],
        },
        "missing": missing,
        "critical": _refs(spec, lambda item: item["id"] in critical_ids),
        "patterns": patterns,
        "help": (
            {"text": help_spec["link_text"], "href": help_spec.get("href", help_spec["page"])}
            if danger and help_spec
            else None
        ),
        "overall": None,
        "subscales": [],
        "recommendations": [],
        "notes": [],
        "focus_areas": [],
    }
    if len(missing) > scoring["missing"]:
        return result

    overall = spec["overall"]
    scored = _summary(spec, spec["items"], parsed, overall["label"])
    subscales: list[tuple[SubscaleSpec, list[ItemSpec], Summary, float]] = []
    for subscale in spec["subscales"]:
        items = groups[subscale["id"]]
        sub_scored = _summary(spec, items, parsed, subscale["label"])
        if sub_scored is None:
            return result  # no answer to prorate from: no scores at all (the build prevents it)
        subscales.append((subscale, items, *sub_scored))
    if scored is None:
        return result

    result["complete"] = True
    result["prorated"] = bool(missing)
    summary, value = scored
    # The overall score stands for the whole quiz: any danger makes it critical.
    summary["band"] = _shown(
        spec["messages"], overall["bands"], value, overall.get("if_critical"), danger, danger
    )
    result["overall"] = summary
    values = {"overall": value}
    for subscale, items, sub_summary, value in subscales:
        hit = subscale["id"] in pattern_ids or any(item["id"] in critical_ids for item in items)
        sub_summary["band"] = _shown(
            spec["messages"], subscale["bands"], value, subscale.get("if_critical"), hit, danger
        )
        result["subscales"].append(
            {**sub_summary, "id": subscale["id"], "focus": subscale.get("focus", True)}
        )
        values[subscale["id"]] = value
    result["recommendations"] = [
        {"text": rec["text"], "href": rec.get("href", rec["page"])}
        for rec in spec["recommendations"]
        if recommendation_shown(rec, values, danger)
    ]
    # Worksheet focus areas are goals to work on together: never from a quiz with a critical
    # answer or pattern, never from a subscale the author keeps out of them (physical safety, say).
    if not danger:
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


def _range(low: float, high: float, messages: Mapping[str, str]) -> str:
    # "0 (en dash) 30"; with a negative end "(minus) 51 to 51", where a dash would read as a minus.
    key = "result.range_negative" if low < 0 else "result.range"
    return message(messages, key, low=format_number(low, messages), high=format_number(high, messages))


def _figure(summary: Summary, figure: Figure, messages: Mapping[str, str]) -> str:
    """One figure of a score in words that name its own range: only a percent is "out of 100"."""
    if figure == "raw":
        span = _range(summary["min"], summary["max"], messages)
        return message(messages, "result.raw", raw=format_number(summary["raw"], messages), range=span)
    if figure == "mean":
        span = _range(summary["mean_min"], summary["mean_max"], messages)
        return message(messages, "result.mean", mean=_fixed(f"{summary['mean']:.2f}", messages), range=span)
    return message(messages, "result.percent", percent=summary["percent"])


def _summary_html(summary: Summary, css: str, show: list[Figure], messages: Mapping[str, str]) -> str:
    band = summary["band"]
    if band["state"] != "band":
        # Beside danger a number would speak louder than the warning ("98 out of 100" reads as
        # "safe"): the heading and feedback stand alone, with no figure or bar, in every score.
        return (
            f'<div class="{css} {css}--{band["state"].replace("_", "-")}">'
            f'<h4 class="bb-score__label">{_e(summary["label"])}</h4>'
            f'<p class="bb-score"><span class="bb-score__band">{_e(band["heading"])}</span></p>'
            f'<div class="bb-score__feedback">{band["feedback_html"]}</div>'
            "</div>"
        )
    figures = "".join(
        f'<span class="bb-score__value">{_e(_figure(summary, figure, messages))}</span> ' for figure in show
    )
    prorated = (
        f'<span class="bb-score__prorated">{_e(message(messages, "result.prorated_tag"))}</span> '
        if summary["prorated"]
        else ""
    )
    return (
        f'<div class="{css}">'
        f'<h4 class="bb-score__label">{_e(summary["label"])}</h4>'
        f'<p class="bb-score">{figures}{prorated}'
        f'<span class="bb-score__band">{_e(band["heading"])}</span></p>'
        f"{_bar(summary['percent'])}"
        f'<div class="bb-score__feedback">{band["feedback_html"]}</div>'
        "</div>"
    )


def _item_links(quiz: str, items: list[ItemRef], messages: Mapping[str, str]) -> str:
    links = "".join(
        f'<li><a href="#bb-{quiz}-{_e(item["id"])}">'
        f"{_e(message(messages, 'result.question', number=item['number'], text=item['text']))}</a></li>"
        for item in items
    )
    return f"<ul>{links}</ul>"


def _alert_html(spec_help: HelpSpec | None, link: Link | None, messages: Mapping[str, str]) -> str:
    # The help link comes first, so it is the first link of the result; the alert text (the
    # guide's own words, Markdown without links) follows.
    parts = ['<div class="bb-result__alert" data-quiz-alert>']
    if link is not None:
        parts.append(f'<p class="bb-result__help"><a href="{_e(link["href"])}">{_e(link["text"])}</a></p>')
    parts.append(
        spec_help["alert_html"]
        if spec_help
        else f"<p><strong>{_e(message(messages, 'result.alert'))}</strong></p>"
    )
    parts.append("</div>")
    return "".join(parts)


def render_result_html(result: Result, spec: Spec) -> str:
    """Render a result as HTML in the spec's language. Every string from the quiz or the answers is escaped.

    Band feedback and the help alert are the exceptions: HTML that the build rendered from the
    author's Markdown with raw HTML disabled (see :mod:`brickbybrick.quizfile`).
    """
    messages = spec["messages"]
    quiz = _e(result["quiz"])
    parts: list[str] = [f'<div class="bb-result" data-quiz-result-for="{quiz}">']
    if result["danger"]:
        parts.append(_alert_html(spec["help"], result["help"], messages))
    missing = result["missing"]
    if not result["complete"]:
        allowed = result["scoring"]["missing"]
        if 0 < allowed < len(missing):
            please = message(messages, "result.answer_at_least", count=len(missing) - allowed)
        else:
            please = message(messages, "result.answer_it" if len(missing) == 1 else "result.answer_them")
        parts.append(
            f'<div class="bb-result__missing"><p><strong>{_e(plural(messages, "result.missing", len(missing)))}'
            f"</strong> {_e(please)}</p>{_item_links(quiz, missing, messages)}</div></div>"
        )
        return "".join(parts)

    # Each score, note and "where next" is a heading under this one: a screen reader can skim them.
    parts.append(
        f'<h3 class="bb-result__title" tabindex="-1">{_e(message(messages, "result.title", title=result["title"]))}</h3>'
        # Shown by the page's script, which prints this result alone (never the answers).
        f'<p class="bb-result__actions"><button type="button" class="md-button bb-result__print" data-quiz-print hidden>'
        f"{_e(message(messages, 'result.print'))}</button></p>"
    )
    if result["prorated"]:
        # Said before any figure: these scores stand in for answers that were not given.
        key = "result.prorated_scores" if result["subscales"] else "result.prorated_score"
        parts.append(
            f'<div class="bb-result__prorated"><p><strong>{_e(plural(messages, key, len(missing)))}</strong> '
            f"{_e(message(messages, 'result.prorated_how'))}</p>{_item_links(quiz, missing, messages)}</div>"
        )
    show = result["scoring"]["show"]
    if result["overall"] is not None:
        parts.append(_summary_html(result["overall"], "bb-result__overall", show, messages))
    if result["subscales"]:
        parts.append('<ul class="bb-result__subscales">')
        for subscale in result["subscales"]:
            parts.append(f"<li>{_summary_html(subscale, 'bb-result__subscale', show, messages)}</li>")
        parts.append("</ul>")
    for note in result["notes"]:
        link = ""
        if note["help_link"] and result["help"] is not None:
            link = f' <a href="{_e(result["help"]["href"])}">{_e(result["help"]["text"])}</a>'
        parts.append(
            f'<div class="bb-result__note"><h4>{_e(note["heading"])}</h4><p>{_e(note["text"])}{link}</p></div>'
        )
    if result["recommendations"]:
        parts.append(f'<div class="bb-result__next"><h4>{_e(message(messages, "result.next"))}</h4><ul>')
        for rec in result["recommendations"]:
            parts.append(f'<li><a href="{_e(rec["href"])}">{_e(rec["text"])}</a></li>')
        parts.append("</ul></div>")
    disclaimer = spec.get("disclaimer") or message(messages, "result.disclaimer")
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
