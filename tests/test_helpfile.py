"""Help data (help.yml): validated like quiz files; one source for the help page and the quiz panels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brickbybrick.helpfile import load_help, render_directory, render_panel
from brickbybrick.quizfile import QuizError

ROOT = Path(__file__).resolve().parent.parent
GUIDE = load_help(ROOT / "help.yml", display_name="help.yml")

# A small help file of its own (fictional numbers, from the 555 range), so the errors' line
# numbers below stay put whatever happens to the shared fixtures.
SAMPLE = """\
# Help data for these tests.
page: help.md
sections:
  - id: emergency
    heading: In an emergency
    lines:
      - {name: Fixture emergency line, phone: "555-0100", source: "https://example.org/emergency", source_date: "2024-05", checked: "2026-11-27"}
  - id: support
    heading: Someone to talk to
    lines:
      - name: Fixture support line
        for: Everyone
        phone: "555-0199"
        text: "55500"
        keyword: HELP
        chat: https://chat.example.org/now
        web: https://example.org/
        hours: 24 hours
        source: https://example.org/support
        source_date: "2025-02-03"
        checked: "2026-11-27"
panels:
  danger:
    alert: "**Some answers suggest you may not be safe.** Whatever the scores say, help is there."
    intro: You deserve to be safe.
    sections: [emergency, support]
  own-behaviour:
    alert: Some answers are about behaviour that can frighten a partner.
    intro: Help is there for you too.
    link: Help for your own behaviour
    sections: [support]
"""


def load_sample(tmp_path: Path, text: str = SAMPLE) -> str:
    """The sample, changed as a test needs, loaded and rendered as the help page."""
    path = tmp_path / "help.yml"
    path.write_text(text, encoding="utf-8")
    return render_directory(load_help(path, display_name="help.yml"))


def changed(old: str, new: str) -> str:
    assert old in SAMPLE, old
    return SAMPLE.replace(old, new)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("sections: [emergency, support]", "sections: [emergency, helpers]"),
            "help.yml:26: panels.danger.sections[1]: 'helpers' is not a section (expected one of: emergency, support)",
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
            "help.yml:17: sections[1].lines[0].web: expected an https:// address, got 'http://example.org/'",
        ),
        (
            (
                "alert: Some answers are about",
                "alert: See [this](https://example.org/). Some answers are about",
            ),
            "help.yml:28: panels.own-behaviour.alert: no links here: the help page link comes first, added by the engine",
        ),
        (
            ("    intro: You deserve to be safe.\n", "    intro: You deserve to be safe.\n    colour: red\n"),
            "help.yml:26: panels.danger.colour: unknown key (expected one of: alert, intro, sections, link)",
        ),
    ],
)
def test_bad_help_data_raises_located_error(tmp_path: Path, change: tuple[str, str], expected: str) -> None:
    """A mistake in help.yml names the file, the line and the key path, like a quiz error."""
    with pytest.raises(QuizError) as caught:
        load_sample(tmp_path, changed(*change))
    assert str(caught.value) == expected


def test_every_line_escaped_and_dialable(tmp_path: Path) -> None:
    """Lines render with escaped text and ``tel:`` links made of the number's digits."""
    html = load_sample(tmp_path, changed("name: Fixture support line", 'name: "<b>Support</b>"'))
    assert "&lt;b&gt;Support&lt;/b&gt;" in html
    assert '<a href="tel:5550199">555-0199</a>' in html
    assert '<a href="https://example.org/" rel="noreferrer">example.org</a>' in html


# --------------------------------------------------------------------------- dates, text and chat


def test_text_and_chat_render_as_links(tmp_path: Path) -> None:
    """A number to text gets an ``sms:`` link (its keyword filled in), chat a link to the service's own site."""
    html = load_sample(tmp_path)
    assert 'Text HELP to <a href="sms:55500?body=HELP">55500</a>' in html
    assert '<a href="https://chat.example.org/now" rel="noreferrer">Chat online</a>' in html
    plain = load_sample(tmp_path, changed("        keyword: HELP\n", ""))
    assert 'Text <a href="sms:55500">55500</a>' in plain


def test_text_and_keyword_are_escaped(tmp_path: Path) -> None:
    """The number and the keyword are checked words, never markup."""
    with pytest.raises(
        QuizError, match=r"help\.yml:15: sections\[1\]\.lines\[0\]\.keyword: '<b>HELP</b>' is not one word"
    ):
        load_sample(tmp_path, changed("keyword: HELP", 'keyword: "<b>HELP</b>"'))
    with pytest.raises(
        QuizError,
        match=r"help\.yml:14: sections\[1\]\.lines\[0\]\.text: 'Text HELP to 55500' is not a phone number",
    ):
        load_sample(tmp_path, changed('text: "55500"', "text: Text HELP to 55500"))


