"""A quiz in another language holds texts only: structure, keys and danger rules come from the quiz file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brickbybrick import engine
from brickbybrick.quizfile import QuizError, load_quiz
from brickbybrick.translation import load_translation

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPEC = load_quiz(FIXTURES / "quizzes" / "sample.yml")
SPANISH = (FIXTURES / "translation" / "sample.yml").read_text(encoding="utf-8")


def translate(tmp_path: Path, text: str = SPANISH) -> engine.Spec:
    path = tmp_path / "sample.yml"
    path.write_text(text, encoding="utf-8")
    return load_translation(path, SPEC, display_name="quizzes/es/sample.yml")


def test_a_translation_changes_the_words_and_nothing_else(tmp_path: Path) -> None:
    """Every text is the translation's; scales' values, keys, critical rules and scoring are the quiz file's."""
    spanish = translate(tmp_path)
    assert spanish["title"] == "Cuestionario de ejemplo"
    assert spanish["items"][0]["text"] == "Me siento en calma con mi pareja."
    assert spanish["scales"]["frequency"]["points"][0]["label"] == "Nunca"
    strip = lambda spec: [  # noqa: E731 - the structure of a spec without its words
        (item["id"], item["scale"], item["subscale"], item["reverse"], item["critical"])
        for item in spec["items"]
    ]
    assert strip(spanish) == strip(SPEC)
    answers = {"c1": 4, "c2": 0, "s1": 0, "s2": 4}
    english, translated = engine.score(SPEC, answers), engine.score(spanish, answers)
    assert translated["critical"] == [
        {**ref, "text": spanish["items"][ref["number"] - 1]["text"]} for ref in english["critical"]
    ]
    assert translated["overall"]["percent"] == english["overall"]["percent"]  # type: ignore[index]
    assert translated["danger"] is english["danger"] is True


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("  s2: Tengo miedo de mi pareja.\n", ""),
            "quizzes/es/sample.yml:20: items: missing items 's2' (every one needs its text)",
        ),
        (
            ("  s2: Tengo miedo de mi pareja.\n", "  s2: Tengo miedo de mi pareja.\n  s3: Otra.\n"),
            "quizzes/es/sample.yml:24: items.s3: not one of the quiz's items (expected one of: c1, c2, s1, s2)",
        ),
        (
            ("  s1: Me siento a salvo en casa.", "  s1: I feel safe at home."),
            "quizzes/es/sample.yml:22: items.s1: the same as the quiz file's text: translate it",
        ),
        (
            (", Casi siempre]", "]"),
            "quizzes/es/sample.yml:5: scales.frequency: expected 5 labels, in the order of the quiz file's points",
        ),
        (
            ('    - {heading: Alta, feedback: "Texto **para** alta."}\nrecommendations:', "recommendations:"),
            "quizzes/es/sample.yml:27: overall.bands: expected 3 bands, in the quiz file's order",
        ),
        (
            ("  - Siempre se muestra\n", ""),
            "quizzes/es/sample.yml:31: recommendations: expected 2 texts, in the quiz file's order",
        ),
        (
            (
                "title: Cuestionario de ejemplo\n",
                "title: Cuestionario de ejemplo\ncritical: {at_or_above: 9}\n",
            ),
            "quizzes/es/sample.yml:3: critical: not one of the quiz's keys (expected one of: title, scales, items, overall, intro, subscales, recommendations)",
        ),
    ],
)
def test_a_translation_that_drifts_fails_at_its_line(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    """A missing, extra or untranslated text, or a key that is not a text, fails with file:line: key."""
    assert change[0] in SPANISH
    with pytest.raises(QuizError, match=f"^{re.escape(expected)}$"):
        translate(tmp_path, SPANISH.replace(*change, 1))


def test_a_guide_in_spanish_builds_its_quizzes_from_their_translations(tmp_path: Path) -> None:
    """With theme.language es and quizzes/es/, the page's quiz speaks Spanish; a missing translation is named."""
    import json
    import shutil

    from helpers import FIXTURE_CONFIG, build, mini_project

    pages = {
        "index.md": "# Inicio\n",
        "quiz.md": '# Cuestionario\n\n{{ quiz("sample") }}\n',
        "help.md": "# Ayuda\n\n## Get help\n",
    }
    config = FIXTURE_CONFIG.replace("  name: material\n", "  name: material\n  language: es\n")
    project = mini_project(
        tmp_path / "project", pages=pages, config=config, quiz_dirs=(FIXTURES / "quizzes",)
    )
    (project / "quizzes" / "es").mkdir()
    shutil.copy(FIXTURES / "translation" / "sample.yml", project / "quizzes" / "es" / "sample.yml")
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "site" / "quiz" / "index.html").read_text(encoding="utf-8")
    assert "Me siento en calma con mi pareja." in page
    assert "I feel calm around my partner." not in page
    spec = json.loads(html_unescape(re.search(r'data-quiz-spec="([^"]*)"', page)[1]))  # type: ignore[index]
    assert spec["items"][3]["critical"] == {"at_or_above": 2}  # the quiz file's rule, untouched
    (project / "quizzes" / "es" / "sample.yml").unlink()
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    assert done.returncode != 0
    assert "quizzes/es/sample.yml: missing: every quiz of quizzes/ needs its es texts here" in done.stderr


