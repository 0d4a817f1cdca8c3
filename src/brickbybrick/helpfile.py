"""The guide's help data (``help.yml``): one source for the help page and the in-quiz help panel.

Build-time only. The file lists sections of help lines (each with the page it was checked
against, the date that page shows and the day it was checked) and *panels*: what a quiz shows
when an answer is critical (the alert opening the result and the form's help panel). Errors are
:class:`~brickbybrick.quizfile.QuizError`, located by file, line and key path like every quiz
error. Every string is escaped on output.
"""

from __future__ import annotations

import datetime
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from brickbybrick import catalogue
from brickbybrick.engine import HelpSpec
from brickbybrick.quizfile import (
    ListOf,
    Located,
    Obj,
    ident,
    markdown_to_html,
    read_yaml,
    text,
)

__all__ = ["HelpData", "Panel", "load_help", "render_directory", "render_lines"]

PHONE = re.compile(r"^[0-9A-Z+()\- .]+$")


def phone(value: Any, path: tuple[str | int, ...], doc: Located) -> str:
    checked = text(value, path, doc)
    if not PHONE.match(checked) or not re.search(r"\d", checked):
        raise doc.error(path, f"{checked!r} is not a phone number (digits, spaces, + - . ( ) only)")
    return checked


def url(value: Any, path: tuple[str | int, ...], doc: Located) -> str:
    checked = text(value, path, doc)
    if not checked.startswith("https://"):
        raise doc.error(path, f"expected an https:// address, got {checked!r}")
    return checked


DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
UNDATED = "undated"
KEYWORD = re.compile(r"^[A-Za-z0-9]+$")


