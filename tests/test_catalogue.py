"""The message catalogue: every language complete, overrides checked, numbers and plurals local."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from brickbybrick import catalogue, engine
from brickbybrick.quizfile import load_quiz

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHIPPED = catalogue.languages()
ENGLISH = catalogue.load("en")


def test_english_and_spanish_are_shipped() -> None:
    """English and Spanish are complete; other languages are files beside them."""
    assert {"en", "es"} <= set(SHIPPED)


@pytest.mark.parametrize("language", SHIPPED)
def test_every_language_has_every_key_with_the_same_placeholders(language: str) -> None:
    """A shipped language has exactly English's keys, each with the same {placeholders}: nothing falls back."""
    own = yaml.safe_load((catalogue.HERE / f"{language}.yml").read_text(encoding="utf-8"))
    assert set(own) == set(ENGLISH.messages)
    for key, text in own.items():
        assert catalogue.placeholders(str(text)) == catalogue.placeholders(ENGLISH.messages[key]), key
    assert catalogue.load(language).fallbacks == []


@pytest.mark.parametrize("language", [lang for lang in SHIPPED if lang != "en"])
def test_a_translation_is_not_english(language: str) -> None:
    """Every sentence is translated: no message with words is left as the English one."""
    words = catalogue.load(language).messages
    same = [
        key
        for key, text in words.items()
        if text == ENGLISH.messages[key]
        and re.search(r"[A-Za-z]{4,}", re.sub(r"\{\w+\}", "", text))
        and not key.startswith("plural.")
    ]
    assert same == []


def test_a_regional_language_uses_its_primary_file() -> None:
    """``es-MX`` and ``es_ES`` get Spanish."""
    assert catalogue.load("es-MX").text("quiz.submit") == catalogue.load("es").text("quiz.submit")
    assert catalogue.load("es_ES").language == "es"


def test_a_language_without_a_file_falls_back_key_by_key() -> None:
    """An unknown language is English, and says so for every key; an override removes that key from the list."""
    words = catalogue.load("xx", {"quiz.submit": "Ergebnisse"})
    assert words.text("quiz.submit") == "Ergebnisse"
    assert "quiz.submit" not in words.fallbacks
    assert words.fallbacks == sorted(key for key in ENGLISH.messages if key != "quiz.submit")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"quiz.submitt": "x"}, "messages: 'quiz.submitt' is not a message (expected one of: quiz.notice"),
        (
            {"result.title": "Results: {titel}"},
            "messages: result.title: {titel} cannot be filled in (the message offers: title)",
        ),
        ({"plural.one": "n > 1"}, "messages: plural.one: expected one of: n == 1, n <= 1"),
    ],
)
def test_a_bad_override_is_named(overrides: dict[str, str], message: str) -> None:
    """An unknown key or a placeholder the text cannot have fails with the key and what was expected."""
    with pytest.raises(catalogue.CatalogueError, match=re.escape(message)):
        catalogue.load("en", overrides)


@pytest.mark.parametrize(
    ("language", "counts"),
    [("en", {0: "other", 1: "one", 2: "other"}), ("es", {0: "other", 1: "one", 2: "other"})],
)
def test_plural_forms_follow_the_language(language: str, counts: dict[int, str]) -> None:
    """``.one`` for the counts the language's rule names, ``.other`` for the rest."""
    words = catalogue.load(language)
    for count, form in counts.items():
        assert words.plural("result.missing", count) == words.text(f"result.missing.{form}", count=count)


def test_a_one_for_zero_and_one_language() -> None:
    """``plural.one: n <= 1`` (French) makes 0 singular too, in Python and in the scorer alike."""
    words = catalogue.load("en", {"plural.one": "n <= 1"})
    assert words.plural("result.missing", 0) == words.text("result.missing.one")
    assert engine.plural(words.messages, "result.missing", 0) == words.text("result.missing.one")


@pytest.mark.parametrize(
    ("language", "value", "written"),
    [
        ("en", 2.5, "2.50"),
        ("es", 2.5, "2,50"),
        ("es", -1.25, "\u22121,25"),
        ("es", 3.0, "3"),
        ("en", -51, "\u221251"),
    ],
)
def test_numbers_follow_the_language(language: str, value: float, written: str) -> None:
    """A decimal comma where the language writes one, and a real minus sign."""
    assert catalogue.load(language).number(value) == written


def test_the_result_speaks_the_guide_language() -> None:
    """A Spanish spec gives a Spanish result: title, figures with a decimal comma, range, disclaimer."""
    spanish = catalogue.load("es")
    spec = load_quiz(
        FIXTURES / "scoring" / "self-esteem.yml", messages=spanish.subset(catalogue.ENGINE_PREFIXES)
    )
    spec["recommendations"] = [{**rec, "href": "x/"} for rec in spec["recommendations"]]
    spec["scoring"] = {**spec["scoring"], "show": ["raw", "mean", "percent"]}
    answers = {item["id"]: 2 for item in spec["items"]}
    answers["q1"] = 3
    html = engine.render_result_html(engine.score(spec, answers), spec)
    assert "Tus resultados: " in html
    assert "media 1,60 (0\u20133)" in html  # reverse-keyed items mirror the 2s: 16 of 30
    assert "de 100" in html
    assert spanish.text("result.disclaimer") in html
    for english in ("Your results", "out of 100", "mean ", "Where to go next", "This self-assessment"):
        assert english not in html
