"""The quiz form: accessible markup, a JSON spec for the scorer, and nothing executable from quiz text."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from brickbybrick.engine import Spec
from brickbybrick.helpfile import load_help, render_panel
from brickbybrick.quizfile import load_quiz
from brickbybrick.render import browser_spec, render_quiz

FIXTURES = Path(__file__).resolve().parent / "fixtures"
HELP = load_help(FIXTURES / "help.yml")
SAMPLE = load_quiz(FIXTURES / "quizzes" / "sample.yml", help_data=HELP)
EXT_DEMO = load_quiz(FIXTURES / "extension" / "ext-demo.yml", help_data=HELP)
HOSTILE = load_quiz(FIXTURES / "hostile" / "hostile.yml", help_data=HELP)
HOSTILE_HREF = '" onmouseover="alert(1)'


def page_href(target: str) -> str:
    return f"../{target}"


class Element:
    """A start tag seen by the parser, with its attributes and the text directly inside it."""

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag = tag
        self.attrs = dict(attrs)
        self.attr_names = [name for name, _ in attrs]
        self.text = ""


class Page(HTMLParser):
    """Collect every element of an HTML fragment, the way a browser's tokenizer sees it."""

    VOID = frozenset({"input", "br", "img", "hr", "meta", "link", "rect"})

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, attrs)
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, attrs))

    def handle_endtag(self, tag: str) -> None:
        while self._open:
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text += data

    def find(self, tag: str, **attrs: str | None) -> list[Element]:
        """Elements with ``tag`` whose attributes include ``attrs`` (``_`` in names means ``-``)."""
        wanted = {name.replace("_", "-"): value for name, value in attrs.items()}
        return [
            element
            for element in self.elements
            if element.tag == tag and all(element.attrs.get(k, "<absent>") == v for k, v in wanted.items())
        ]


def render(spec: Spec, *, href: Any = page_href, help_href: str = "../help.md") -> Page:
    """Render a quiz as the plugin does: the browser spec, the guide's help panel, a notice."""
    panel = render_panel(HELP, spec["help"]["panel"], help_href) if spec["help"] else ""
    return Page(render_quiz(browser_spec(spec, href, help_href), help_panel=panel, notice="Stays here."))


def spec_of(page: Page) -> Any:
    (form,) = page.find("form")
    return json.loads(form.attrs["data-quiz-spec"] or "")


# --------------------------------------------------------------------------- structure


def test_form_names_its_quiz() -> None:
    """The form carries ``data-quiz`` with the quiz id and is labelled by its title."""
    page = render(SAMPLE)
    (form,) = page.find("form")
    assert form.attrs["data-quiz"] == "sample"
    (title,) = page.find("p", id=form.attrs["aria-labelledby"])
    assert title.text == "Sample check"


def test_each_item_is_a_fieldset_with_legend() -> None:
    """Each item is a ``<fieldset>`` whose ``<legend>`` holds its number and text."""
    page = render(SAMPLE)
    fieldsets = page.find("fieldset")
    assert [fieldset.attrs["id"] for fieldset in fieldsets] == [
        f"bb-sample-{i}" for i in ("c1", "c2", "s1", "s2")
    ]
    legends = [legend.text for legend in page.find("legend")]
    assert legends == [f"{n}. {item['text']}" for n, item in enumerate(SAMPLE["items"], start=1)]


def test_each_radio_has_a_matching_label() -> None:
    """Every radio input has a unique id and exactly one ``<label for=...>`` naming it."""
    page = render(SAMPLE)
    radios = page.find("input", type="radio")
    assert len(radios) == 4 * 5
    ids = [radio.attrs["id"] for radio in radios]
    assert len(set(ids)) == len(ids)
    label_targets = [label.attrs.get("for") for label in page.find("label")]
    assert sorted(label_targets) == sorted(ids)
    assert {radio.attrs["name"] for radio in radios} == {"c1", "c2", "s1", "s2"}
    values = [radio.attrs["value"] for radio in radios if radio.attrs["name"] == "c1"]
    assert values == ["0", "1", "2", "3", "4"]