@pytest.mark.parametrize("written", ['"2024"', '"2024-02"', '"2024-02-29"', "2024", "2024-02-29", "undated"])
def test_source_date_may_be_a_day_a_month_a_year_or_undated(tmp_path: Path, written: str) -> None:
    """The date the source page shows, as precise as the page is (quoted or not), or ``undated``."""
    load_sample(tmp_path, changed('source_date: "2025-02-03"', f"source_date: {written}"))
    line = load_help(tmp_path / "help.yml").sections["support"]["lines"][0]
    assert line["source_date"] == written.strip('"')


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('        source_date: "2025-02-03"\n', ""),
            r"help\.yml:11: sections\[1\]\.lines\[0\]: missing required key 'sections\[1\]\.lines\[0\]\.source_date'",
        ),
        (
            ('source_date: "2025-02-03"', 'source_date: "2025-13"'),
            r"help\.yml:20: sections\[1\]\.lines\[0\]\.source_date: '2025-13' is not a date \(expected YYYY-MM-DD, YYYY-MM, YYYY or undated\)",
        ),
        (
            ('source_date: "2025-02-03"', 'source_date: "2023-02-29"'),
            r"help\.yml:20: sections\[1\]\.lines\[0\]\.source_date: '2023-02-29' is not a date",
        ),
        (
            ('source_date: "2025-02-03"', "source_date: last spring"),
            r"help\.yml:20: sections\[1\]\.lines\[0\]\.source_date: 'last spring' is not a date",
        ),
        (
            ('source_date: "2025-02-03"', 'source_date: "2027"'),
            r"help\.yml:20: sections\[1\]\.lines\[0\]\.source_date: '2027' is after the day the line was checked \(2026-11-27\)",
        ),
        (
            ('checked: "2026-11-27"\npanels', 'checked: "27/11/2026"\npanels'),
            r"help\.yml:21: sections\[1\]\.lines\[0\]\.checked: '27/11/2026' is not a date \(expected YYYY-MM-DD\)",
        ),
        (
            ('checked: "2026-11-27"\npanels', 'checked: "2026-11"\npanels'),
            r"help\.yml:21: sections\[1\]\.lines\[0\]\.checked: '2026-11' is not a date \(expected YYYY-MM-DD\)",
        ),
        (
            ('        text: "55500"\n', ""),
            r"help\.yml:14: sections\[1\]\.lines\[0\]\.keyword: a keyword needs the number to text it to \(text\)",
        ),
        (
            ("chat: https://chat.example.org/now", "chat: https://example.net/chat"),
            r"help\.yml:16: sections\[1\]\.lines\[0\]\.chat: 'example\.net' is not on the service's own site \(example\.org\)",
        ),
        (
            ("chat: https://chat.example.org/now", "chat: https://notexample.org/chat"),
            r"help\.yml:16: sections\[1\]\.lines\[0\]\.chat: 'notexample\.org' is not on the service's own site",
        ),
        (
            ("        web: https://example.org/\n", ""),
            r"help\.yml:16: sections\[1\]\.lines\[0\]\.chat: chat needs the service's own site \(web\)",
        ),
        (
            ("chat: https://chat.example.org/now", "chat: http://chat.example.org/now"),
            r"help\.yml:16: sections\[1\]\.lines\[0\]\.chat: expected an https:// address",
        ),
    ],
)
def test_bad_dates_text_and_chat_name_file_line_and_key(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    """A bad or missing date, a keyword without a number, or chat off the service's site fails where it is written."""
    with pytest.raises(QuizError, match=expected):
        load_sample(tmp_path, changed(*change))


# --------------------------------------------------------------------------- this guide's help data

COUNTRIES = {
    "us": "United States",
    "uk": "United Kingdom",
    "ie": "Ireland",
    "ca": "Canada",
    "au": "Australia",
    "nz": "New Zealand",
}
GROUPS = {"crisis", "men", "lgbt", "deaf", "own-behaviour"}


def all_lines() -> list[dict[str, str]]:
    return [line for section in GUIDE.sections.values() for line in section["lines"]]


def test_guide_help_covers_every_country_and_group() -> None:
    """The guide lists the six countries, emergency and crisis numbers, and lines for men, LGBT+, deaf and own-behaviour readers."""
    assert set(GUIDE.sections) >= {"emergency", *COUNTRIES, *GROUPS}
    for section_id, name in COUNTRIES.items():
        assert GUIDE.sections[section_id]["heading"] == name
    emergency = " ".join(line.get("for", "") for line in GUIDE.sections["emergency"]["lines"])
    for name in COUNTRIES.values():
        assert name in emergency, f"no emergency number for {name}"


def test_guide_has_a_crisis_line_for_every_country() -> None:
    """Thoughts of suicide are answered with a crisis line in each of the six countries, by call and, where offered, text."""
    crisis = {line["for"].split(";")[0]: line for line in GUIDE.sections["crisis"]["lines"]}
    assert crisis["United States"]["phone"] == crisis["United States"]["text"] == "988"
    assert crisis["Canada"]["phone"] == "9-8-8"
    assert crisis["United Kingdom and Ireland"]["phone"] == "116 123"
    assert crisis["Australia"]["phone"] == "13 11 14"
    assert crisis["New Zealand"]["phone"] == crisis["New Zealand"]["text"] == "1737"
    assert re.search(r"suicide", GUIDE.sections["crisis"]["heading"], re.IGNORECASE)


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


def test_guide_australia_says_emergency_help_can_be_reached_by_text() -> None:
    """Deaf readers in Australia are told the text route to 000 (the NRS's SMS relay), not that there is none."""
    (relay,) = [line for line in GUIDE.sections["deaf"]["lines"] if line["for"].startswith("Australia")]
    assert relay["text"] == "0423 677 767"
    assert "000" in relay["note"]
    assert "106" in relay["note"]
    assert not re.search(r"can't reach emergency services by text", relay.get("note", ""))


def test_guide_every_line_has_a_source_and_dates() -> None:
    """Every line names the https page it was checked against, the date that page shows and the day it was checked."""
    for line in all_lines():
        assert line["source"].startswith("https://")
        assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?|undated", line["source_date"]), line["name"]
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
    """The danger panel opens with the emergency numbers, then the crisis lines, then every country's lines."""
    assert GUIDE.panels["danger"].sections[:2] == ("emergency", "crisis")
    assert set(COUNTRIES) <= set(GUIDE.panels["danger"].sections)


def test_guide_own_behaviour_panel_points_to_own_behaviour_lines() -> None:
    """The panel for people worried about their own behaviour starts with lines for them."""
    assert GUIDE.panels["own-behaviour"].sections[0] == "own-behaviour"
