"""Worksheet files (``worksheets/<id>.yml``): a printable form defined in data, placed in any page
with ``{{ worksheet("id") }}``.

Build-time only (needs PyYAML and Markdown). Read and checked like a quiz file, with the same
located errors (``worksheets/plan.yml:12: sections[2].lines: expected ...``; an unknown key is an
error), then written as one HTML block: on screen a form (fields switched off until the page's
scripts run), on paper a worksheet (empty fields as ruled lines, filled ones with their whole
text). Every string from the file is escaped; Markdown texts have raw HTML turned off.

The markup's hooks for ``worksheet.js`` and ``worksheet.css`` are written here and nowhere else
(:data:`HOOKS` lists the ``data-ws-*`` attributes; a test checks that the script uses no other).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import markdown

from brickbybrick import catalogue, contract
from brickbybrick.quizfile import (
    KeyPath,
    ListOf,
    Located,
    Obj,
    PageResolver,
    QuizError,
    boolean,
    check_links,
    ident,
    integer,
    markdown_to_html,
    one_of,
    read_yaml,
    text,
)
from brickbybrick.render import relative_links

__all__ = [
    "HOOKS",
    "PAPERS",
    "Paper",
    "Worksheet",
    "WorksheetLinks",
    "load_worksheet",
    "load_worksheets",
    "paper_order",
    "render_worksheet",
]

#: Every ``data-ws-*`` attribute the worksheet's markup carries for worksheet.js (declared, with
#: what each marks, in :mod:`brickbybrick.contract`).
HOOKS = tuple(f"data-{name}" for name in contract.ATTRIBUTES if name == "worksheet" or name.startswith("ws-"))


# --------------------------------------------------------------------------- paper


@dataclass(frozen=True)
class Paper:
    """A paper size the blank worksheet is printed in at build time."""

    name: str  # in file names and element ids: a4, letter
    width_in: float
    height_in: float


PAPERS = {"a4": Paper("a4", 210 / 25.4, 297 / 25.4), "letter": Paper("letter", 8.5, 11.0)}

#: Regions whose readers print on US Letter (the rest of the world prints on A4): the United
#: States and its territories, Canada, Mexico, and the countries of the Americas and Asia that
#: kept the North American size (Chile, Colombia, Costa Rica, the Dominican Republic, Guatemala,
#: Panama, the Philippines, Venezuela).
LETTER_REGIONS = frozenset({"US", "PR", "CA", "MX", "CL", "CO", "CR", "DO", "GT", "PA", "PH", "VE"})


def paper_order(language: str | None) -> tuple[str, str]:
    """Which blank PDF a reader of ``language`` (``en-US``, ``es_MX``, ``en``) most likely prints
    on, first: US Letter for a region in :data:`LETTER_REGIONS`, else A4 (a language without a
    region, ``en`` or ``es``, reads in many countries, most of which print on A4)."""
    parts = re.split(r"[-_]", language or "")
    region = next((part.upper() for part in parts[1:] if len(part) == 2 and part.isalpha()), "")
    return ("letter", "a4") if region in LETTER_REGIONS else ("a4", "letter")


# --------------------------------------------------------------------------- schema


def between(low: int, high: int) -> Callable[[Any, KeyPath, Located], int]:
    def check(value: Any, path: KeyPath, doc: Located) -> int:
        checked = integer(value, path, doc)
        if not low <= checked <= high:
            raise doc.error(path, f"expected a whole number from {low} to {high}, got {checked}")
        return checked

    return check


def _markdown(value: Any, path: KeyPath, doc: Located) -> str:
    """Markdown without raw HTML, its links checked (rendered by :func:`markdown_to_html`)."""
    source = text(value, path, doc)
    try:
        return markdown_to_html(source)
    except ValueError as error:
        raise doc.error(path, str(error)) from None


@functools.cache
def _intro_converter() -> markdown.Markdown:
    """Markdown for an intro: admonitions too (``!!! warning "Before you print"``), no raw HTML."""
    md = markdown.Markdown(extensions=["sane_lists", "admonition"], output_format="html")
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def _intro(value: Any, path: KeyPath, doc: Located) -> str:
    _markdown(value, path, doc)  # the same checks as every other text: links, images, raw HTML
    return _intro_converter().reset().convert(text(value, path, doc))


LINES = between(1, 30)
FIELD = Obj({"label": text, "lines": LINES})  # several fields: each has its own label
COLUMN = Obj(
    {"heading": text},
    {"kind": one_of("text", "number", "notes"), "min": integer, "max": integer},
)
TABLE = Obj(
    {"rows": between(1, 30), "columns": ListOf(COLUMN)},
    {"caption": text, "row_label": text},
)
SECTION = Obj(
    {"heading": text},
    {
        "prompt": _markdown,
        "print_note": _markdown,
        "numbered": boolean,
        "wide": boolean,
        "label": text,
        "lines": LINES,
        "fields": ListOf(FIELD),
        "focus_areas": between(1, 10),
        "checklist": ListOf(text),
        "checklist_label": text,
        "dates": ListOf(text),
        "signatures": ListOf(text),
        "table": TABLE,
    },
)
WORKSHEET = Obj({"id": ident, "title": text, "sections": ListOf(SECTION)}, {"intro": _intro})
#: What a reader can fill in: a section needs one of these.
FILLABLE = ("lines", "fields", "focus_areas", "checklist", "dates", "signatures", "table")


# --------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Field:
    label: str | None  # None: the section's heading names it
    lines: int


@dataclass(frozen=True)
class Column:
    heading: str
    kind: str  # text, number, notes
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True)
class Table:
    rows: int
    columns: tuple[Column, ...]
    caption: str | None
    row_label: str | None


@dataclass(frozen=True)
class Section:
    heading: str
    number: int | None
    wide: bool
    prompt_html: str
    print_note_html: str
    fields: tuple[Field, ...]
    focus_areas: int  # 0: not the focus-areas section
    checklist: tuple[str, ...]
    checklist_label: str | None
    dates: tuple[str, ...]
    signatures: tuple[str, ...]
    table: Table | None


@dataclass(frozen=True)
class Worksheet:
    id: str
    title: str
    intro_html: str
    sections: tuple[Section, ...]
    filename: str

    @property
    def focus_areas(self) -> bool:
        return any(section.focus_areas for section in self.sections)


def _section(doc: Located, entry: dict[str, Any], path: KeyPath, number: int | None) -> Section:
    if not any(key in entry for key in FILLABLE):
        raise doc.error(path, f"nothing to fill in: add one of {', '.join(FILLABLE)}")
    if "lines" in entry and "fields" in entry:
        raise doc.error(
            (*path, "fields"), "a section has either lines (one field) or fields (several), not both"
        )
    if "focus_areas" in entry and "fields" in entry:
        raise doc.error(
            (*path, "fields"), "the focus areas are one field: give it lines (and a label), not fields"
        )
    if "label" in entry and not ("lines" in entry or "focus_areas" in entry):
        raise doc.error((*path, "label"), "names the section's field: add lines (how many to write on)")
    if "checklist_label" in entry and "checklist" not in entry:
        raise doc.error((*path, "checklist_label"), "names a checklist: add checklist")
    fields: list[Field] = [Field(field.get("label"), field["lines"]) for field in entry.get("fields", [])]
    if "lines" in entry or "focus_areas" in entry:
        fields.append(Field(entry.get("label"), entry.get("lines", entry.get("focus_areas", 1))))
    table = entry.get("table")
    if table is not None:
        for index, column in enumerate(table["columns"]):
            where = (*path, "table", "columns", index)
            kind = column.get("kind", "text")
            for bound in ("min", "max"):
                if bound in column and kind != "number":
                    raise doc.error((*where, bound), "only a column of kind: number has a min and a max")
            if "min" in column and "max" in column and column["min"] >= column["max"]:
                raise doc.error(
                    (*where, "max"), f"expected more than min ({column['min']}), got {column['max']}"
                )
        table = Table(
            rows=table["rows"],
            columns=tuple(
                Column(column["heading"], column.get("kind", "text"), column.get("min"), column.get("max"))
                for column in table["columns"]
            ),
            caption=table.get("caption"),
            row_label=table.get("row_label"),
        )
    return Section(
        heading=entry["heading"],
        number=number,
        wide=entry.get("wide", False),
        prompt_html=entry.get("prompt", ""),
        print_note_html=entry.get("print_note", ""),
        fields=tuple(fields),
        focus_areas=entry.get("focus_areas", 0),
        checklist=tuple(entry.get("checklist", ())),
        checklist_label=entry.get("checklist_label"),
        dates=tuple(entry.get("dates", ())),
        signatures=tuple(entry.get("signatures", ())),
        table=table,
    )


def load_worksheet(
    path: Path, *, display_name: str | None = None, check_page: PageResolver | None = None
) -> Worksheet:
    """Read and check one worksheet file; every mistake is a :class:`QuizError` at its line."""
    filename = display_name or str(path)
    doc = read_yaml(path, filename)
    data = WORKSHEET(doc.data, (), doc)
    if data["id"] != path.stem:
        raise doc.error(("id",), f"{data['id']!r} must be the file's name ({path.stem!r}, from {path.name})")
    focus = [index for index, entry in enumerate(data["sections"]) if "focus_areas" in entry]
    if len(focus) > 1:
        raise doc.error(
            ("sections", focus[1], "focus_areas"),
            f"a worksheet has one focus-areas section (the first is sections[{focus[0]}])",
        )
    sections = []
    number = 0
    for index, entry in enumerate(data["sections"]):
        if entry.get("numbered"):
            number += 1
        sections.append(_section(doc, entry, ("sections", index), number if entry.get("numbered") else None))
    if check_page is not None:
        check_links(doc, data.get("intro", ""), ("intro",), check_page)
        for index, entry in enumerate(data["sections"]):
            for key in ("prompt", "print_note"):
                check_links(doc, entry.get(key, ""), ("sections", index, key), check_page)
    return Worksheet(
        id=data["id"],
        title=data["title"],
        intro_html=data.get("intro", ""),
        sections=tuple(sections),
        filename=filename,
    )


def load_worksheets(
    directory: Path, *, root: Path | None = None, check_page: PageResolver | None = None
) -> dict[str, Worksheet]:
    """Every ``*.yml`` worksheet in ``directory`` by id; a ``.yaml`` file is an error (only
    ``.yml`` is read, as for quizzes)."""
    sheets: dict[str, Worksheet] = {}
    if not directory.is_dir():
        return sheets
    for path in sorted(directory.glob("*.yaml")):
        display = str(path.relative_to(root)) if root else str(path)
        raise QuizError(
            display, None, (), f"only .yml worksheet files are read: rename it to {path.stem}.yml"
        )
    for path in sorted(directory.glob("*.yml")):
        display = str(path.relative_to(root)) if root else str(path)
        sheet = load_worksheet(path, display_name=display, check_page=check_page)
        sheets[sheet.id] = sheet
    return sheets


# --------------------------------------------------------------------------- HTML


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


@dataclass(frozen=True)
class WorksheetLinks:
    """Where the worksheet's page links to, as URLs relative to that page."""

    pdfs: tuple[tuple[str, str], ...]  # (paper name, href), the reader's likely size first
    help: str | None  # the guide's help page, for a quiz of this visit with a critical answer
    page: Callable[[str], str]  # page.md#anchor -> URL