def test_option_labels_show_scale_labels() -> None:
    """Each option's label shows the scale point's label."""
    page = render(SAMPLE)
    labels = [label.text for label in page.find("label") if label.attrs["for"].startswith("bb-sample-c1-")]
    assert labels == ["Never", "Rarely", "Sometimes", "Often", "Almost always"]


def test_form_has_submit_button_result_and_one_announcement_region() -> None:
    """A submit button; a focusable result that is not a live region (it would be read whole); one
    polite region for the short announcements; a clear control that is not a reset button."""
    page = render(SAMPLE)
    assert len(page.find("button", type="submit")) == 1
    (result,) = [element for element in page.elements if "data-quiz-result" in element.attrs]
    assert "role" not in result.attrs
    assert "aria-live" not in result.attrs
    assert result.attrs["tabindex"] == "-1"
    (announce,) = [element for element in page.elements if "data-quiz-announce" in element.attrs]
    assert announce.attrs["aria-live"] == "polite"
    assert page.find("button", type="reset") == []
    (clear,) = [element for element in page.elements if "data-quiz-reset" in element.attrs]
    assert clear.attrs["type"] == "button"


def test_spec_attribute_holds_the_spec_with_hrefs() -> None:
    """The form's ``data-quiz-spec`` holds the spec, with each recommendation's page resolved to an href."""
    page = render(SAMPLE)
    assert SAMPLE["help"] is not None
    expected = {
        **SAMPLE,
        "recommendations": [{**rec, "href": f"../{rec['page']}"} for rec in SAMPLE["recommendations"]],
        "help": {**SAMPLE["help"], "href": "../help.md"},
    }
    assert spec_of(page) == expected


def test_critical_options_are_marked() -> None:
    """Only options at or beyond an item's critical threshold carry ``data-critical``."""
    page = render(SAMPLE)
    marked = {
        (radio.attrs["name"], radio.attrs["value"])
        for radio in page.find("input", type="radio")
        if "data-critical" in radio.attrs
    }
    assert marked == {("s1", "0"), ("s2", "2"), ("s2", "3"), ("s2", "4")}


def test_help_panel_present_with_critical_items() -> None:
    """A quiz with critical items has one help panel: first the help page link, then the guide's lines."""
    page = render(SAMPLE, help_href="../help/#get-help")
    panels = [element for element in page.elements if "data-quiz-help" in element.attrs]
    assert len(panels) == 1
    links = [element.attrs["href"] for element in page.find("a")]
    notes = [element for element in page.elements if "data-quiz-item-help" in element.attrs]
    critical = [item for item in SAMPLE["items"] if item["critical"]]
    assert len(notes) == len(critical)  # help at each answer that can be critical: the same link
    assert links[: len(notes)] == ["../help/#get-help"] * len(notes)
    panel = links[len(notes) :]
    assert panel[0] == "../help/#get-help"
    assert panel[1:] == ["tel:5550100", "tel:5550199", "sms:55500?body=HELP", "https://example.org/"]


def test_help_panel_absent_without_critical_items() -> None:
    """A quiz with no critical items has no help panel and no critical options."""
    assert not any(item["critical"] for item in EXT_DEMO["items"])
    page = render(EXT_DEMO)
    assert not [element for element in page.elements if "data-quiz-help" in element.attrs]
    assert not [radio for radio in page.find("input") if "data-critical" in radio.attrs]


# --------------------------------------------------------------------------- hostile strings


HOSTILE_FIELDS = [
    pytest.param(lambda spec: spec["title"], id="title"),
    pytest.param(lambda spec: spec["scales"]["agree"]["points"][0]["label"], id="scale-label"),
    pytest.param(lambda spec: spec["subscales"][0]["label"], id="subscale-label"),
    pytest.param(lambda spec: spec["subscales"][0]["bands"][1]["heading"], id="band-heading"),
    pytest.param(lambda spec: spec["items"][0]["text"], id="item-text"),
    pytest.param(lambda spec: spec["recommendations"][0]["text"], id="recommendation-text"),
    pytest.param(lambda spec: spec["overall"]["label"], id="overall-label"),
]


@pytest.mark.parametrize("field", HOSTILE_FIELDS)
def test_hostile_fixture_is_hostile(field: Any) -> None:
    """Each text field of the hostile fixture really holds script, attribute and ``</script>`` payloads."""
    value = field(HOSTILE)
    assert "<script>alert(1)</script>" in value
    assert '" onmouseover="alert(1)' in value
    assert value.endswith("</script>")


