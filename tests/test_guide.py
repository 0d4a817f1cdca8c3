"""The shipped guide: every chapter in the navigation, and five balanced self-assessments in place."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from brickbybrick.quizfile import load_quiz
from brickbybrick.site import page_checker
from helpers import ROOT

DOCS = ROOT / "docs"
QUIZZES = sorted((ROOT / "quizzes").glob("*.yml"))
CHAPTERS = {
    "index.md": "Brick by Brick",
    "safety.md": "safety",
    "pillars.md": "pillars",
    "builders.md": "build",
    "destroyers.md": "destroy",
    "cycle.md": "cycle",
    "repair.md": "repair",
    "action-plan.md": "action plan",
    "help.md": "help",
    "worksheet.md": "worksheet",
    "staying-safe.md": "safe",
    "privacy.md": "privacy",
}
QUIZ_PLACES = {
    "safety-check": "pillars.md",
    "trust-builders": "builders.md",
    "trust-destroyers": "destroyers.md",
    "vulnerability-cycle": "cycle.md",
    "repair-readiness": "repair.md",
}


class _EnvLoader(yaml.SafeLoader):
    """mkdocs.yml uses MkDocs' ``!ENV`` tag; read it as its default."""


_EnvLoader.add_constructor("!ENV", lambda loader, node: loader.construct_sequence(node)[-1])  # type: ignore[arg-type]


def nav_files(nav: Any) -> list[str]:
    if isinstance(nav, str):
        return [nav]
    if isinstance(nav, dict):
        return [f for value in nav.values() for f in nav_files(value)]
    return [f for entry in nav for f in nav_files(entry)]


NAV = nav_files(yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_EnvLoader)["nav"])  # noqa: S506 - a SafeLoader subclass


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_exists_and_is_in_navigation(chapter: str) -> None:
    """Each chapter named in the brief exists, has a title, and is one click from any page via the nav."""
    text = (DOCS / chapter).read_text(encoding="utf-8")
    assert re.search(r"^# \S", text, re.MULTILINE)
    assert CHAPTERS[chapter].lower() in text.lower()
    assert chapter in NAV


def test_reading_order_follows_the_article() -> None:
    """The navigation reads in the article's order, from home to the action plan and help."""
    order = [
        "index.md",
        "safety.md",
        "pillars.md",
        "builders.md",
        "destroyers.md",
        "cycle.md",
        "repair.md",
        "action-plan.md",
    ]
    assert [f for f in NAV if f in order] == order


@pytest.mark.parametrize(
    "chapter", [c for c in CHAPTERS if c not in {"index.md", "privacy.md", "staying-safe.md", "worksheet.md"}]
)
def test_chapter_has_a_try_this_prompt(chapter: str) -> None:
    """Every topic chapter ends its teaching with something to try."""
    assert re.search(r'!!! \w+ "Try this', (DOCS / chapter).read_text(encoding="utf-8"))


@pytest.mark.parametrize("quiz_id", QUIZ_PLACES)
def test_quiz_is_placed_in_its_chapter(quiz_id: str) -> None:
    """Each self-assessment appears, once, in the chapter it belongs to."""
    text = (DOCS / QUIZ_PLACES[quiz_id]).read_text(encoding="utf-8")
    assert text.count(f'{{{{ quiz("{quiz_id}") }}}}') == 1


def test_five_quizzes_ship() -> None:
    """Exactly the five planned self-assessments ship."""
    assert sorted(path.stem for path in QUIZZES) == sorted(QUIZ_PLACES)


@pytest.fixture(scope="module", params=QUIZZES, ids=[path.stem for path in QUIZZES])
def quiz(request: pytest.FixtureRequest) -> dict[str, Any]:
    return load_quiz(request.param, check_page=page_checker(DOCS))


def test_item_count_in_range(quiz: dict[str, Any]) -> None:
    """Each self-assessment has 8 to 20 items."""
    assert 8 <= len(quiz["items"]) <= 20


def test_balanced_wording(quiz: dict[str, Any]) -> None:
    """Each self-assessment mixes reverse-keyed and plainly keyed items."""
    reverse = [item for item in quiz["items"] if item["reverse"]]
    assert 0 < len(reverse) < len(quiz["items"])


def test_every_subscale_has_two_items(quiz: dict[str, Any]) -> None:
    """Every subscale is measured by at least two items."""
    for subscale in quiz["subscales"]:
        assert sum(item["subscale"] == subscale["id"] for item in quiz["items"]) >= 2, subscale["id"]


def test_bands_cover_the_whole_range(quiz: dict[str, Any]) -> None:
    """The bands of every subscale and of the overall score cover 0..100 with no gap or overlap."""
    for bands in [sub["bands"] for sub in quiz["subscales"]] + [quiz["overall"]["bands"]]:
        covered = [pct for band in bands for pct in range(band["min"], band["max"] + 1)]
        assert covered == list(range(101))


def test_recommendations_link_into_the_guide(quiz: dict[str, Any]) -> None:
    """Every self-assessment recommends at least one section of the guide."""
    assert quiz["recommendations"]
    for rec in quiz["recommendations"]:
        assert (DOCS / rec["page"].partition("#")[0]).is_file()


def test_physical_safety_items_are_critical() -> None:
    """In the safety check, items about fear, threats or violence are critical: they show help at once."""
    spec = load_quiz(ROOT / "quizzes" / "safety-check.yml")
    physical = [item for item in spec["items"] if item["subscale"] == "physical"]
    assert len([item for item in physical if item["critical"]]) >= 3
    afraid = [item for item in physical if "afraid" in item["text"].lower()]
    assert afraid
    assert all(item["critical"] for item in afraid)


@pytest.mark.parametrize(
    "number",
    ["911", "999", "112", "1-800-799-7233", "88788", "22522", "0808 2000 247"],
)
def test_help_page_lists_the_numbers(number: str) -> None:
    """The help page gives the emergency numbers and helplines checked for this guide."""
    assert number in (DOCS / "help.md").read_text(encoding="utf-8")


def test_source_article_points_are_covered() -> None:
    """Every named point of the source article appears in the guide."""
    text = " ".join(path.read_text(encoding="utf-8") for path in DOCS.glob("*.md")).lower()
    for point in [
        "emotional safety",
        "physical safety",
        "mental safety",
        "relational safety",
        "tiny commitments",
        "bids for connection",
        "mistakes with grace",
        "keeping confidences",
        "predictable",
        "casual dishonesty",
        "emotional volatility",
        "dismissing concerns",
        "breaking small promises",
        "vulnerabilities as weapons",
        "upward spiral",
        "downward spiral",
        "accountability",
        "understanding the impact",
        "consistent",
        "patience",
        "transparency",
        "professional help",
        "audit your small behaviors",
        "radical honesty",
        "respond to vulnerability with curiosity",
        "keep your word on small things",
        "emotional safety rules",
        "check in regularly",
        "address trust breaks immediately",
        "practice repair skills",
        "walking on eggshells",
        "person who was hurt",
    ]:
        assert point in text, point


def test_quiz_files_are_the_only_yaml(tmp_path: Path) -> None:
    """Nothing but quiz definitions and their extension modules live in quizzes/."""
    names = {path.suffix for path in (ROOT / "quizzes").iterdir()}
    assert names <= {".yml", ".py"}
