"""The shipped guide: every chapter in the navigation, and five balanced self-assessments in place."""

from __future__ import annotations

import importlib.util
import itertools
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from brickbybrick import engine
from brickbybrick.plugin.pages import page_checker
from brickbybrick.quizfile import load_quiz
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


@cache
def quiz_yaml(quiz_id: str) -> dict[str, Any]:
    """The quiz file as written (``help`` and ``critical`` modes as the author typed them)."""
    data: dict[str, Any] = yaml.safe_load((ROOT / "quizzes" / f"{quiz_id}.yml").read_text(encoding="utf-8"))
    return data


@cache
def quiz_spec(quiz_id: str) -> engine.Spec:
    return load_quiz(ROOT / "quizzes" / f"{quiz_id}.yml")


SUBSCALES = [(path.stem, sub["id"]) for path in QUIZZES for sub in quiz_yaml(path.stem)["subscales"]]
CRITICAL_QUIZZES = [
    path.stem for path in QUIZZES if any("critical" in item for item in quiz_yaml(path.stem)["items"])
]
COUPLES_PAGES = {"action-plan.md", "worksheet.md", "repair.md"}
HELP_PANELS = {
    "safety-check": "danger",
    "trust-destroyers": "own-behaviour",
    "repair-readiness": "own-behaviour",
    "vulnerability-cycle": "danger",
}

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
    """Each self-assessment has 8 to 30 items: enough for four per subscale, few enough to finish in minutes."""
    assert 8 <= len(quiz["items"]) <= 30


def test_balanced_wording(quiz: dict[str, Any]) -> None:
    """Each self-assessment mixes reverse-keyed and plainly keyed items."""
    reverse = [item for item in quiz["items"] if item["reverse"]]
    assert 0 < len(reverse) < len(quiz["items"])


@pytest.mark.parametrize(("quiz_id", "subscale_id"), SUBSCALES, ids=[f"{q}.{s}" for q, s in SUBSCALES])
def test_every_subscale_has_at_least_four_items(quiz_id: str, subscale_id: str) -> None:
    """Every subscale of every quiz is measured by at least four items, so its score means something."""
    items = quiz_spec(quiz_id)["items"]
    assert sum(item["subscale"] == subscale_id for item in items) >= 4


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


SAFETY_CHECK_SIGNS = {
    "choking or strangling": "strangled",
    "threats to kill": "threatened to kill you",
    "a weapon or gun": "gun",
    "violence getting worse": "getting worse",
    "jealousy": "accused you of cheating",
    "control of money": "money",
    "control of friends and family": "friends or family",
    "control of daily life": "allowed to go",
    "following": "followed you",
    "reading messages": "read your messages",
    "tracking the phone": "tracked where you were",
    "threats of suicide": "threatened to take their own life",
    "threats to children": "threatened to hurt a child",
    "threats to pets": "threatened to hurt a pet",
    "forced or pressured sex": "something sexual",
    "fear of being seriously hurt": "could seriously hurt me",
    "fear of being killed": "could kill me",
}


@pytest.mark.parametrize("sign", SAFETY_CHECK_SIGNS)
def test_safety_check_asks_about_the_known_danger_signs(sign: str) -> None:
    """The safety check asks about each danger sign that validated screening tools weigh most."""
    texts = [item["text"] for item in quiz_spec("safety-check")["items"]]
    assert any(SAFETY_CHECK_SIGNS[sign] in text for text in texts)


def test_safety_check_asks_about_the_past_twelve_months() -> None:
    """Behavior items ask how often in the past 12 months (Never / Once / A few times / Often), not "right now"."""
    spec = quiz_spec("safety-check")
    assert "past 12 months" in quiz_yaml("safety-check")["intro"]
    assert "right now" not in quiz_yaml("safety-check")["intro"]
    often = [
        item
        for item in spec["items"]
        if item["text"].startswith("In the past 12 months, how often has your partner")
    ]
    assert len(often) >= 12
    for item in often:
        assert [p["label"] for p in spec["scales"][item["scale"]]["points"]] == [
            "Never",
            "Once",
            "A few times",
            "Often",
        ]


def test_safety_check_danger_answers_are_critical() -> None:
    """Any occurrence of harm or a threat is critical, and so is fear from its second point."""
    spec = quiz_spec("safety-check")
    for item in spec["items"]:
        if item["subscale"] in {"physical", "threats"} or "afraid that" in item["text"]:
            assert item["critical"] == {"at_or_above": 1}, item["id"]
    assert {sub["id"] for sub in spec["subscales"] if not sub["focus"]} >= {"physical", "threats", "control"}


OWN_BEHAVIOR = [
    "I shout at my partner.",
    "I slam doors",
    "I throw things",
    "I block my partner's way",
    "I threaten my partner.",
    "I check my partner's phone without asking",
]


@pytest.mark.parametrize("quiz_id", ["trust-destroyers", "repair-readiness"])
@pytest.mark.parametrize("behavior", OWN_BEHAVIOR)
def test_own_frightening_behavior_is_critical(quiz_id: str, behavior: str) -> None:
    """Each frightening behavior of the reader's own has its own item, critical from its first occurrence."""
    spec = quiz_spec(quiz_id)
    (item,) = [item for item in spec["items"] if item["text"].startswith(behavior)]
    first = sorted(point["value"] for point in spec["scales"][item["scale"]]["points"])[1]
    assert item["critical"] == {"at_or_above": first}


