"""The guide in Spanish: every page translated, no English left, the same structure, plain safety texts."""

from __future__ import annotations

import itertools
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from mkdocs.config import load_config

from brickbybrick import catalogue, engine, render
from brickbybrick.helpfile import load_help
from brickbybrick.quizfile import load_quiz, read_yaml
from brickbybrick.translation import load_translation
from helpers import ROOT, BuiltSite
from readability import reading_ease_es
from test_help_es import MAX_WORDS, opens_with_action, sentences, words
from test_help_es import TEXTS as HELP_TEXTS

QUIZZES = sorted(path.stem for path in (ROOT / "quizzes").glob("*.yml"))
HELP = load_help(ROOT / "help.es.yml", display_name="help.es.yml", words=catalogue.load("es"))


def spanish(quiz_id: str) -> engine.Spec:
    english = load_quiz(ROOT / "quizzes" / f"{quiz_id}.yml")
    path = ROOT / "quizzes" / "es" / f"{quiz_id}.yml"
    return load_translation(path, english, display_name=f"quizzes/es/{quiz_id}.yml")


def test_every_page_and_quiz_has_its_spanish_text_in_the_same_order() -> None:
    """The Spanish site has the English site's pages, in the same order in its navigation, and every
    quiz has its Spanish texts."""
    english = sorted(path.name for path in (ROOT / "docs").glob("*.md"))
    assert sorted(path.name for path in (ROOT / "es" / "docs").glob("*.md")) == english
    assert sorted(path.stem for path in (ROOT / "quizzes" / "es").glob("*.yml")) == QUIZZES

    def order(config_file: Path) -> list[str]:
        return [next(iter(entry.values())) for entry in load_config(str(config_file))["nav"]]

    assert order(ROOT / "es" / "mkdocs.yml") == order(ROOT / "mkdocs.yml")


