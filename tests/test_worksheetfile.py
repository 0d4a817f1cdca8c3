"""Worksheet files (worksheets/<id>.yml): checked like quizzes, written as a private, printable form."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from brickbybrick import catalogue
from brickbybrick.plugin.pages import page_checker
from brickbybrick.quizfile import QuizError
from brickbybrick.worksheetfile import (
    HOOKS,
    Worksheet,
    WorksheetLinks,
    load_worksheet,
    load_worksheets,
    render_worksheet,
)

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "src" / "brickbybrick" / "assets" / "javascripts" / "worksheet.js"
ENGLISH = catalogue.load("en")

# Every kind of section, so that the line numbers of the errors below stay put.
SAMPLE = """\
id: plan
title: My plan
intro: Fill it in, then print it. See [the chapter](index.md).
sections:
  - heading: My focus areas
    focus_areas: 2
  - heading: What I want to change
    prompt: Optional *Markdown* under the heading.
    print_note: Write it in pencil.
    numbered: true
    lines: 3
  - heading: Small steps
    numbered: true
    checklist_label: Small steps
    checklist: [Same bedtime every night, No screens after 10 pm]
  - heading: Our agreement
    wide: true
    fields:
      - {label: What we agree, lines: 2}
      - {label: What we leave out, lines: 1}
    dates: [Agreed on]
    signatures: [Me, My partner]
  - heading: Log
    table:
      caption: A log
      row_label: Night
      rows: 3
      columns:
        - heading: Date
        - {heading: Hours slept, kind: number, min: 0, max: 14}
        - {heading: Notes, kind: notes}