@pytest.mark.parametrize("quiz_id", CRITICAL_QUIZZES)
def test_danger_leads_to_help_not_couples_work(quiz_id: str) -> None:
    """A quiz with critical items names its help panel, offers help first, and never shows couples work with danger."""
    data = quiz_yaml(quiz_id)
    assert data["help"] == HELP_PANELS[quiz_id]
    first = data["recommendations"][0]
    assert (first["subscale"], first["page"], first.get("critical")) == ("overall", "help.md", "only")
    for rec in data["recommendations"]:
        if rec["page"].partition("#")[0] in COUPLES_PAGES:
            assert rec.get("critical", "hide") == "hide", rec["text"]
    critical_subscales = {item["subscale"] for item in data["items"] if "critical" in item}
    assert "if_critical" in data["overall"]
    assert all("if_critical" in sub for sub in data["subscales"] if sub["id"] in critical_subscales)


@pytest.mark.parametrize("quiz_id", CRITICAL_QUIZZES)
def test_no_heading_calls_a_reader_in_danger_safe(quiz_id: str) -> None:
    """No heading a reader with a critical answer could see says they are safe."""
    data = quiz_yaml(quiz_id)
    headings = [data["overall"]["if_critical"]["heading"], data["overall"]["bands"][-1]["heading"]]
    for sub in data["subscales"]:
        headings += [band["heading"] for band in sub["bands"]] + [
            sub.get("if_critical", {}).get("heading", "")
        ]
    for heading in headings:
        assert not re.search(r"\bsafe\b", heading, re.IGNORECASE), heading


def _vulnerability_cycle() -> Any:
    spec = importlib.util.spec_from_file_location(
        "vulnerability_cycle", ROOT / "quizzes" / "vulnerability-cycle.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_vulnerability_cycle_threshold_agrees_with_the_bands() -> None:
    """The pattern note calls a subscale "high" exactly where its top band starts."""
    threshold = _vulnerability_cycle().THRESHOLD
    for sub in quiz_yaml("vulnerability-cycle")["subscales"]:
        assert sub["bands"][-1]["min"] == threshold, sub["id"]


@pytest.mark.parametrize("used", [1, 2, 3, 4])
def test_vulnerability_cycle_never_says_safe_when_sharing_was_used_against_the_reader(used: int) -> None:
    """When something shared was used against the reader, no pattern note says "safe", and help is linked."""
    spec = {**quiz_spec("vulnerability-cycle")}
    spec["recommendations"] = [{**rec, "href": rec["page"]} for rec in spec["recommendations"]]
    others = [item["id"] for item in spec["items"] if item["id"] != "r4"]
    for values in itertools.product((0, 4), repeat=len(others)):
        result = engine.score(spec, {**dict(zip(others, values, strict=True)), "r4": used})
        (note,) = result["notes"]
        assert "safe" not in (note["heading"] + note["text"]).lower()
        if "Get help now" in note["text"]:
            assert any(rec["href"] == "help.md" for rec in result["recommendations"])


def test_help_page_lists_help_from_one_source() -> None:
    """The help page takes its lines from help.yml, with no hand-written list of numbers beside it."""
    text = (DOCS / "help.md").read_text(encoding="utf-8")
    assert re.search(r"^\{\{ help_directory\(\) \}\}$", text, re.MULTILINE)
    assert "tel:" not in text


def test_history_advice_agrees_between_pages() -> None:
    """The help page and Staying safe online give the same advice on history, and the help page links there."""
    for page in ("help.md", "staying-safe.md"):
        text = (DOCS / page).read_text(encoding="utf-8")
        assert re.search(r"[Dd]on't clear all of your history at once", text), page
        assert "alert someone" in text, page
        assert "private" in text, page
    assert "(staying-safe.md)" in (DOCS / "help.md").read_text(encoding="utf-8")


GUIDE_TEXT = {path.name: path.read_text(encoding="utf-8") for path in [*DOCS.glob("*.md"), *QUIZZES]}


def test_no_sentence_excuses_harm() -> None:
    """No chapter or quiz excuses hurting a partner ("most people who do this regret it")."""
    for name, text in GUIDE_TEXT.items():
        assert not re.search(r"regret it|reaches for whatever|bad person\. It usually", text), name


@pytest.mark.parametrize("page", ["safety.md", "help.md"])
def test_leaving_is_always_the_readers_right(page: str) -> None:
    """Safety and help both say that wanting to end the relationship is always the reader's right."""
    assert "always your right" in (DOCS / page).read_text(encoding="utf-8")


def test_written_records_are_kept_somewhere_safe() -> None:
    """Wherever the guide suggests writing things down with dates, it says to keep them somewhere safe."""
    for name, text in GUIDE_TEXT.items():
        for paragraph in re.split(r"\n\s*\n", text):
            if "with dates" in paragraph:
                assert "somewhere safe" in paragraph, name


def test_safety_check_chapter_names_its_models_and_limits() -> None:
    """The safety-check chapter names the tools it is modeled on and says it is not a risk assessment."""
    text = (DOCS / QUIZ_PLACES["safety-check"]).read_text(encoding="utf-8")
    for name in [
        "Danger Assessment",
        "HITS",
        "WAST",
        "loveisrespect",
        "not a risk assessment",
        "can't predict",
    ]:
        assert name in text, name


def test_holding_back_out_of_fear_is_not_dishonesty() -> None:
    """The honesty chapter and the honesty feedback say holding back out of fear isn't dishonesty, and link to help."""
    chapter = (DOCS / "destroyers.md").read_text(encoding="utf-8")
    section = chapter.split("## Casual dishonesty")[1].split("\n## ")[0]
    assert "not dishonesty" in section
    assert "(help.md)" in section
    data = quiz_yaml("trust-destroyers")
    (honesty,) = [sub for sub in data["subscales"] if sub["id"] == "dishonesty"]
    assert any("not dishonesty" in band["feedback"] for band in honesty["bands"])
    assert any(
        rec["subscale"] == "dishonesty" and rec["page"] == "help.md" for rec in data["recommendations"]
    )


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
