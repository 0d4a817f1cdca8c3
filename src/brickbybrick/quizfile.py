"""Load a quiz file, validate it against the schema, and turn it into an engine spec.

Build-time only (needs PyYAML and Markdown). Every problem raises :class:`QuizError`, whose
one-line message names the file, the line and the key path, e.g.::

    quizzes/safety.yml:14: items[3].subscale: 'emotinal' is not a subscale (expected one of: ...)
"""

from __future__ import annotations

import ast
import functools
import html
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Protocol

import markdown
import yaml

from brickbybrick import catalogue, engine
from brickbybrick.render import PAGE_LINK

__all__ = ["QuizError", "load_quiz", "load_quizzes", "markdown_to_html"]

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
KeyPath = tuple[str | int, ...]


class QuizError(Exception):
    """A quiz file that cannot be used, located like a compiler error."""

    def __init__(self, filename: str, line: int | None, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.filename = filename
        self.line = line
        self.path = path
        self.message = message

    def __str__(self) -> str:
        where = self.filename if self.line is None else f"{self.filename}:{self.line}"
        key = format_path(self.path)
        return f"{where}: {key}: {self.message}" if key else f"{where}: {self.message}"


def format_path(path: KeyPath) -> str:
    """Format a key path the way a reader writes it: ``items[3].subscale``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


# --------------------------------------------------------------------------- YAML with lines


#: The most values a quiz file may hold once YAML aliases are expanded: a real quiz holds a few
#: thousand; a 300-byte "billion laughs" alias bomb would otherwise expand without end.
MAX_VALUES = 50_000
#: The most characters of text a file may hold once aliases are expanded: a real quiz holds tens
#: of thousands; a long text repeated by aliases would otherwise fill every page it is written into.
MAX_CHARACTERS = 2_000_000
#: How deep lists and mappings may sit inside each other: a quiz nests five levels. Deeper input
#: would exhaust Python's stack in PyYAML's composer (libyaml itself stops at 1,000 levels).
MAX_DEPTH = 50
#: The longest single text (a key or a value), in characters: a band's feedback is a paragraph.
MAX_SCALAR = 100_000
# libyaml's parser where PyYAML has it (ten times faster, same nodes and line marks); errors
# are described by PyYAML's own parser, whose words do not depend on how PyYAML was built.
COMPOSER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Located:
    """Parsed YAML plus the line (1-based) of every key path in it."""

    filename: str
    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)
    values: int = 0
    characters: int = 0

    def line(self, path: KeyPath) -> int | None:
        while path not in self.lines and path:
            path = path[:-1]
        return self.lines.get(path)

    def error(self, path: KeyPath, message: str) -> QuizError:
        return QuizError(self.filename, self.line(path), path, message)


def parse_yaml(text: str, filename: str) -> Located:
    """Parse YAML safely, recording each value's line; duplicate keys and tabs are errors, and so
    is a file past the limits above (too deep, too long a text, too many values)."""
    for number, text_line in enumerate(text.splitlines(), start=1):
        indent = text_line[: len(text_line) - len(text_line.lstrip(" \t"))]
        if "\t" in indent:
            raise QuizError(
                filename, number, (), "a tab in the indentation: indent with spaces (YAML forbids tabs)"
            )
    located = Located(filename, None)
    try:
        root = _compose(text, filename)
        if root is None:
            raise QuizError(filename, 1, (), "the file is empty (expected a mapping of quiz keys)")
        located.data = _convert(
            yaml.SafeLoader(""), root, (), located, frozenset()
        )  # one constructor per file
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        problem = error.problem or error.context or "invalid YAML"
        raise QuizError(filename, line, (), f"YAML syntax error: {problem}") from None
    except RecursionError:  # the limits leave no way here: a last guard against a traceback
        raise QuizError(
            filename, None, (), f"nested too deeply to read (at most {MAX_DEPTH} levels)"
        ) from None
    return located


def _compose(text: str, filename: str) -> yaml.Node | None:
    """The YAML's node tree; a syntax error is described as PyYAML's own parser words it."""
    try:
        return _compose_with(COMPOSER, text, filename)
    except yaml.MarkedYAMLError:
        if COMPOSER is yaml.SafeLoader:
            raise
    # PyYAML's own parser: stable words, and no nesting limit of its own (libyaml's 1,000-level
    # limit may have spoken before the depth check), so the shape is checked again first.
    return _compose_with(yaml.SafeLoader, text, filename)


def _compose_with(kind: type[yaml.SafeLoader], text: str, filename: str) -> yaml.Node | None:
    """Compose with one parser once the text's shape is within the limits.

    The parser's events are read first (a flat stream: no recursion, however deep the text), so
    a file nested too deep is refused at its line before the composer, which recurses once per
    level, could exhaust Python's stack.
    """
    _check_shape(text, filename, kind)
    loader = kind(text)
    try:
        return loader.get_single_node()
    except RecursionError:  # the check above leaves no way here: a last guard, located
        get_mark = getattr(loader, "get_mark", None)  # PyYAML's own parser says where it stopped
        line = get_mark().line + 1 if get_mark else None
        raise QuizError(
            filename, line, (), f"nested too deeply to read (at most {MAX_DEPTH} levels)"
        ) from None
    finally:
        loader.dispose()


def _check_shape(text: str, filename: str, loader: type[yaml.SafeLoader]) -> None:
    """Refuse nesting deeper than MAX_DEPTH and a text longer than MAX_SCALAR, at its line."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        problem = None
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                problem = (
                    f"nested more than {MAX_DEPTH} levels deep (lists and mappings inside each other: "
                    "a quiz or help file needs fewer than 10)"
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        elif isinstance(event, yaml.ScalarEvent) and len(event.value) > MAX_SCALAR:
            problem = (
                f"a text of {len(event.value):,} characters: at most {MAX_SCALAR:,} are allowed "
                "(a band's feedback is a paragraph or two)"
            )
        if problem:
            line = event.start_mark.line + 1 if event.start_mark else None
            raise QuizError(filename, line, (), problem)


def read_yaml(path: Path, filename: str) -> Located:
    """Read and parse a YAML file; a file that cannot be read is a located error too."""
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise QuizError(filename, None, (), f"cannot read the file: {error}") from None
    return parse_yaml(source, filename)


def _convert(
    loader: yaml.SafeLoader, node: yaml.Node, path: KeyPath, located: Located, parents: frozenset[int]
) -> Any:
    located.lines[path] = node.start_mark.line + 1
    located.values += 1
    if located.values > MAX_VALUES:
        raise located.error(path, f"more than {MAX_VALUES} values once aliases are expanded (an alias bomb?)")
    if id(node) in parents:
        raise located.error(path, "an alias refers to itself (recursive YAML anchor)")
    if isinstance(node, yaml.CollectionNode) and len(path) >= MAX_DEPTH:
        # The text is at most MAX_DEPTH deep, but an alias puts one anchor's depth inside another's
        # (the alias's own line is not kept by PyYAML: the error names the top-level key).
        raise QuizError(
            located.filename,
            located.line(path[:1]),
            path[:1],
            f"nested more than {MAX_DEPTH} levels deep once aliases are expanded",
        )
    inside = parents | {id(node)}
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        own_keys = {id(key_node) for key_node, _ in node.value}
        try:
            loader.flatten_mapping(node)  # resolves YAML merge keys (<<: *anchor)
        except yaml.MarkedYAMLError as error:
            raise located.error(path, f"YAML merge error: {error.problem}") from None
        merged: set[str] = set()
        for key_node, value_node in node.value:
            key = _scalar(loader, key_node, path, located)
            if not isinstance(key, str):
                located.lines[(*path, str(key))] = key_node.start_mark.line + 1
                raise located.error((*path, str(key)), f"keys must be text, got {type(key).__name__}")
            if key in result and key not in merged:
                located.lines[(*path, key)] = key_node.start_mark.line + 1
                raise located.error((*path, key), "duplicate key")
            # Merged keys come first; a key written in the mapping itself overrides them.
            (merged.discard if id(key_node) in own_keys else merged.add)(key)
            result[key] = _convert(loader, value_node, (*path, key), located, inside)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [
            _convert(loader, child, (*path, index), located, inside) for index, child in enumerate(node.value)
        ]
    return _scalar(loader, node, path, located)


def _scalar(loader: yaml.SafeLoader, node: yaml.Node, path: KeyPath, located: Located) -> Any:
    """Construct one scalar (a key or a value), turning unknown tags and impossible values into
    located errors."""
    located.characters += len(node.value)
    if located.characters > MAX_CHARACTERS:
        raise located.error(
            path, f"more than {MAX_CHARACTERS:,} characters once aliases are expanded (an alias bomb?)"
        )
    try:
        return loader.construct_object(node)
    except yaml.MarkedYAMLError as error:
        raise located.error(path, f"YAML error: {error.problem}") from None
    except ValueError as error:
        raise located.error(path, f"invalid value {node.value!r}: {error}") from None


# --------------------------------------------------------------------------- schema

Check = Callable[[Any, KeyPath, Located], Any]


def _type_name(value: Any) -> str:
    names = {
        str: "text",
        int: "a whole number",
        float: "a decimal number",
        bool: "true/false",
        list: "a list",
        dict: "a mapping",
    }
    return "nothing" if value is None else names.get(type(value), type(value).__name__)


def text(value: Any, path: KeyPath, doc: Located) -> str:
    if not isinstance(value, str) or not value.strip():
        raise doc.error(path, f"expected non-empty text, got {_type_name(value)}")
    return str(value).strip()


def ident(value: Any, path: KeyPath, doc: Located) -> str:
    checked = text(value, path, doc)
    if not ID_PATTERN.match(checked):
        raise doc.error(
            path, f"{checked!r} is not a valid id (expected lowercase letters, digits and hyphens)"
        )
    return checked


def integer(value: Any, path: KeyPath, doc: Located) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise doc.error(path, f"expected a whole number, got {_type_name(value)}")
    return int(value)


def number(value: Any, path: KeyPath, doc: Located) -> float:
    """A whole or decimal number (a band's bound in raw or mean units may use decimals)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise doc.error(path, f"expected a number, got {_type_name(value)}")
    return value


def count(value: Any, path: KeyPath, doc: Located) -> int:
    checked = integer(value, path, doc)
    if checked < 0:
        raise doc.error(path, f"expected a whole number of 0 or more, got {checked}")
    return checked


def percent_bound(value: Any, path: KeyPath, doc: Located) -> int:
    checked = integer(value, path, doc)
    if not 0 <= checked <= 100:
        raise doc.error(path, f"expected a percentage from 0 to 100, got {checked}")
    return checked


def boolean(value: Any, path: KeyPath, doc: Located) -> bool:
    if not isinstance(value, bool):
        raise doc.error(path, f"expected true or false, got {_type_name(value)}")
    return value


@dataclass(frozen=True)
class Obj:
    """A mapping with known keys: ``required`` and ``optional`` map key -> check."""

    required: Mapping[str, Check]
    optional: Mapping[str, Check] = field(default_factory=dict)
    exactly_one_of: tuple[str, ...] = ()

    def __call__(self, value: Any, path: KeyPath, doc: Located) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise doc.error(path, f"expected a mapping, got {_type_name(value)}")
        known = {**self.required, **self.optional}
        for key in value:
            if key not in known:
                raise doc.error((*path, key), f"unknown key (expected one of: {', '.join(known)})")
        for key in self.required:
            if key not in value:
                raise doc.error(path, f"missing required key '{format_path((*path, key))}'")
        if self.exactly_one_of and sum(key in value for key in self.exactly_one_of) != 1:
            raise doc.error(path, f"expected exactly one of: {', '.join(self.exactly_one_of)}")
        return {key: known[key](item, (*path, key), doc) for key, item in value.items()}


@dataclass(frozen=True)
class ListOf:
    check: Check
    min_length: int = 1

    def __call__(self, value: Any, path: KeyPath, doc: Located) -> list[Any]:
        if not isinstance(value, list):
            raise doc.error(path, f"expected a list, got {_type_name(value)}")
        if len(value) < self.min_length:
            raise doc.error(path, f"expected at least {self.min_length} entries, got {len(value)}")
        return [self.check(item, (*path, index), doc) for index, item in enumerate(value)]


@dataclass(frozen=True)
class MapOf:
    check: Check

    def __call__(self, value: Any, path: KeyPath, doc: Located) -> dict[str, Any]:
        if not isinstance(value, dict) or not value:
            raise doc.error(path, f"expected a non-empty mapping of id -> entry, got {_type_name(value)}")
        return {
            ident(key, (*path, key), doc): self.check(item, (*path, key), doc) for key, item in value.items()
        }


def one_of(*choices: str) -> Check:
    def check(value: Any, path: KeyPath, doc: Located) -> str:
        if value not in choices:
            raise doc.error(path, f"expected one of: {', '.join(choices)}, got {value!r}")
        return str(value)

    return check


# A band's min and max are numbers in the quiz's ``scoring.bands_on`` unit; which numbers
# (whole percents 0..100, or the raw or mean range of its score) is checked by meaning below.
BAND = Obj({"min": number, "max": number, "heading": text, "feedback": text})
BANDS = ListOf(BAND)
IF_CRITICAL = Obj({"heading": text, "feedback": text})
CRITICAL_MODES = ("hide", "only", "show")
POINT = Obj({"value": integer, "label": text})
SCALE = Obj({"points": ListOf(POINT, min_length=2)})
CRITICAL = Obj(
    {}, {"at_or_above": integer, "at_or_below": integer}, exactly_one_of=("at_or_above", "at_or_below")
)
# A pattern: a subscale (or the overall score) is critical when ``count`` of its items are
# answered at or beyond the threshold, judged on the raw answer like an item's ``critical``.
PATTERN = Obj(
    {"count": count},
    {"at_or_above": integer, "at_or_below": integer},
    exactly_one_of=("at_or_above", "at_or_below"),
)
SUBSCALE = Obj(
    {"id": ident, "label": text, "bands": BANDS},
    {"if_critical": IF_CRITICAL, "focus": boolean, "critical": PATTERN},
)
# An item's subscale is required when the quiz has subscales, and refused when it has none.
ITEM = Obj(
    {"id": ident, "text": text, "scale": ident}, {"subscale": ident, "reverse": boolean, "critical": CRITICAL}
)
RECOMMENDATION = Obj(
    {"subscale": ident, "text": text, "page": text},
    {"below": number, "critical": one_of(*CRITICAL_MODES)},
)
SCORING = Obj(
    {},
    {"show": ListOf(one_of(*engine.FIGURES)), "bands_on": one_of(*engine.FIGURES), "missing": count},
)
QUIZ = Obj(
    {
        "id": ident,
        "title": text,
        "scales": MapOf(SCALE),
        "items": ListOf(ITEM),
        "overall": Obj({"label": text, "bands": BANDS}, {"if_critical": IF_CRITICAL, "critical": PATTERN}),
    },
    {
        "subscales": ListOf(SUBSCALE),  # left out by a single-score quiz
        "intro": text,
        "recommendations": ListOf(RECOMMENDATION, min_length=0),
        "extension": text,
        # The words an extension writes, by id (a translation translates them like any text).
        "extension_texts": MapOf(text),
        "help": ident,
        "scoring": SCORING,
    },
)


# --------------------------------------------------------------------------- meaning


SAFE_SCHEMES = ("http", "https", "mailto", "tel")


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value or "" for name, value in attrs if name in {"href", "src"}]
        self.sources += [value or "" for name, value in attrs if name == "src"]


def _unsafe_url(url: str) -> bool:
    # Browsers ignore ASCII whitespace and control characters inside a scheme.
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", url).lower()
    scheme = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return scheme is not None and scheme.group(1) not in SAFE_SCHEMES


@functools.cache
def _markdown() -> markdown.Markdown:
    """One converter for every text of a build (setting one up costs more than a conversion)."""
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def markdown_to_html(source: str) -> str:
    """Render an author's Markdown with raw HTML disabled, so any ``<`` is shown, not run.

    Links may be relative or use http(s), mailto or tel; anything else (``javascript:``,
    however it is spelled with character references) is refused.
    """
    rendered = _markdown().reset().convert(source)
    links = _LinkCollector()
    links.feed(rendered)
    links.close()
    for url in links.urls:
        if _unsafe_url(url):
            raise ValueError(f"link {url!r} uses a scheme other than {', '.join(SAFE_SCHEMES)}")
    for url in links.sources:
        if re.match(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", url, re.IGNORECASE):
            raise ValueError(f"image {url!r} would load from another host: serve it from the site instead")
    return rendered


def _one_of(value: str, choices: Iterable[str]) -> str:
    return f"(expected one of: {', '.join(choices)})"


def _check_unique(doc: Located, entries: list[dict[str, Any]], key_path: KeyPath, what: str) -> None:
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        if entry["id"] in seen:
            raise doc.error(
                (*key_path, index, "id"),
                f"duplicate {what} id {entry['id']!r} (first used at {format_path((*key_path, seen[entry['id']]))})",
            )
        seen[entry["id"]] = index


@dataclass(frozen=True)
class ScoreRange:
    """What one score (a subscale's or the overall) can be, in the quiz's band unit."""

    unit: engine.Figure
    items: int
    low_sum: int  # the sums of the items' lowest and highest scale values
    high_sum: int

    @property
    def low(self) -> float:
        return self.value(self.low_sum)

    @property
    def high(self) -> float:
        return self.value(self.high_sum)

    def value(self, raw: int) -> float:
        """A whole raw total in this unit (a mean to two decimals, as the engine rounds it)."""
        return engine.hundredths(raw, self.items) if self.unit == "mean" else raw

    def between(self, above: float, below: float) -> list[float]:
        """The scores a fully answered form can have strictly between ``above`` and ``below``."""
        if self.unit == "raw":
            return list(range(math.floor(above) + 1, math.ceil(below)))
        values = (self.value(raw) for raw in range(self.low_sum, self.high_sum + 1))
        return list(dict.fromkeys(value for value in values if above < value < below))

    def describe(self) -> str:
        return {"raw": "raw score", "mean": "mean", "percent": "percent"}[self.unit]


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _check_bands(doc: Located, bands: list[dict[str, Any]], path: KeyPath, span: ScoreRange) -> None:
    """Bands cover every possible score in order: from the lowest to the highest, no overlap.

    Percent bands are whole numbers covering 0..100 with no gap. Raw and mean bands may use
    decimals: a value belongs to the band with the greatest ``min`` at or below it, so they
    only need to leave no whole answer's score (a whole raw total, or such a total's mean)
    between one band's ``max`` and the next band's ``min``.
    """
    if span.unit == "percent":
        _check_percent_bands(doc, bands, path)
        return
    whole = f"{_num(span.low)}..{_num(span.high)}"
    rule = f"bands on {span.describe()}s must cover {whole}"
    for index, band in enumerate(bands):
        here = (*path, index)
        if band["min"] > band["max"]:
            raise doc.error((*here, "min"), f"min {_num(band['min'])} is above max {_num(band['max'])}")
        if index == 0:
            if band["min"] < span.low:
                raise doc.error(
                    (*here, "min"),
                    f"min {_num(band['min'])} is below the lowest possible {span.describe()}, {_num(span.low)}",
                )
            gap = [span.low, *span.between(span.low, band["min"])] if band["min"] > span.low else []
        else:
            previous = bands[index - 1]
            if band["min"] <= previous["max"]:
                raise doc.error(
                    (*here, "min"),
                    f"overlap: {_num(band['min'])}..{_num(previous['max'])} is already covered ({rule} in order)",
                )
            gap = span.between(previous["max"], band["min"])
        if gap:
            raise doc.error(
                (*here, "min"), f"gap: no band covers {_num(gap[0])}..{_num(gap[-1])} ({rule} in order)"
            )
    last = (*path, len(bands) - 1, "max")
    top = bands[-1]["max"]
    if top > span.high:
        raise doc.error(
            last, f"max {_num(top)} is above the highest possible {span.describe()}, {_num(span.high)}"
        )
    if top < span.high:
        gap = [*span.between(top, span.high), span.high]
        raise doc.error(last, f"gap: no band covers {_num(gap[0])}..{_num(gap[-1])} ({rule})")


def _check_percent_bands(doc: Located, bands: list[dict[str, Any]], path: KeyPath) -> None:
    """Percent bands: whole numbers from 0 to 100, covering 0..100 in order, no gap, no overlap."""
    for index, band in enumerate(bands):
        percent_bound(band["min"], (*path, index, "min"), doc)
        percent_bound(band["max"], (*path, index, "max"), doc)
    expected = 0
    for index, band in enumerate(bands):
        here = (*path, index)
        if band["min"] > band["max"]:
            raise doc.error((*here, "min"), f"min {band['min']} is above max {band['max']}")
        if band["min"] > expected:
            raise doc.error(
                (*here, "min"),
                f"gap: no band covers {expected}..{band['min'] - 1} (bands must cover 0..100 in order)",
            )
        if band["min"] < expected:
            raise doc.error(
                (*here, "min"),
                f"overlap: {band['min']}..{expected - 1} is already covered (bands must cover 0..100 in order)",
            )
        expected = band["max"] + 1
    if expected != 101:
        raise doc.error(
            (*path, len(bands) - 1, "max"), f"gap: no band covers {expected}..100 (bands must cover 0..100)"
        )


def _score_range(quiz: dict[str, Any], items: list[dict[str, Any]], unit: engine.Figure) -> ScoreRange:
    bounds = [[point["value"] for point in quiz["scales"][item["scale"]]["points"]] for item in items]
    return ScoreRange(unit, len(items), sum(map(min, bounds)), sum(map(max, bounds)))


def _check_scoring(doc: Located, quiz: dict[str, Any], groups: dict[str, list[dict[str, Any]]]) -> None:
    """``show`` lists figures once each, in their order; ``missing`` leaves every score an answer."""
    scoring = quiz.get("scoring", {})
    show = scoring.get("show", [])
    for index, figure in enumerate(show):
        if figure in show[:index]:
            raise doc.error(("scoring", "show", index), f"{figure!r} is listed twice")
        if index and engine.FIGURES.index(figure) < engine.FIGURES.index(show[index - 1]):
            raise doc.error(
                ("scoring", "show", index),
                f"list the figures in the order {', '.join(engine.FIGURES)} ({figure!r} comes before {show[index - 1]!r})",
            )
    allowed = scoring.get("missing", 0)
    name, items = min(groups.items(), key=lambda group: len(group[1]))
    if allowed >= len(items):
        what = "this quiz" if name == "overall" else f"subscale {name!r}"
        raise doc.error(
            ("scoring", "missing"),
            f"{allowed} would leave every item of {what} ({len(items)} items) unanswered and unscored: "
            f"at most {len(items) - 1}",
        )


def _check_below(doc: Located, below: float, path: KeyPath, span: ScoreRange, name: str) -> None:
    """A recommendation's ``below`` is a score in the band unit, within that score's possible range."""
    if span.unit == "percent":
        percent_bound(below, path, doc)
    elif not span.low <= below <= span.high:
        what = "the overall score" if name == "overall" else f"subscale {name!r}"
        raise doc.error(
            path,
            f"{_num(below)} is outside the possible {span.describe()}s of {what} "
            f"({_num(span.low)}..{_num(span.high)})",
        )


def _render_bands(doc: Located, bands: list[dict[str, Any]], path: KeyPath) -> list[engine.Band]:
    rendered: list[engine.Band] = []
    for index, band in enumerate(bands):
        try:
            feedback_html = markdown_to_html(band["feedback"])
        except ValueError as error:
            raise doc.error((*path, index, "feedback"), str(error)) from None
        rendered.append(
            {
                "min": band["min"],
                "max": band["max"],
                "heading": band["heading"],
                "feedback_html": feedback_html,
            }
        )
    return rendered


PageResolver = Callable[[str], str | None]
"""Return None when a ``page.md#anchor`` target exists, else a message saying why not."""


#: Modules through which a reader's answers could leave the scorer: the browser's JavaScript,
#: Pyodide's loaders (``js.fetch``, ``pyodide_js.loadPackage``) and sockets (over WebSockets).
BROWSER_BRIDGES = (
    "js",
    "pyodide",
    "pyodide_js",
    "_pyodide",
    "_pyodide_core",
    "micropip",
    "socket",
    "_socket",
    "ssl",
    "_ssl",
)
#: Modules that import by a name made at run time, which the build could not check.
IMPORTERS = ("importlib", "_imp", "_frozen_importlib", "_frozen_importlib_external", "builtins")
#: Built-in functions and modules that run code made from text (or from bytes).
CODE_FROM_TEXT = ("exec", "eval", "compile", "breakpoint")
CODE_MODULES = ("codeop", "marshal")
#: Names and attributes that reach modules the build never saw imported: ``__import__``,
#: ``__builtins__``, ``().__class__.__subclasses__()``, a function's ``__globals__``.
HIDDEN_IMPORTS = ("__import__", "__builtins__", "__loader__", "__spec__", "__subclasses__", "__globals__")

_NO_BROWSER = (
    "an extension cannot reach the browser or the network (JavaScript, Pyodide's loaders, "
    "sockets): it reads the result and the answers and returns notes, nothing more"
)
_NO_CODE_FROM_TEXT = "an extension may not run code made from text (the build could not check it)"
_NO_HIDDEN_IMPORT = (
    "an extension imports a module only with an import statement, which the build checks "
    "(write 'import <module>' at the top)"
)


def check_imports(source: str, filename: str, available: Collection[str]) -> None:
    """Every module an extension imports must be one the scorer has in the browser, imported by
    an ``import`` statement the build can read.

    Also refused, the first one by line: the browser's own modules and sockets (``js``,
    ``pyodide``, ``socket``, ...), the importers (``importlib``, ``__import__``, ``builtins``),
    code made from text (``exec``, ``eval``, ``compile``, ``marshal``) and the usual ways around
    an import (``__builtins__``, ``__subclasses__``, ``sys.modules``). This is a reviewer's
    check, not a sandbox: whatever gets past it still runs in a scorer that has no network once
    Python has started.
    """
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as error:
        raise QuizError(filename, error.lineno, (), f"syntax error: {error.msg}") from None
    found = [
        (getattr(node, "lineno", 0), problem)
        for node in ast.walk(tree)
        if (problem := _import_problem(node, available))
    ]
    if found:
        line, problem = min(found, key=lambda entry: entry[0])
        raise QuizError(filename, line, (), problem)


def _import_problem(node: ast.AST, available: Collection[str]) -> str | None:
    """What :func:`check_imports` refuses in one node of an extension, or None."""
    name = node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None
    if isinstance(node, ast.Name) and name in CODE_FROM_TEXT:
        return f"{name}: {_NO_CODE_FROM_TEXT}"
    if name in HIDDEN_IMPORTS:
        return f"{name}: {_NO_HIDDEN_IMPORT}"
    if isinstance(node, ast.Attribute) and name == "modules" and ast.unparse(node.value) == "sys":
        return f"sys.modules: {_NO_HIDDEN_IMPORT}"
    if (
        isinstance(node, ast.ImportFrom)
        and node.module == "sys"
        and "modules" in {a.name for a in node.names}
    ):
        return f"from sys import modules: {_NO_HIDDEN_IMPORT}"
    if isinstance(node, ast.Import):
        modules = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        modules = [node.module]
    else:
        return None
    for module in modules:
        root = module.split(".")[0]
        if root in BROWSER_BRIDGES:
            return f"import {module}: {_NO_BROWSER}"
        if root in IMPORTERS:
            return f"import {module}: {_NO_HIDDEN_IMPORT}"
        if root in CODE_MODULES:
            return f"import {module}: {_NO_CODE_FROM_TEXT}"
        if module not in available:
            return (
                f"import {module}: the scorer in the browser has no such module (it runs the standard "
                "library trimmed to what quizzes use, with no other packages)"
            )
    return None


class HelpPanels(Protocol):
    """What a quiz needs of the guide's help data (:class:`brickbybrick.helpfile.HelpData`)."""

    @property
    def filename(self) -> str: ...

    @property
    def page(self) -> str: ...

    @property
    def default_panel(self) -> str: ...

    def panel_spec(self, panel_id: str) -> engine.HelpSpec | None: ...


def load_quiz(
    path: Path,
    *,
    display_name: str | None = None,
    check_page: PageResolver | None = None,
    help_data: HelpPanels | None = None,
    require_help: bool = False,
    available_modules: Collection[str] | None = None,
    messages: Mapping[str, str] | None = None,
) -> engine.Spec:
    """Read, validate and convert one quiz file into a JSON-able engine spec.

    ``messages`` are the scorer's words in the guide's language (English by default).

    A quiz with critical items shows the guide's help (``help_data``) when one is answered;
    with ``require_help`` (the site build) such a quiz without help data is an error. With
    ``available_modules`` (the site build) an extension may import only those modules: what the
    scorer's trimmed standard library in the browser holds.
    """
    filename = display_name or str(path)
    doc = read_yaml(path, filename)
    quiz = QUIZ(doc.data, (), doc)

    if quiz["id"] != path.stem:
        raise doc.error(("id",), f"{quiz['id']!r} must match the file name {path.stem!r}")
    for name, scale in quiz["scales"].items():
        values = [point["value"] for point in scale["points"]]
        if len(set(values)) != len(values):
            raise doc.error(("scales", name, "points"), f"values must be unique, got {values}")
    subscales = quiz.get("subscales", [])
    _check_unique(doc, subscales, ("subscales",), "subscale")
    _check_unique(doc, quiz["items"], ("items",), "item")
    subscale_ids = [sub["id"] for sub in subscales]
    for index, item in enumerate(quiz["items"]):
        here = ("items", index)
        if item["scale"] not in quiz["scales"]:
            raise doc.error(
                (*here, "scale"), f"{item['scale']!r} is not a scale {_one_of(item['scale'], quiz['scales'])}"
            )
        if "subscale" not in item and subscales:
            raise doc.error(
                here,
                f"missing required key '{format_path((*here, 'subscale'))}' "
                "(in a quiz with subscales every item belongs to one)",
            )
        if "subscale" in item and not subscales:
            raise doc.error(
                (*here, "subscale"),
                f"{item['subscale']!r} is not a subscale (this quiz has none: declare subscales, "
                "or leave subscale out of every item for a single score)",
            )
        if "subscale" in item and item["subscale"] not in subscale_ids:
            raise doc.error(
                (*here, "subscale"),
                f"{item['subscale']!r} is not a subscale {_one_of(item['subscale'], subscale_ids)}",
            )
        if "critical" in item:
            ((rule, threshold),) = item["critical"].items()
            values = [point["value"] for point in quiz["scales"][item["scale"]]["points"]]
            if threshold not in values:
                raise doc.error(
                    (*here, "critical", rule),
                    f"{threshold} is not a value of scale {item['scale']!r} (expected one of: {', '.join(map(str, values))})",
                )
    critical_subscales = {item.get("subscale") for item in quiz["items"] if "critical" in item}
    groups = {"overall": quiz["items"]}
    unit: engine.Figure = quiz.get("scoring", {}).get("bands_on", "percent")
    for index, sub in enumerate(subscales):
        groups[sub["id"]] = [item for item in quiz["items"] if item.get("subscale") == sub["id"]]
        if not groups[sub["id"]]:
            raise doc.error(("subscales", index, "id"), f"subscale {sub['id']!r} has no items")
        if "critical" in sub:
            _check_pattern(doc, quiz, sub["critical"], groups[sub["id"]], ("subscales", index, "critical"))
            critical_subscales.add(sub["id"])
        if "if_critical" in sub and sub["id"] not in critical_subscales:
            raise doc.error(
                ("subscales", index, "if_critical"),
                f"never shown: no item of subscale {sub['id']!r} has a critical answer (and it has no pattern)",
            )
        _check_bands(
            doc, sub["bands"], ("subscales", index, "bands"), _score_range(quiz, groups[sub["id"]], unit)
        )
    if "critical" in quiz["overall"]:
        _check_pattern(doc, quiz, quiz["overall"]["critical"], quiz["items"], ("overall", "critical"))
    has_critical = (
        any("critical" in item for item in quiz["items"])
        or "critical" in quiz["overall"]
        or any("critical" in sub for sub in subscales)
    )
    _check_bands(doc, quiz["overall"]["bands"], ("overall", "bands"), _score_range(quiz, quiz["items"], unit))
    if "if_critical" in quiz["overall"] and not has_critical:
        raise doc.error(("overall", "if_critical"), "never shown: no item of this quiz has a critical answer")
    _check_scoring(doc, quiz, groups)
    for index, rec in enumerate(quiz.get("recommendations", [])):
        here = ("recommendations", index)
        if rec.get("critical") == "only" and not has_critical:
            raise doc.error((*here, "critical"), "never shown: no item of this quiz has a critical answer")
        if rec["subscale"] != "overall" and rec["subscale"] not in subscale_ids:
            raise doc.error(
                (*here, "subscale"),
                f"{rec['subscale']!r} is not a subscale {_one_of(rec['subscale'], ['overall', *subscale_ids])}",
            )
        if "below" in rec:
            span = _score_range(quiz, groups[rec["subscale"]], unit)
            _check_below(doc, rec["below"], (*here, "below"), span, rec["subscale"])
        if check_page is not None and (problem := check_page(rec["page"])):
            raise doc.error((*here, "page"), problem)

    help_spec = _help_spec(doc, quiz, has_critical, help_data, require_help)
    if "extension_texts" in quiz and "extension" not in quiz:
        raise doc.error(("extension_texts",), "texts for an extension, but the quiz names no extension")
    extension: engine.ExtensionSpec | None = None
    if "extension" in quiz:
        ext_path = path.parent / quiz["extension"]
        if ext_path.suffix != ".py" or ext_path.parent != path.parent or not ext_path.is_file():
            raise doc.error(("extension",), f"{quiz['extension']!r} is not a Python file beside {path.name}")
        texts = {str(key): value for key, value in (quiz.get("extension_texts") or {}).items()}
        extension = {
            "filename": quiz["extension"],
            "source": ext_path.read_text(encoding="utf-8"),
            "texts": texts,
        }
        if available_modules is not None:
            ext_name = str(Path(filename).parent / quiz["extension"])
            check_imports(extension["source"], ext_name, available_modules)

    try:
        intro_html = markdown_to_html(quiz["intro"]) if "intro" in quiz else ""
    except ValueError as error:
        raise doc.error(("intro",), str(error)) from None
    spec: engine.Spec = {
        "id": quiz["id"],
        "title": quiz["title"],
        "intro_html": intro_html,
        "scales": quiz["scales"],
        "subscales": [
            {
                "id": sub["id"],
                "label": sub["label"],
                "bands": _render_bands(doc, sub["bands"], ("subscales", index, "bands")),
                "if_critical": _replacement(doc, sub.get("if_critical"), ("subscales", index, "if_critical")),
                "focus": sub.get("focus", True),
                "critical": sub.get("critical"),
            }
            for index, sub in enumerate(subscales)
        ],
        "items": [
            {
                "id": item["id"],
                "text": item["text"],
                "scale": item["scale"],
                "subscale": item.get("subscale"),
                "reverse": item.get("reverse", False),
                "critical": item.get("critical"),
            }
            for item in quiz["items"]
        ],
        "overall": {
            "label": quiz["overall"]["label"],
            "bands": _render_bands(doc, quiz["overall"]["bands"], ("overall", "bands")),
            "if_critical": _replacement(doc, quiz["overall"].get("if_critical"), ("overall", "if_critical")),
            "critical": quiz["overall"].get("critical"),
        },
        "recommendations": [
            {
                "subscale": rec["subscale"],
                "text": rec["text"],
                "page": rec["page"],
                "below": rec.get("below"),
                "critical": rec.get("critical", "hide"),
            }
            for rec in quiz.get("recommendations", [])
        ],
        "help": help_spec,
        "extension": extension,
        "messages": dict(messages) if messages is not None else english_messages(),
        "scoring": {
            "show": quiz.get("scoring", {}).get("show", list(engine.DEFAULT_SCORING["show"])),
            "bands_on": unit,
            "missing": quiz.get("scoring", {}).get("missing", 0),
        },
    }
    if check_page is not None:
        check_text_links(doc, spec, check_page)
    _try_scoring(spec, doc)
    return spec


def html_texts(spec: engine.Spec) -> list[tuple[KeyPath, str]]:
    """Every text of a spec rendered from the author's Markdown, with the key it came from."""
    texts: list[tuple[KeyPath, str]] = [(("intro",), spec["intro_html"])]
    scopes: list[tuple[KeyPath, engine.SubscaleSpec | engine.OverallSpec]] = [
        (("subscales", index), sub) for index, sub in enumerate(spec["subscales"])
    ]
    scopes.append((("overall",), spec["overall"]))
    for path, scope in scopes:
        texts += [
            ((*path, "bands", index, "feedback"), band["feedback_html"])
            for index, band in enumerate(scope["bands"])
        ]
        if scope["if_critical"] is not None:
            texts.append(((*path, "if_critical", "feedback"), scope["if_critical"]["feedback_html"]))
    return texts


def check_links(doc: Located, html_text: str, path: KeyPath, check_page: PageResolver) -> None:
    """A link to a chapter (``page.md#anchor``) in an author's Markdown must reach a heading that exists."""
    for match in PAGE_LINK.finditer(html_text):
        target = html.unescape(match["target"])
        if problem := check_page(target):
            raise doc.error(path, f"link {target!r}: {problem}")


def check_text_links(doc: Located, spec: engine.Spec, check_page: PageResolver) -> None:
    """Every chapter link in a quiz's texts reaches a heading that exists."""
    for path, text in html_texts(spec):
        check_links(doc, text, path, check_page)


def english_messages() -> dict[str, str]:
    """The scorer's words in English, from the catalogue."""
    return catalogue.load(catalogue.BASE).subset(catalogue.ENGINE_PREFIXES)


def _check_pattern(
    doc: Located, quiz: dict[str, Any], rule: dict[str, int], items: list[dict[str, Any]], path: KeyPath
) -> None:
    """A pattern counts answers of its own items: at most that many, at a value every item can take."""
    if not 1 <= rule["count"] <= len(items):
        raise doc.error(
            (*path, "count"),
            f"expected 1 to {len(items)} (the number of items it counts), got {rule['count']}",
        )
    ((key, threshold),) = ((key, value) for key, value in rule.items() if key != "count")
    for item in items:
        values = [point["value"] for point in quiz["scales"][item["scale"]]["points"]]
        if threshold not in values:
            raise doc.error(
                (*path, key),
                f"{threshold} is not a value of scale {item['scale']!r} of item {item['id']!r} "
                f"(expected one of: {', '.join(map(str, values))})",
            )


def _replacement(doc: Located, entry: dict[str, str] | None, path: KeyPath) -> engine.Replacement | None:
    if entry is None:
        return None
    try:
        feedback_html = markdown_to_html(entry["feedback"])
    except ValueError as error:
        raise doc.error((*path, "feedback"), str(error)) from None
    return {"heading": entry["heading"], "feedback_html": feedback_html}


def _help_spec(
    doc: Located,
    quiz: dict[str, Any],
    has_critical: bool,
    help_data: HelpPanels | None,
    require_help: bool,
) -> engine.HelpSpec | None:
    """The help a critical answer shows: the quiz's ``help`` panel, or the guide's first one."""
    if "help" in quiz and not has_critical:
        raise doc.error(("help",), "never shown: no item of this quiz has a critical answer")
    if not has_critical:
        return None
    if help_data is None:
        if require_help:
            first: KeyPath = next(
                (
                    ("items", index, "critical")
                    for index, item in enumerate(quiz["items"])
                    if "critical" in item
                ),
                ("overall", "critical") if "critical" in quiz["overall"] else ("subscales",),
            )
            raise doc.error(
                first,
                "a critical answer needs help to point to: add help.yml beside mkdocs.yml (see the README)",
            )
        return None
    panel_id = quiz.get("help", help_data.default_panel)
    panel = help_data.panel_spec(panel_id)
    if panel is None:
        raise doc.error(("help",), f"{panel_id!r} is not a panel of {help_data.filename}")
    return panel


def _try_scoring(spec: engine.Spec, doc: Located) -> None:
    """Score the lowest and the highest answers once, so an extension's bugs fail the build."""
    for pick in (min, max):
        answers = {
            item["id"]: pick(point["value"] for point in spec["scales"][item["scale"]]["points"])
            for item in spec["items"]
        }
        sample: engine.Spec = {
            **spec,
            "recommendations": [{**rec, "href": ""} for rec in spec["recommendations"]],
        }
        try:
            engine.score(sample, answers)
        except (Exception, SystemExit) as error:  # noqa: BLE001 - any failure of the author's module is reported
            raise doc.error(
                ("extension",), f"scoring a sample failed: {type(error).__name__}: {error}"
            ) from None


def load_quizzes(
    directory: Path,
    *,
    root: Path | None = None,
    check_page: PageResolver | None = None,
    help_data: HelpPanels | None = None,
    require_help: bool = False,
    available_modules: Collection[str] | None = None,
    messages: Mapping[str, str] | None = None,
) -> dict[str, engine.Spec]:
    """Load every ``*.yml`` quiz in ``directory``; names in errors are relative to ``root``."""
    quizzes: dict[str, engine.Spec] = {}
    for path in sorted(directory.glob("*.yml")):
        display = str(path.relative_to(root)) if root else str(path)
        spec = load_quiz(
            path,
            display_name=display,
            check_page=check_page,
            help_data=help_data,
            require_help=require_help,
            available_modules=available_modules,
            messages=messages,
        )
        quizzes[spec["id"]] = spec
    return quizzes