"""


def write(tmp_path: Path, text: str = SAMPLE, name: str = "plan") -> Path:
    directory = tmp_path / "worksheets"
    directory.mkdir(exist_ok=True)
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n\n## Sleep\n", encoding="utf-8")
    path = directory / f"{name}.yml"
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str = SAMPLE, name: str = "plan") -> Worksheet:
    path = write(tmp_path, text, name)
    return load_worksheet(
        path, display_name=f"worksheets/{name}.yml", check_page=page_checker(tmp_path / "docs")
    )


def render(sheet: Worksheet, *, instant: bool = True, level: int = 2) -> str:
    links = WorksheetLinks(
        pdfs=(("a4", "../worksheets/plan-a4.pdf"), ("letter", "../worksheets/plan-letter.pdf")),
        help="../help/",
        page=lambda target: "../" + target.replace(".md", "/"),
    )
    return render_worksheet(sheet, words=ENGLISH, links=links, heading_level=level, instant=instant)


def changed(old: str, new: str) -> str:
    assert old in SAMPLE, old
    return SAMPLE.replace(old, new, 1)


# --------------------------------------------------------------------------- the files


def test_the_guides_and_the_examples_worksheets_load() -> None:
    """This guide's action plan and the example guide's sleep plan are valid worksheet files."""
    guide = load_worksheets(ROOT / "worksheets", root=ROOT, check_page=page_checker(ROOT / "docs"))
    assert list(guide) == ["action-plan"]
    assert [s.number for s in guide["action-plan"].sections] == [None, 1, 2, 3, 4, 5, 6, 7, 8, None]
    example = ROOT / "examples" / "sleep-basics"
    sheets = load_worksheets(example / "worksheets", check_page=page_checker(example / "docs"))
    assert list(sheets) == ["sleep-plan"]
    assert sheets["sleep-plan"].focus_areas


def test_a_sample_with_every_kind_of_section_loads(tmp_path: Path) -> None:
    sheet = load(tmp_path)
    assert [s.number for s in sheet.sections] == [None, 1, 2, None, None]
    assert sheet.sections[0].focus_areas == 2
    assert sheet.sections[0].fields[0].lines == 2  # one line per focus area unless lines says
    assert sheet.sections[3].signatures == ("Me", "My partner")
    assert sheet.sections[4].table is not None
    assert "<em>Markdown</em>" in sheet.sections[1].prompt_html


# What is changed in the sample, and the error's start. fmt: off keeps one mistake a line.
# fmt: off
MISTAKES = [
    ("id: plan", "id: plan-b", "worksheets/plan.yml:1: id: 'plan-b' must be the file's name ('plan', from plan.yml)"),
    ("id: plan", "id: Plan", "worksheets/plan.yml:1: id: 'Plan' is not a valid id"),
    ("title: My plan\n", "", "worksheets/plan.yml:1: missing required key 'title'"),
    ("title: My plan", "title: My plan\ncolour: blue", "worksheets/plan.yml:3: colour: unknown key (expected one of: id, title, sections, intro)"),
    ("    lines: 3\n", "    lines: 3\n    colour: blue\n", "worksheets/plan.yml:12: sections[1].colour: unknown key"),
    ("    lines: 3\n", "    lines: 0\n", "worksheets/plan.yml:11: sections[1].lines: expected a whole number from 1 to 30, got 0"),
    ("    lines: 3\n", "    lines: three\n", "worksheets/plan.yml:11: sections[1].lines: expected a whole number, got text"),
    ("    lines: 3\n", "    lines: 3\n    fields: [{label: A, lines: 1}]\n", "worksheets/plan.yml:12: sections[1].fields: a section has either lines (one field) or fields (several), not both"),
    ("  - heading: Log\n", "  - heading: Empty\n  - heading: Log\n", "worksheets/plan.yml:23: sections[4]: nothing to fill in: add one of lines, fields, focus_areas, checklist, dates, signatures, table"),
    ("    numbered: true\n    checklist_label: Small steps\n", "    numbered: true\n    label: Steps\n    checklist_label: Small steps\n", "worksheets/plan.yml:14: sections[2].label: names the section's field: add lines (how many to write on)"),
    ("      - {label: What we leave out, lines: 1}", "      - {lines: 1}", "worksheets/plan.yml:20: sections[3].fields[1]: missing required key 'sections[3].fields[1].label'"),
    ("    focus_areas: 2\n", "    focus_areas: 2\n    fields: [{label: A, lines: 1}]\n", "worksheets/plan.yml:7: sections[0].fields: the focus areas are one field"),
    ("    lines: 3\n", "    lines: 3\n    focus_areas: 1\n", "worksheets/plan.yml:12: sections[1].focus_areas: a worksheet has one focus-areas section (the first is sections[0])"),
    ("    focus_areas: 2\n", "    focus_areas: 11\n", "worksheets/plan.yml:6: sections[0].focus_areas: expected a whole number from 1 to 10, got 11"),
    ("    checklist: [Same bedtime every night, No screens after 10 pm]\n", "    checklist: Same bedtime\n", "worksheets/plan.yml:15: sections[2].checklist: expected a list, got text"),
    ("        - heading: Date\n", "        - {heading: Date, min: 1}\n", "worksheets/plan.yml:29: sections[4].table.columns[0].min: only a column of kind: number has a min and a max"),
    ("min: 0, max: 14", "min: 14, max: 0", "worksheets/plan.yml:30: sections[4].table.columns[1].max: expected more than min (14), got 0"),
    ("kind: notes", "kind: essay", "worksheets/plan.yml:31: sections[4].table.columns[2].kind: expected one of: text, number, notes, got 'essay'"),
    ("      rows: 3\n", "      rows: 3\n      stripes: true\n", "worksheets/plan.yml:28: sections[4].table.stripes: unknown key"),
    ("See [the chapter](index.md)", "See [the chapter](index.md#nowhere)", "worksheets/plan.yml:3: intro: link 'index.md#nowhere': 'index.md' has no heading with the anchor '#nowhere'"),
    ("Write it in pencil.", "Write it [here](missing.md).", "worksheets/plan.yml:9: sections[1].print_note: link 'missing.md': 'missing.md' is not a page in docs/"),
    ("prompt: Optional *Markdown* under the heading.", 'prompt: "[Click](javascript:alert(1))"', "worksheets/plan.yml:8: sections[1].prompt: link 'javascript:alert(1)' uses a scheme other than"),
    (SAMPLE[SAMPLE.index("sections:") :], "sections: []\n", "worksheets/plan.yml:4: sections: expected at least 1 entries, got 0"),
]
# fmt: on


@pytest.mark.parametrize(("old", "new", "message"), MISTAKES)
def test_every_mistake_is_named_at_its_line(tmp_path: Path, old: str, new: str, message: str) -> None:
    """A mistake fails with file:line: key: message, as in a quiz file; unknown keys are mistakes."""
    with pytest.raises(QuizError) as caught:
        load(tmp_path, changed(old, new))
    assert str(caught.value).startswith(message), str(caught.value)


def test_only_yml_files_are_read(tmp_path: Path) -> None:
    write(tmp_path)
    (tmp_path / "worksheets" / "other.yaml").write_text(SAMPLE, encoding="utf-8")
    with pytest.raises(
        QuizError, match=r"^worksheets/other.yaml: only .yml worksheet files are read: rename it to other.yml"
    ):
        load_worksheets(tmp_path / "worksheets", root=tmp_path)


def test_a_tab_or_bad_yaml_is_located(tmp_path: Path) -> None:
    with pytest.raises(QuizError, match=r"^worksheets/plan.yml:6: a tab in the indentation"):
        load(tmp_path, SAMPLE.replace("    focus_areas: 2", "\tfocus_areas: 2"))


# --------------------------------------------------------------------------- the markup


class Markup(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def all(self, *names: str) -> list[dict[str, str | None]]:
        return [attrs for tag, attrs in self.tags if tag in names]


def test_the_form_is_private_labelled_and_sends_nothing(tmp_path: Path) -> None:
    """No name attributes, nothing remembered or spell-checked in the cloud, nothing submitted,
    every field named (by its label, or the heading and column it sits under), ids unique."""
    html = render(load(tmp_path))
    markup = Markup(html)
    (form,) = markup.all("form")
    assert form["method"] == "dialog"
    assert form["autocomplete"] == "off"
    assert "action" not in form
    fields = markup.all("input", "textarea", "select")
    assert len(fields) > 15
    ids = [attrs["id"] for _, attrs in markup.tags if "id" in attrs]
    assert len(ids) == len(set(ids)), "duplicate ids"
    labelled = {attrs["for"] for attrs in markup.all("label")}
    for field in fields:
        assert "name" not in field, field
        if field.get("type") in (None, "text") or "rows" in field:
            assert field["spellcheck"] == "false", field
        named = field["id"] in labelled or all(
            part in ids for part in (field.get("aria-labelledby") or "?").split()
        )
        assert named, field
    assert " style=" not in html
    assert "<script" not in html
    assert re.search(r"\son\w+=", html) is None


def test_every_hook_the_script_uses_is_written_by_the_build() -> None:
    """worksheet.js looks only for data-ws-* attributes that worksheetfile.py writes (HOOKS)."""
    script = SCRIPT.read_text(encoding="utf-8")
    used = set(re.findall(r"\[(data-ws[\w-]*|data-worksheet)\]", script))
    used |= {
        "data-ws" + re.sub(r"([A-Z])", r"-\1", name).lower()
        for name in re.findall(r"dataset\.ws(\w+)", script)
    }
    assert used, "no hook found: the pattern is out of date"
    assert used <= set(HOOKS), used - set(HOOKS)
    assert "getElementById" not in script
    assert not re.search(r"querySelector\w*\(\s*[\"'`]#", script), "the script looks for an element id"


def test_the_pdfs_are_linked_in_the_order_given_and_every_paper_has_its_marker(tmp_path: Path) -> None:
    """The two PDFs are linked (download) in the given order; each paper size has a marker that the
    build's print addresses (#ws-<id>-a4), hidden."""
    markup = Markup(render(load(tmp_path)))
    downloads = [attrs["href"] for attrs in markup.all("a") if "download" in attrs]
    assert downloads == ["../worksheets/plan-a4.pdf", "../worksheets/plan-letter.pdf"]
    markers = {attrs["id"] for attrs in markup.all("span") if "bb-ws-paper" in (attrs.get("class") or "")}
    assert markers == {"ws-plan-a4", "ws-plan-letter"}


