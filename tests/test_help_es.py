"""The Spanish guide's help data (help.es.yml): lines that answer in Spanish, in plain words.

Loaded with the package's own loader (the schema of help.yml), it must have both panels, a section
for each country whose lines could be confirmed, emergency numbers first, every line dated, and
panel texts and section intros that open with one action and have no sentence over 20 words.
``tests/readability.py`` measures English; this file checks the Spanish by the same rules where
they do not depend on the language (sentences end at ``.``, ``!``, ``?`` or ``:``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from brickbybrick import catalogue
from brickbybrick.helpfile import UNDATED, load_help, render_directory, render_panel

ROOT = Path(__file__).resolve().parent.parent
HELP = load_help(ROOT / "help.es.yml", display_name="help.es.yml", words=catalogue.load("es"))
MAX_WORDS = 20

#: Each country's own section (the help page's headings and the danger panel's folds).
COUNTRIES = {
    "estados-unidos": "Estados Unidos",
    "espana": "España",
    "mexico": "México",
    "argentina": "Argentina",
    "colombia": "Colombia",
    "chile": "Chile",
    "peru": "Perú",
}

#: Imperatives (tú) a safety text may open with, after an optional "Si ...," clause.
ACTIONS = frozenset(
    [
        "llama",
        "habla",
        "busca",
        "escribe",
        "marca",
        "pide",
        "usa",
        "lee",
        "cuéntale",
        "ve",
        "chatea",
        "toma",
        "confía",
        "empieza",
    ]
)

_MARK = re.compile(r"[*_`#>\[\]«»\"]")
_SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n+")


def sentences(text: str) -> list[str]:
    """Sentences of a Markdown text: marks removed, split at . ! ? : followed by a space or a break."""
    plain = _MARK.sub("", text).strip()
    return [part.strip() for part in _SENTENCE_END.split(plain) if re.search(r"\w", part)]


def words(sentence: str) -> list[str]:
    return re.findall(r"[\w'’-]+", sentence)


def opens_with_action(text: str) -> bool:
    """Whether the first sentence is an instruction: its first word (after "Si ...,") is an imperative."""
    first = sentences(text)[0]
    if first.lower().startswith("si ") and "," in first:
        first = first.split(",", 1)[1]
    head = words(first)
    return bool(head) and head[0].lower() in ACTIONS


def plain_texts() -> list[object]:
    """Every panel alert and intro (as written: the loader keeps only their HTML) and every section intro."""
    raw_panels = yaml.safe_load((ROOT / "help.es.yml").read_text(encoding="utf-8"))["panels"]
    cases: list[object] = []
    for panel_id in HELP.panels:
        for key in ("alert", "intro"):
            cases.append(pytest.param(raw_panels[panel_id][key], id=f"panels.{panel_id}.{key}"))
    for section_id, section in HELP.sections.items():
        if "intro" in section:
            cases.append(pytest.param(section["intro"], id=f"sections.{section_id}.intro"))
    return cases


TEXTS = plain_texts()


def test_both_panels_are_there() -> None:
    """A critical answer in the Spanish guide finds the panel its quiz names."""
    assert set(HELP.panels) == {"danger", "own-behaviour"}
    assert HELP.default_panel == "danger"
    assert HELP.page == "help.md"


def test_a_section_for_each_country() -> None:
    """Each country's own lines are in a section headed with its name, folded in the danger panel."""
    for section_id, country in COUNTRIES.items():
        assert section_id in HELP.sections, section_id
        assert HELP.sections[section_id]["heading"] == country
        assert HELP.sections[section_id]["lines"], section_id
        assert section_id in HELP.panels["danger"].sections


def test_danger_panel_opens_with_emergency_numbers_then_crisis_lines() -> None:
    """The open first section is the emergency numbers; suicide and crisis lines come second."""
    assert HELP.panels["danger"].sections[:2] == ("emergencias", "crisis")
    assert HELP.panels["own-behaviour"].sections[0] == "propia-conducta"
    assert "emergencias" in HELP.panels["own-behaviour"].sections


@pytest.mark.parametrize("section_id", ["emergencias", "crisis"])
def test_emergency_and_crisis_numbers_for_every_country(section_id: str) -> None:
    """Every country has an emergency number and at least one crisis line."""
    served = " ".join(line.get("for", "") for line in HELP.sections[section_id]["lines"])
    for country in COUNTRIES.values():
        assert country in served, f"{section_id}: no line for {country}"


def test_every_line_is_dated_and_sourced() -> None:
    """Every line says where it was confirmed, the date that page shows, and the day it was checked."""
    for section_id, section in HELP.sections.items():
        for line in section["lines"]:
            where = f"{section_id}: {line['name']}"
            assert line["source"].startswith("https://"), where
            dated = re.match(r"^\d{4}(-\d{2}){0,2}$", line["source_date"])
            assert line["source_date"] == UNDATED or dated, where
            assert re.match(r"^\d{4}-\d{2}-\d{2}$", line["checked"]), where
            assert "phone" in line or "text" in line or "note" in line, f"{where}: nothing to dial"


def test_whatsapp_numbers_are_never_sms_links() -> None:
    """A WhatsApp-only number given as ``text`` would become an sms: link that nobody answers."""
    for section in HELP.sections.values():
        for line in section["lines"]:
            note = line.get("note", "")
            if "text" in line and "WhatsApp" in note:
                digits = re.sub(r"\D", "", line["text"])
                assert digits not in re.sub(r"\D", "", note), line["name"]


@pytest.mark.parametrize("text", TEXTS)
def test_no_sentence_over_twenty_words(text: str) -> None:
    """Panel texts and section intros: no sentence over 20 words (split at . ! ? :)."""
    long = [sentence for sentence in sentences(text) if len(words(sentence)) > MAX_WORDS]
    assert not long, f"sentences over {MAX_WORDS} words: {long}"


@pytest.mark.parametrize("text", TEXTS)
def test_opens_with_one_action(text: str) -> None:
    """Panel texts and section intros tell the reader what to do first (after an optional "Si ...,")."""
    assert opens_with_action(text), f"the first sentence is not an action: {sentences(text)[0]!r}"


def test_renders_in_spanish() -> None:
    """The help page's directory and both panels render, with the Spanish words around the lines."""
    directory = render_directory(HELP)
    assert "Llama al" in directory
    assert "Call " not in directory
    assert "Envía AYUDA por mensaje de texto al" in directory
    for panel_id in HELP.panels:
        assert "Dónde pedir ayuda" in render_panel(HELP, panel_id, "../help/")


# The checkers themselves: tests that can fail.
def test_checker_finds_a_long_sentence_and_a_missing_action() -> None:
    long = "Tal vez " + " ".join(["algo"] * 20) + ". Llama."
    assert [len(words(s)) for s in sentences(long)] == [22, 1]
    assert not opens_with_action("Es difícil. Llama al 016.")
    assert opens_with_action("Si puedes, llama al 112.")
    assert sentences("**No es tu culpa.** Llama: ahora.") == ["No es tu culpa.", "Llama:", "ahora."]