def html_unescape(text: str) -> str:
    import html

    return html.unescape(text)


WORDED_EXTENSION = (
    "def interpret(result, answers, texts):\n"
    "    calm = result['subscales'][0]['percent']\n"
    "    return [{'heading': texts['heading'], 'text': texts['high' if calm >= 50 else 'low']}]\n"
)
EXTENSION_TEXTS = "extension_texts:\n  heading: Calm and you\n  high: Calm is high, keep it up.\n  low: Calm is low, take it slowly.\n"
SPANISH_EXTENSION = """\
title: Demostración
intro: Marca la respuesta que mejor encaje.
scales:
  agree: [En desacuerdo, No lo sé, De acuerdo]
subscales:
  calm:
    label: Calma
    bands: [{heading: Baja, feedback: Texto bajo.}, {heading: Alta, feedback: Texto alto.}]
items:
  q1: Me siento en calma.
  q2: Me siento en tensión.
overall:
  label: En general
  bands: [{heading: Baja, feedback: Texto bajo.}, {heading: Alta, feedback: Texto alto.}]
extension_texts:
  heading: La calma y tú
  high: Tienes mucha calma; sigue así.
  low: Tienes poca calma; ve con calma.
"""


def worded_quiz(tmp_path: Path) -> engine.Spec:
    """The extension fixture, its module taking its words from the quiz file's ``extension_texts``."""
    (tmp_path / "ext-demo.py").write_text(WORDED_EXTENSION, encoding="utf-8")
    source = (FIXTURES / "extension" / "ext-demo.yml").read_text(encoding="utf-8")
    (tmp_path / "ext-demo.yml").write_text(source + EXTENSION_TEXTS, encoding="utf-8")
    return load_quiz(tmp_path / "ext-demo.yml")


def test_an_extension_writes_the_words_of_the_readers_language(tmp_path: Path) -> None:
    """An extension that takes ``texts`` gets the quiz file's, or the translation's: the same module
    writes each language's words, and chooses the same note for the same answers."""
    english = worded_quiz(tmp_path)
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "ext-demo.yml").write_text(SPANISH_EXTENSION, encoding="utf-8")
    spanish = load_translation(tmp_path / "es" / "ext-demo.yml", english, display_name="es/ext-demo.yml")
    for answers, english_text, spanish_text in (
        ({"q1": 3, "q2": 1}, "Calm is high, keep it up.", "Tienes mucha calma; sigue así."),
        ({"q1": 1, "q2": 3}, "Calm is low, take it slowly.", "Tienes poca calma; ve con calma."),
    ):
        assert [note["text"] for note in engine.score(english, answers)["notes"]] == [english_text]
        assert [note["text"] for note in engine.score(spanish, answers)["notes"]] == [spanish_text]
    assert engine.score(spanish, {"q1": 3, "q2": 1})["notes"][0]["heading"] == "La calma y tú"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("  low: Tienes poca calma; ve con calma.\n", ""),
            "es/ext-demo.yml:16: extension_texts: missing texts 'low'",
        ),
        (
            ("  low: Tienes poca calma; ve con calma.\n", "  low: Poca calma.\n  other: Otra.\n"),
            "es/ext-demo.yml:19: extension_texts.other: not one of the quiz's texts",
        ),
        (
            ("  low: Tienes poca calma; ve con calma.\n", "  low: Calm is low, take it slowly.\n"),
            "es/ext-demo.yml:18: extension_texts.low: the same as the quiz file's text: translate it",
        ),
        (("extension_texts:\n", "other_texts:\n"), "es/ext-demo.yml:1: missing keys 'extension_texts'"),
    ],
    ids=["missing", "extra", "untranslated", "none"],
)
def test_an_extensions_texts_are_translated_one_for_one(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    english = worded_quiz(tmp_path)
    (tmp_path / "es").mkdir()
    (tmp_path / "es" / "ext-demo.yml").write_text(SPANISH_EXTENSION.replace(*change), encoding="utf-8")
    with pytest.raises(QuizError, match=re.escape(expected)):
        load_translation(tmp_path / "es" / "ext-demo.yml", english, display_name="es/ext-demo.yml")