def _date_text(value: Any) -> Any:
    """Unquoted YAML dates and years arrive as ``date`` and ``int``: read them as the text written."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _valid_date(written: str) -> bool:
    match = DATE.match(written)
    if match is None:
        return False
    year, month, day_ = (int(part) if part else 1 for part in match.groups())
    try:
        datetime.date(year, month, day_)
    except ValueError:
        return False
    return True


def day(value: Any, path: tuple[str | int, ...], doc: Located) -> str:
    """A calendar day, ``YYYY-MM-DD`` (the day a line was checked)."""
    written = text(_date_text(value), path, doc)
    if not (_valid_date(written) and len(written) == 10):
        raise doc.error(path, f"{written!r} is not a date (expected YYYY-MM-DD)")
    return written


def page_date(value: Any, path: tuple[str | int, ...], doc: Located) -> str:
    """The date a source page shows: ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``, or ``undated``."""
    written = text(_date_text(value), path, doc)
    if written != UNDATED and not _valid_date(written):
        raise doc.error(path, f"{written!r} is not a date (expected YYYY-MM-DD, YYYY-MM, YYYY or {UNDATED})")
    return written


def keyword(value: Any, path: tuple[str | int, ...], doc: Located) -> str:
    checked = text(value, path, doc)
    if not KEYWORD.match(checked):
        raise doc.error(path, f"{checked!r} is not one word to text (letters and digits only)")
    return checked


def _site(address: str) -> str:
    host = (urlsplit(address).hostname or "").lower()
    return host.removeprefix("www.")


LINE = Obj(
    {"name": text, "source": url, "source_date": page_date, "checked": day},
    {
        "for": text,
        "phone": phone,
        "text": phone,
        "keyword": keyword,
        "chat": url,
        "web": url,
        "hours": text,
        "note": text,
    },
)
SECTION = Obj({"id": ident, "heading": text, "lines": ListOf(LINE)}, {"intro": text})
PANEL = Obj({"alert": text, "intro": text, "sections": ListOf(ident)}, {"link": text})


@dataclass(frozen=True)
class Panel:
    """What a quiz shows for a critical answer: the result's alert and the form's help panel."""

    id: str
    alert_html: str
    intro_html: str
    link_text: str
    sections: tuple[str, ...]


@dataclass(frozen=True)
class HelpData:
    filename: str
    page: str
    sections: dict[str, dict[str, Any]]
    panels: dict[str, Panel]
    words: catalogue.Catalogue  # the plugin's own words around the lines ("Call", "Chat online")

    @property
    def default_panel(self) -> str:
        return next(iter(self.panels))

    def panel_spec(self, panel_id: str) -> HelpSpec | None:
        """The part of a panel the engine needs (the result's alert), or None for no such panel."""
        panel = self.panels.get(panel_id)
        if panel is None:
            return None
        return {
            "panel": panel.id,
            "alert_html": panel.alert_html,
            "link_text": panel.link_text,
            "page": self.page,
        }


def _markdown(doc: Located, path: tuple[str | int, ...], source: str, *, links: bool = True) -> str:
    try:
        rendered = markdown_to_html(source)
    except ValueError as error:
        raise doc.error(path, str(error)) from None
    if not links and "<a " in rendered:
        raise doc.error(path, "no links here: the help page link comes first, added by the engine")
    return rendered


def _check_line(doc: Located, here: tuple[str | int, ...], line: dict[str, Any]) -> None:
    """What one key cannot check alone: the page's date against the day, a keyword's number, chat's site."""
    if line["source_date"] != UNDATED and line["source_date"] > line["checked"]:
        raise doc.error(
            (*here, "source_date"),
            f"{line['source_date']!r} is after the day the line was checked ({line['checked']})",
        )
    if "keyword" in line and "text" not in line:
        raise doc.error((*here, "keyword"), "a keyword needs the number to text it to (text)")
    if "chat" in line:
        if "web" not in line:
            raise doc.error((*here, "chat"), "chat needs the service's own site (web) to check it against")
        chat, web = _site(line["chat"]), _site(line["web"])
        if not (chat == web or chat.endswith("." + web)):
            raise doc.error((*here, "chat"), f"{chat!r} is not on the service's own site ({web})")


def load_help(
    path: Path, *, display_name: str | None = None, words: catalogue.Catalogue | None = None
) -> HelpData:
    """Read and validate ``help.yml``; ``words`` are the guide's catalogue (English by default)."""
    words = words or catalogue.load(catalogue.BASE)
    filename = display_name or str(path)
    doc = read_yaml(path, filename)
    if not isinstance(doc.data, dict):
        raise doc.error((), "expected a mapping with page, sections and panels")
    raw_panels = doc.data.get("panels")
    if not isinstance(raw_panels, dict) or not raw_panels:
        raise doc.error(("panels",), "expected a non-empty mapping of panel id -> panel")
    schema = Obj(
        {"page": text, "sections": ListOf(SECTION), "panels": Obj({}, dict.fromkeys(raw_panels, PANEL))}
    )
    data = schema(doc.data, (), doc)
    sections: dict[str, dict[str, Any]] = {}
    for index, section in enumerate(data["sections"]):
        if section["id"] in sections:
            raise doc.error(("sections", index, "id"), f"duplicate section id {section['id']!r}")
        sections[section["id"]] = section
        for number, line in enumerate(section["lines"]):
            _check_line(doc, ("sections", index, "lines", number), line)
    panels: dict[str, Panel] = {}
    for panel_id, panel in data["panels"].items():
        here = ("panels", panel_id)
        ident(panel_id, here, doc)
        for index, section_id in enumerate(panel["sections"]):
            if section_id not in sections:
                raise doc.error(
                    (*here, "sections", index),
                    f"{section_id!r} is not a section (expected one of: {', '.join(sections)})",
                )
        panels[panel_id] = Panel(
            id=panel_id,
            alert_html=_markdown(doc, (*here, "alert"), panel["alert"], links=False),
            intro_html=_markdown(doc, (*here, "intro"), panel["intro"]),
            link_text=panel.get("link", words.text("help.link")),
            sections=tuple(panel["sections"]),
        )
    return HelpData(filename=filename, page=data["page"], sections=sections, panels=panels, words=words)


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _tel(number: str) -> str:
    return "tel:" + re.sub(r"[^0-9+]", "", number)


def _with_link(words: catalogue.Catalogue, key: str, link: str, **values: str) -> str:
    """A catalogue text with ``{number}`` as a link: escaped around it, the link left as it is."""
    marker = "\x00"
    text = _e(words.text(key, number=marker, **values))
    return text.replace(marker, link)


def _text_html(number: str, word: str | None, words: catalogue.Catalogue) -> str:
    """``Text HELP to 55500`` with an ``sms:`` link (the keyword filled in), or ``Text 55500``."""
    href = "sms:" + re.sub(r"[^0-9+]", "", number) + (f"?body={quote(word)}" if word else "")
    link = f'<a href="{_e(href)}">{_e(number)}</a>'
    if word:
        return _with_link(words, "help.text_keyword", link, keyword=word)
    return _with_link(words, "help.text", link)


def _line_html(line: dict[str, Any], words: catalogue.Catalogue) -> str:
    parts = [f'<li class="bb-helpline"><strong class="bb-helpline__name">{_e(line["name"])}</strong>']
    if "for" in line:
        parts.append(f' <span class="bb-helpline__for">({_e(line["for"])})</span>')
    details = []
    if "phone" in line:
        link = f'<a href="{_e(_tel(line["phone"]))}">{_e(line["phone"])}</a>'
        details.append(_with_link(words, "help.call", link))
    if "text" in line:
        details.append(_text_html(line["text"], line.get("keyword"), words))
    if "chat" in line:
        details.append(f'<a href="{_e(line["chat"])}" rel="noreferrer">{_e(words.text("help.chat"))}</a>')
    if "web" in line:
        shown = re.sub(r"^https://(www\.)?|/$", "", line["web"])
        details.append(f'<a href="{_e(line["web"])}" rel="noreferrer">{_e(shown)}</a>')
    if "hours" in line:
        details.append(_e(line["hours"]))
    if details:
        parts.append(": " + "; ".join(details) + ".")
    if "note" in line:
        parts.append(f" {_e(line['note'])}")
    parts.append("</li>")
    return "".join(parts)


def render_lines(section: dict[str, Any], words: catalogue.Catalogue) -> str:
    """One section's lines as an HTML list: the same markup on the help page and in panels."""
    return (
        '<ul class="bb-helplines">' + "".join(_line_html(line, words) for line in section["lines"]) + "</ul>"
    )


def render_directory(data: HelpData) -> str:
    """Every section, for the help page: Markdown headings (so they are in the page's contents)."""
    blocks = []
    for section in data.sections.values():
        block = f"### {_e(section['heading'])}\n\n"
        if "intro" in section:
            block += markdown_to_html(section["intro"]) + "\n\n"
        blocks.append(block + render_lines(section, data.words) + "\n")
    return "\n".join(blocks)


def render_panel(data: HelpData, panel_id: str, help_href: str) -> str:
    """The help panel of a quiz form, revealed (by CSS) when an answer is critical."""
    panel = data.panels[panel_id]
    parts = [
        f'<div class="bb-help" data-quiz-help role="note" aria-label="{_e(data.words.text("quiz.help_region"))}">',
        f'<p class="bb-help__link"><a href="{_e(help_href)}">{_e(panel.link_text)}</a></p>',
        panel.intro_html,
    ]
    for index, section_id in enumerate(panel.sections):
        section = data.sections[section_id]
        if index == 0:  # the panel's first section is open: in the guide, emergency numbers
            parts.append(
                f'<p class="bb-help__heading">{_e(section["heading"])}</p>{render_lines(section, data.words)}'
            )
        else:  # the rest one keypress each, so the form's buttons stay a few Tabs away
            parts.append(
                f'<details class="bb-help__section"><summary>{_e(section["heading"])}</summary>'
                f"{render_lines(section, data.words)}</details>"
            )
    parts.append("</div>")
    return "".join(parts)
