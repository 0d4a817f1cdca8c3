"""Help data (help.yml): validated like quiz files; one source for the help page and the quiz panels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brickbybrick.helpfile import load_help, render_directory, render_panel
from brickbybrick.quizfile import QuizError

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "help.yml"
GUIDE = load_help(ROOT / "help.yml", display_name="help.yml")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("sections: [emergency, support]", "sections: [emergency, helpers]"),
            "help.yml:23: panels.danger.sections[1]: 'helpers' is not a section (expected one of: emergency, support)",
        ),
        (
            ('phone: "555-0199"', 'phone: "call me"'),
            "help.yml:13: sections[1].lines[0].phone: 'call me' is not a phone number (digits, spaces, + - . ( ) only)",
        ),
        (
            ('source: "https://example.org/emergency", ', ""),
            "help.yml:7: sections[0].lines[0]: missing required key 'sections[0].lines[0].source'",
        ),
        (
            ("web: https://example.org/", "web: http://example.org/"),
            "help.yml:15: sections[1].lines[0].web: expected an https:// address, got 'http://example.org/'",
        ),
        (
            (
                "alert: Some answers are about",
                "alert: See [this](https://example.org/). Some answers are about",
            ),
            "help.yml:25: panels.own-behaviour.alert: no links here: the help page link comes first, added by the engine",
        ),
        (
            ("    intro: You deserve to be safe.\n", "    intro: You deserve to be safe.\n    colour: red\n"),
            "help.yml:23: panels.danger.colour: unknown key (expected one of: alert, intro, sections, link)",
        ),
    ],
)
def test_bad_help_data_raises_located_error(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    """A mistake in help.yml names the file, the line and the key path, like a quiz error."""
    text = FIXTURE.read_text(encoding="utf-8")
    assert change[0] in text
    path = tmp_path / "help.yml"
    path.write_text(text.replace(*change), encoding="utf-8")
    with pytest.raises(QuizError) as caught:
        load_help(path, display_name="help.yml")
    assert str(caught.value) == expected


def test_every_line_escaped_and_dialable() -> None:
    """Lines render with escaped text and ``tel:`` links made of the number's digits."""
    text = FIXTURE.read_text(encoding="utf-8").replace("name: Fixture support line", 'name: "<b>Support</b>"')
    path = FIXTURE.parent / "help-escaped.yml"
    try:
        path.write_text(text, encoding="utf-8")
        html = render_directory(load_help(path))
    finally:
        path.unlink()
    assert "&lt;b&gt;Support&lt;/b&gt;" in html
    assert '<a href="tel:5550199">555-0199</a>' in html
    assert '<a href="https://example.org/" rel="noreferrer">example.org</a>' in html


# --------------------------------------------------------------------------- this guide's help data

COUNTRIES = {
    "us": "United States",
    "uk": "United Kingdom",
    "ie": "Ireland",
    "ca": "Canada",
    "au": "Australia",
    "nz": "New Zealand",
}
GROUPS = {"men", "lgbt", "deaf", "own-behaviour"}


def test_guide_help_covers_every_country_and_group() -> None:
    """The guide lists the six countries, emergency numbers, and lines for men, LGBT+, deaf and own-behaviour readers."""
    assert set(GUIDE.sections) >= {"emergency", *COUNTRIES, *GROUPS}
    for section_id, name in COUNTRIES.items():
        assert GUIDE.sections[section_id]["heading"] == name
    emergency = " ".join(line.get("for", "") for line in GUIDE.sections["emergency"]["lines"])
    for name in COUNTRIES.values():
        assert name in emergency, f"no emergency number for {name}"


def test_guide_uk_lines_say_which_nation() -> None:
    """Each UK line says which nation it serves (England, Wales, Scotland, Northern Ireland)."""
    served = " ".join(line.get("for", "") for line in GUIDE.sections["uk"]["lines"])
    for nation in ("England", "Wales", "Scotland", "Northern Ireland"):
        assert nation in served


def test_guide_canada_says_how_to_find_a_shelter() -> None:
    """Canada has no national line: its section says how to find a local shelter."""
    section = GUIDE.sections["ca"]
    text = " ".join(
        [section.get("intro", ""), *(line["name"] + line.get("note", "") for line in section["lines"])]
    )
    assert re.search(r"shelter", text, re.IGNORECASE)


def test_guide_every_line_has_a_source_and_a_date() -> None:
    """Every line names the https page it was checked against and when."""
    for section in GUIDE.sections.values():
        for line in section["lines"]:
            assert line["source"].startswith("https://")
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", line["checked"])


def lines_of(html: str) -> list[str]:
    return re.findall(r'<li class="bb-helpline">.*?</li>', html)


@pytest.mark.parametrize("panel_id", sorted(GUIDE.panels))
def test_guide_panel_and_page_agree(panel_id: str) -> None:
    """Every line a quiz panel shows is on the help page, word for word (one source, one renderer)."""
    page = lines_of(render_directory(GUIDE))
    panel = lines_of(render_panel(GUIDE, panel_id, "../help/"))
    assert panel
    assert [line for line in panel if line not in page] == []


def test_guide_danger_panel_shows_every_country() -> None:
    """The danger panel carries the emergency numbers and every country's lines."""
    assert GUIDE.panels["danger"].sections[0] == "emergency"
    assert set(COUNTRIES) <= set(GUIDE.panels["danger"].sections)


def test_guide_own_behaviour_panel_points_to_own_behaviour_lines() -> None:
    """The panel for people worried about their own behaviour starts with lines for them."""
    assert GUIDE.panels["own-behaviour"].sections[0] == "own-behaviour"