class _Text(HTMLParser):
    """The text a reader sees, one piece per element (scripts, styles and drawings left out)."""

    SKIP = frozenset({"script", "style", "svg", "template"})

    def __init__(self) -> None:
        super().__init__()
        self.pieces: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skipping += 1
        for name, value in attrs:  # what a screen reader says or a tooltip shows
            if name in {"aria-label", "title", "alt", "placeholder"} and value:
                self.pieces.append(value)
            elif name == "data-quiz-spec" and value:  # what the scorer will write: every text it holds
                self.pieces.extend(_spec_texts(json.loads(value)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skipping = max(0, self._skipping - 1)

    def handle_data(self, data: str) -> None:
        if not self._skipping and data.strip():
            self.pieces.append(" ".join(data.split()))


def _spec_texts(value: Any, key: str = "") -> list[str]:
    """Every text of a quiz's spec as a reader would see it (HTML read as text; code left out)."""
    if key in {"source", "filename", "id", "href", "page", "scale", "subscale"}:
        return []
    if isinstance(value, dict):
        return [text for k, v in value.items() for text in _spec_texts(v, str(k))]
    if isinstance(value, list):
        return [text for v in value for text in _spec_texts(v, key)]
    if isinstance(value, str) and value.strip():
        parser = _Text()
        parser.feed(value)
        return parser.pieces
    return []


def page_text(path: Path) -> list[str]:
    parser = _Text()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.pieces


def english_sentences(site: Path) -> set[str]:
    """Every sentence of four words or more on the English pages (the Spanish site's folder left out)."""
    found: set[str] = set()
    for page in site.rglob("*.html"):
        if page.relative_to(site).parts[0] == "es":
            continue
        for piece in page_text(page):
            for sentence in re.split(r"(?<=[.!?:])\s+", piece):
                if len(re.findall(r"[A-Za-z’']{2,}", sentence)) >= 4:
                    found.add(sentence.strip())
    return found


#: Names that stay in English on a Spanish page: the services' own names (help.es.yml) and a
#: published instrument's name (pillars.md cites it, with a Spanish gloss).
NAMES = {line["name"] for section in HELP.sections.values() for line in section["lines"]} | {
    "Ask Suicide-Screening Questions"
}


def test_no_spanish_page_holds_an_english_sentence(real_site_build: BuiltSite) -> None:
    """No sentence of the English guide (chapters, quizzes, help, worksheet, the theme's and the plugin's
    words, labels read aloud) appears on any Spanish page, the data the quizzes carry included."""
    site = real_site_build.site_dir
    english = {sentence for sentence in english_sentences(site) if sentence not in NAMES}
    assert len(english) > 500  # the whole English guide was read
    found: dict[str, list[str]] = {}
    pages = sorted((site / "es").rglob("*.html"))
    assert len(pages) >= 13
    for page in pages:
        text = "\n".join(page_text(page))
        if hits := sorted(sentence for sentence in english if sentence in text):
            found[page.relative_to(site).as_posix()] = hits
    assert found == {}


def test_the_checker_finds_an_english_sentence(tmp_path: Path) -> None:
    """The English-sentence check finds a sentence left in English on a Spanish page."""
    (tmp_path / "es").mkdir()
    (tmp_path / "index.html").write_text("<p>You are not alone in this. Aquí no.</p>", encoding="utf-8")
    (tmp_path / "es" / "index.html").write_text("<p>Hola. You are not alone in this.</p>", encoding="utf-8")
    english = english_sentences(tmp_path)
    assert english == {"You are not alone in this."}
    assert [s for s in english if s in "\n".join(page_text(tmp_path / "es" / "index.html"))]


def _cycle_cases() -> list[tuple[dict[str, Any], dict[str, int]]]:
    spec = spanish("vulnerability-cycle")
    shown = render.browser_spec(spec, lambda page: page, "help.md")
    others = [item["id"] for item in spec["items"] if item["id"] != "r4"]
    cases = []
    for values in itertools.product((0, 4), repeat=len(others)):
        for used in (0, 2):
            answers = {**dict(zip(others, values, strict=True)), "r4": used}
            cases.append((json.loads(json.dumps(engine.score(shown, answers))), answers))
    return cases


def test_the_pattern_notes_are_in_spanish() -> None:
    """The vulnerability-cycle extension writes its notes from the Spanish texts only, in every case."""
    spec = spanish("vulnerability-cycle")
    english = load_quiz(ROOT / "quizzes" / "vulnerability-cycle.yml")
    assert spec["extension"] is not None
    assert english["extension"] is not None
    texts = spec["extension"]["texts"]
    english_texts = english["extension"]["texts"]
    headings = set()
    for result, _answers in _cycle_cases():
        for note in result["notes"]:
            headings.add(note["heading"])
            assert note["heading"] in texts.values()
            rest = note["text"]
            for value in sorted(texts.values(), key=len, reverse=True):
                rest = rest.replace(value.strip(), "")
            assert rest.strip() == "", note["text"]
            assert not [value for value in english_texts.values() if value.strip() in note["text"]]
    assert len(headings) >= 6  # four patterns, and both notes beside a confidence used against the reader


def critical_texts() -> list[object]:
    cases: list[object] = []
    for quiz_id in QUIZZES:
        data = yaml.safe_load((ROOT / "quizzes" / "es" / f"{quiz_id}.yml").read_text(encoding="utf-8"))
        scopes = [("overall", data["overall"]), *(data.get("subscales") or {}).items()]
        for name, scope in scopes:
            if "if_critical" in scope:
                cases.append(pytest.param(scope["if_critical"]["feedback"], id=f"{quiz_id}.{name}"))
    return cases


@pytest.mark.parametrize("text", critical_texts())
def test_spanish_danger_texts_are_plain_and_open_with_an_action(text: str) -> None:
    """Every Spanish if_critical text opens with one action and has no sentence over 20 words."""
    plain = re.sub(r"\]\([^)]*\)", "]", text)  # a link's address is not read
    assert opens_with_action(plain), sentences(plain)[0]
    long = [sentence for sentence in sentences(plain) if len(words(sentence)) > MAX_WORDS]
    assert long == []
    assert reading_ease_es(text) >= EASY_ENOUGH


#: Fernández Huerta's reading ease for grade 7 or below (tests/readability.py says how it is counted).
EASY_ENOUGH = 70


def test_the_spanish_ease_checker_tells_plain_from_dense() -> None:
    """The ease measure passes a short plain instruction and fails dense officialese."""
    assert reading_ease_es("Llama al 911 si estás en peligro ahora. Di primero dónde estás.") >= EASY_ENOUGH
    dense = (
        "La evaluación multidimensional de las interacciones comunicativas interpersonales presenta "
        "características particularmente complejas."
    )
    assert reading_ease_es(dense) < EASY_ENOUGH


def _shape(value: Any, key: str = "") -> Any:
    """A worksheet's structure: its keys, list lengths, numbers, flags and ids, without its words."""
    if isinstance(value, dict):
        return {k: _shape(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_shape(v, key) for v in value]
    if isinstance(value, str) and key not in {"id", "quiz", "kind", "type"}:
        return "text"
    return value


def test_the_spanish_worksheet_has_the_english_one_s_structure() -> None:
    """The Spanish action-plan worksheet has the same sections, fields and ids; only its words differ."""
    english = read_yaml(ROOT / "worksheets" / "action-plan.yml", "worksheets/action-plan.yml").data
    translated = read_yaml(
        ROOT / "es" / "worksheets" / "action-plan.yml", "es/worksheets/action-plan.yml"
    ).data
    assert _shape(translated) == _shape(english)
    assert translated["title"] != english["title"]


@pytest.mark.parametrize("text", HELP_TEXTS)
def test_spanish_help_texts_read_at_grade_seven_or_below(text: str) -> None:
    """Every Spanish help panel and section intro reads as easily as the danger texts."""
    assert reading_ease_es(text) >= EASY_ENOUGH