def test_hostile_strings_create_no_script() -> None:
    """Markup in quiz text never becomes an element: the form holds no ``<script>`` at all."""
    page = render(HOSTILE, href=lambda target: target + HOSTILE_HREF, help_href=HOSTILE_HREF)
    assert page.find("script") == []


def test_hostile_strings_create_no_event_attribute() -> None:
    """Quotes in quiz text never break out of an attribute: no ``on*`` attribute exists."""
    page = render(HOSTILE, href=lambda target: target + HOSTILE_HREF, help_href=HOSTILE_HREF)
    names = {name for element in page.elements for name in element.attr_names}
    assert "onmouseover" not in names
    assert not [name for name in names if name.startswith("on")]


def test_hostile_strings_are_shown_as_text() -> None:
    """Hostile quiz text reaches the reader as the literal characters the author wrote."""
    page = render(HOSTILE, href=lambda target: target + HOSTILE_HREF, help_href=HOSTILE_HREF)
    (legend,) = page.find("legend")
    assert legend.text == f"1. {HOSTILE['items'][0]['text']}"
    (title,) = page.find("p", id="bb-hostile-title")
    assert title.text == HOSTILE["title"]
    (intro,) = page.find("div", **{"class": "bb-quiz__intro"})
    assert intro.text == 'Intro <script>alert(1)</script> " onmouseover="alert(1) </script>'
    assert page.find("a", href=HOSTILE_HREF)


def test_hostile_spec_json_round_trips() -> None:
    """The JSON spec survives quotes and ``</script>`` in quiz text and parses back to the same strings."""
    page = render(HOSTILE, href=lambda target: target + HOSTILE_HREF, help_href=HOSTILE_HREF)
    expected = {
        **HOSTILE,
        "recommendations": [
            {**rec, "href": rec["page"] + HOSTILE_HREF} for rec in HOSTILE["recommendations"]
        ],
        "help": {**HOSTILE["help"], "href": HOSTILE_HREF} if HOSTILE["help"] else None,
    }
    assert spec_of(page) == expected


def test_pattern_options_carry_their_pattern_and_count() -> None:
    """Options at or beyond a pattern's threshold name the pattern and its count, so the page can show help early."""
    spec = load_quiz(FIXTURES / "quizzes" / "sample.yml")
    spec["subscales"][0]["critical"] = {"count": 2, "at_or_above": 3}
    html = render_quiz(spec, help_panel='<div class="bb-help">help</div>')
    calm = re.findall(r'<input[^>]*name="c1"[^>]*>', html)
    marked = [tag for tag in calm if 'data-pattern="calm" data-pattern-count="2"' in tag]
    assert [re.search(r'value="(\d)"', tag).group(1) for tag in marked] == ["3", "4"]  # type: ignore[union-attr]
    assert 'data-pattern="calm"' not in "".join(re.findall(r'<input[^>]*name="s1"[^>]*>', html))
    assert '<div class="bb-help">help</div>' in html


def test_links_in_the_authors_texts_point_from_the_page() -> None:
    """A ``page.md#anchor`` link in feedback becomes a URL relative to the page the quiz is on."""
    spec = load_quiz(FIXTURES / "quizzes" / "sample.yml")
    spec["subscales"][0]["bands"][0]["feedback_html"] = '<p>See <a href="help.md#get-help">help</a>.</p>'
    spec["intro_html"] = (
        '<p><a href="index.md">Home</a> and <a href="https://example.org/x.md">elsewhere</a></p>'
    )
    shown = browser_spec(spec, lambda target: "../" + target.replace(".md", "/"), None)
    assert (
        shown["subscales"][0]["bands"][0]["feedback_html"]
        == '<p>See <a href="../help/#get-help">help</a>.</p>'
    )
    assert (
        shown["intro_html"]
        == '<p><a href="../index/">Home</a> and <a href="https://example.org/x.md">elsewhere</a></p>'
    )
    assert spec["intro_html"].startswith('<p><a href="index.md">')  # the build's spec is left as it was