def _prompt(html_text: str, css: str, href: Callable[[str], str]) -> str:
    """One paragraph as ``<p class=...>``, several in a ``<div class=...>``."""
    if not html_text:
        return ""
    html_text = relative_links(html_text, href)
    single = re.fullmatch(r"<p>(.*)</p>", html_text.strip(), re.DOTALL)
    if single and "<p>" not in single[1]:
        return f'<p class="{css}">{single[1]}</p>'
    return f'<div class="{css}">{html_text}</div>'


class _Writer:
    """Writes one worksheet's markup; ``ids`` start with ``ws-<worksheet id>``."""

    def __init__(
        self, sheet: Worksheet, words: catalogue.Catalogue, links: WorksheetLinks, level: int, instant: bool
    ) -> None:
        self.sheet = sheet
        self.words = words
        self.links = links
        self.level = level
        self.instant = instant
        self.base = f"ws-{sheet.id}"

    def t(self, key: str, **values: object) -> str:
        return _e(self.words.text(key, **values))

    def sheet_html(self) -> str:
        sheet = self.sheet
        papers = "".join(
            f'<span class="bb-ws-paper bb-ws-paper--{name}" id="{self.base}-{name}" hidden></span>'
            for name in PAPERS
        )
        downloads = "".join(
            f'<a class="md-button" href="{_e(href)}" download>{self.t(f"worksheet.download_{name}")}</a>'
            for name, href in self.links.pdfs
        )
        intro = (
            f'<div class="bb-ws-screen bb-ws__intro">{relative_links(sheet.intro_html, self.links.page)}</div>'
            if sheet.intro_html
            else ""
        )
        sections = "".join(self.section(index, section) for index, section in enumerate(sheet.sections, 1))
        return (
            f'<div class="bb-sheet" id="{self.base}" data-ws-sheet>{papers}'
            f'<p class="bb-sheet__title">{_e(sheet.title)}</p>'
            f"{intro}"
            f'<p class="bb-ws-screen bb-ws__notice">{self.t("worksheet.notice")}</p>'
            '<div class="bb-ws-tools bb-ws-screen">'
            '<button type="button" class="md-button md-button--primary" data-ws-print hidden>'
            f"{self.t('worksheet.print')}</button>{downloads}</div>"
            # method=dialog outside a <dialog>: submitting does nothing, even without script (the
            # CSP also says form-action 'none'). No name attributes, autocomplete off, spellcheck
            # off (browsers' cloud spell-checkers would send the text away).
            f'<form class="bb-ws" id="{self.base}-form" method="dialog" autocomplete="off" '
            f'aria-label="{_e(sheet.title)}" data-worksheet>'
            f"{sections}"
            '<div class="bb-ws-screen bb-ws-tools">'
            f'<button type="reset" class="md-button">{self.t("worksheet.reset")}</button></div>'
            "</form></div>"
        )

    def section(self, index: int, section: Section) -> str:
        sid = f"{self.base}-{index}"
        level = self.level
        number = f'<span class="bb-ws__num">{section.number}</span> ' if section.number is not None else ""
        title = f'<h{level} class="bb-ws__title" id="{sid}">{number}{_e(section.heading)}</h{level}>'
        body = (
            _prompt(section.prompt_html, "bb-ws__prompt", self.links.page)
            + _prompt(section.print_note_html, "bb-ws__print-note", self.links.page)
            + (self.focus_tools(section) if section.focus_areas else "")
            + "".join(self.field(sid, k, field) for k, field in enumerate(section.fields, 1))
            + (self.table(sid, section.table) if section.table else "")
            + self.line_fields(sid, "date", section.dates)
            + self.line_fields(sid, "sign", section.signatures)
            + (self.checklist(sid, section) if section.checklist else "")
        )
        wide = " bb-ws__step--wide" if section.wide else ""
        if section.focus_areas:
            return (
                f'<section class="bb-ws__focus{wide}" aria-labelledby="{sid}" '
                f'data-ws-focus="{section.focus_areas}">{title}{body}</section>'
            )
        return f'<fieldset class="bb-ws__step{wide}"><legend class="bb-ws__legend">{title}</legend>{body}</fieldset>'

    def focus_tools(self, section: Section) -> str:
        help_link = (
            f' <a href="{_e(self.links.help)}">{self.t("help.link")}</a>'
            if self.links.help is not None
            else ""
        )
        before, _, after = self.words.messages["worksheet.danger"].partition("{quizzes}")
        only_here = (
            ""
            if self.instant
            else f'<p class="bb-ws-screen bb-ws__focus-note">{self.t("worksheet.this_page_only")}</p>'
        )
        return (
            f"{only_here}"
            '<div class="bb-ws-screen bb-ws__focus-tools" data-ws-focus-tools hidden>'
            '<p class="bb-ws__focus-offer" data-ws-focus-offer></p>'
            f'<p class="bb-ws__focus-help" data-ws-focus-help hidden>{_e(before)}'
            f"<span data-ws-focus-help-quizzes></span>{_e(after)}{help_link}</p>"
            '<div class="bb-ws__focus-buttons">'
            f'<button type="button" class="md-button md-button--primary" data-ws-focus-fill>{self.t("worksheet.fill")}</button>'
            f'<button type="button" class="md-button" data-ws-focus-clear>{self.t("worksheet.clear_focus")}</button>'
            "</div></div>"
            '<p class="bb-ws-screen bb-ws__status" role="status" data-ws-focus-status></p>'
        )

    def field(self, sid: str, k: int, field: Field) -> str:
        fid = f"{sid}-text-{k}"
        if field.label is None:
            label, named = "", f'aria-labelledby="{sid}"'
        else:
            label, named = f'<label class="bb-ws__label" for="{fid}">{_e(field.label)}</label>', ""
        lines = "<span></span>" * field.lines
        return (
            f'<div class="bb-ws__field" data-ws-field>{label}'
            f'<textarea class="bb-ws__text" id="{fid}" rows="{field.lines}" placeholder=" " spellcheck="false" '
            f"{named} data-ws-text></textarea>"
            '<div class="bb-ws__mirror" aria-hidden="true" data-ws-mirror></div>'
            f'<div class="bb-ws__lines" aria-hidden="true">{lines}</div></div>'
        )

    def line_fields(self, sid: str, kind: str, labels: Iterable[str]) -> str:
        items = "".join(
            f'<label class="bb-ws__date bb-ws__date--{kind}" for="{sid}-{kind}-{k}"><span>{_e(label)}</span> '
            f'<input type="text" id="{sid}-{kind}-{k}" spellcheck="false"></label>'
            for k, label in enumerate(labels, 1)
        )
        return f'<div class="bb-ws__dates">{items}</div>' if items else ""

    def checklist(self, sid: str, section: Section) -> str:
        boxes = "".join(
            f'<label class="bb-ws__check" for="{sid}-check-{k}"><input type="checkbox" id="{sid}-check-{k}">'
            '<span class="bb-ws__box" aria-hidden="true"><span class="bb-ws__tick">✓</span></span>'
            f'<span class="bb-ws__check-text">{_e(item)}</span></label>'
            for k, item in enumerate(section.checklist, 1)
        )
        legend = (
            f'<legend class="bb-ws__commit-legend">{_e(section.checklist_label)}</legend>'
            if section.checklist_label
            else ""
        )
        return f'<fieldset class="bb-ws__commitments">{legend}{boxes}</fieldset>'

    def table(self, sid: str, table: Table) -> str:
        row_label = table.row_label or ""
        head = '<th scope="col" class="bb-ws__checkin-n">' + (
            f'<span class="bb-ws__sr">{_e(row_label)}</span></th>' if row_label else "</th>"
        )
        head += "".join(
            f'<th scope="col" id="{sid}-col-{c}" class="bb-ws__col--{column.kind}">{_e(column.heading)}</th>'
            for c, column in enumerate(table.columns, 1)
        )
        rows = []
        for r in range(1, table.rows + 1):
            rid = f"{sid}-row-{r}"
            sr = f'<span class="bb-ws__sr">{_e(row_label)} </span>' if row_label else ""
            cells = "".join(self.cell(sid, rid, r, c, column) for c, column in enumerate(table.columns, 1))
            rows.append(f'<tr><th scope="row" id="{rid}" class="bb-ws__checkin-n">{sr}{r}</th>{cells}</tr>')
        caption = f'<caption class="bb-ws__sr">{_e(table.caption)}</caption>' if table.caption else ""
        return (
            f'<table class="bb-ws__checkin">{caption}<thead><tr>{head}</tr></thead>'
            f"<tbody>{''.join(rows)}</tbody></table>"
        )

    def cell(self, sid: str, rid: str, r: int, c: int, column: Column) -> str:
        cid = f"{sid}-r{r}-c{c}"
        named = f'aria-labelledby="{rid} {sid}-col-{c}"'
        if column.kind == "notes":
            return (
                f'<td data-ws-field><textarea class="bb-ws__text bb-ws__text--cell" id="{cid}" rows="1" '
                f'placeholder=" " spellcheck="false" {named} data-ws-text></textarea>'
                '<div class="bb-ws__mirror" aria-hidden="true" data-ws-mirror></div></td>'
            )
        if column.kind == "number":
            bounds = "".join(
                f' {name}="{value}"'
                for name, value in (("min", column.min), ("max", column.max))
                if value is not None
            )
            return f'<td><input type="number" id="{cid}"{bounds} step="1" inputmode="numeric" {named}></td>'
        return f'<td><input type="text" id="{cid}" spellcheck="false" {named}></td>'


def render_worksheet(
    sheet: Worksheet,
    *,
    words: catalogue.Catalogue,
    links: WorksheetLinks,
    heading_level: int = 2,
    instant: bool = True,
) -> str:
    """The worksheet as one HTML block for a page.

    ``heading_level`` is its sections' heading level (one below the page's heading above the
    call); ``instant`` says whether this visit's results can reach the page from the guide's
    other pages (Material's ``navigation.instant``): without it the focus-areas section says that
    only quizzes taken on this page can fill it.
    """
    return _Writer(sheet, words, links, min(max(heading_level, 2), 6), instant).sheet_html()