def test_texts_are_escaped_and_links_point_from_the_page(tmp_path: Path) -> None:
    sheet = load(tmp_path, changed("title: My plan", 'title: "<b>Mine</b> & yours"'))
    html = render(sheet)
    assert "&lt;b&gt;Mine&lt;/b&gt; &amp; yours" in html
    assert "<b>" not in html
    assert 'href="../index/"' in html  # index.md, relative to the page the worksheet is on


def test_without_instant_navigation_the_focus_areas_say_where_they_come_from(tmp_path: Path) -> None:
    sheet = load(tmp_path)
    note = ENGLISH.text("worksheet.this_page_only")
    assert note in render(sheet, instant=False)
    assert note not in render(sheet, instant=True)
    without_focus = load(tmp_path, changed("  - heading: My focus areas\n    focus_areas: 2\n", ""))
    assert note not in render(without_focus, instant=False)


@pytest.mark.parametrize(("level", "tag"), [(1, "h2"), (2, "h2"), (3, "h3"), (6, "h6"), (7, "h6")])
def test_section_headings_sit_one_level_below_the_page_heading_above_the_call(
    tmp_path: Path, level: int, tag: str
) -> None:
    html = render(load(tmp_path), level=level)
    assert f'<{tag} class="bb-ws__title" id="ws-plan-1">My focus areas</{tag}>' in html


def test_a_spanish_guide_gets_spanish_words(tmp_path: Path) -> None:
    links = WorksheetLinks(pdfs=(("letter", "l.pdf"), ("a4", "a.pdf")), help=None, page=lambda t: t)
    html = render_worksheet(load(tmp_path), words=catalogue.load("es"), links=links)
    for key in ("worksheet.print", "worksheet.download_letter", "worksheet.reset", "worksheet.fill"):
        assert catalogue.load("es").text(key) in html
    assert html.index("tamaño carta") < html.index("A4 (PDF)")
    assert "Where to get help" not in html  # no help page: no link


def test_the_readme_example_is_a_valid_worksheet(tmp_path: Path) -> None:
    """The complete example under "Write a worksheet" in the README loads, every key of it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Write a worksheet") :]
    example = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert example is not None
    sheet = load(tmp_path, example[1], name="sleep-plan")
    assert [section.heading for section in sheet.sections] == [
        "My focus areas",
        "What I want to change",
        "Our agreement",
        "Small steps",
        "Sleep log",
    ]
    assert sheet.sections[3].checklist == (
        "Same bedtime every night, weekends included",
        "No screens in the hour before bed",
    )
    assert "Admonitions work too" in sheet.intro_html
    assert "#" not in sheet.intro_html
