"""The shipped guide: every chapter in the navigation, and five balanced self-assessments in place."""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from brickbybrick import engine, render
from brickbybrick.helpfile import load_help
from brickbybrick.plugin.pages import page_checker
from brickbybrick.quizfile import load_quiz
from helpers import ROOT

DOCS = ROOT / "docs"
HELP = load_help(ROOT / "help.yml", display_name="help.yml")
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
    """Each self-assessment has 8 to 32 items: enough for four per subscale, few enough to finish in minutes."""
    assert 8 <= len(quiz["items"]) <= 32


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
    # Campbell's Danger Assessment and the Lethality Screen
    "choking or strangling": "choked or strangled you",
    "threats to kill": "threatened to kill you",
    "a weapon used or threatened": "used a weapon against you",
    "the partner's access to a gun": "have a gun, or could they easily get one",
    "separation in the past year": "split up",
    "violence getting worse": "getting worse",
    "violence during pregnancy": "while you were pregnant",
    "forced or pressured sex": "something sexual",
    "jealousy": "accused you of cheating",
    "control of money": "money",
    "control of friends and family": "friends or family",
    "control of daily life": "allowed to go",
    "following or spying": "followed you",
    "the partner's suicide threats and attempts": "threatened or tried to kill themselves",
    "threats to children": "threatened to hurt a child",
    "threats to pets": "or a pet",
    "fear of being killed": "could kill me",
    "the reader's own thoughts of suicide": "thought about ending your life",
    # HITS (Hurt, Insult, Threaten, Scream) and WAST
    "hurt, whether or not it hurt": "pushed, grabbed, slapped, kicked or hit you, whether or not it hurt",
    "insults and put-downs": "insulted you, called you names or put you down",
    "a plain threat to hurt": "threatened to hurt you?",
    "screaming or cursing": "screamed or cursed at you",
    "fear of being seriously hurt": "could seriously hurt me",
    # coercive control beyond the screening tools
    "reading messages": "read your messages",
    "tracking the phone": "tracked where you were",
    "threats to take the children": "take your children",
    "threats to deport": "deported",
    "threats to out": "your sexuality",
    "intimate images": "sexual photos or videos",
    "control over contraception": "birth control",
}


@pytest.mark.parametrize("sign", SAFETY_CHECK_SIGNS)
def test_safety_check_asks_about_the_known_danger_signs(sign: str) -> None:
    """The safety check asks about each danger sign that validated screening tools weigh most."""
    texts = [item["text"] for item in quiz_spec("safety-check")["items"]]
    assert any(SAFETY_CHECK_SIGNS[sign] in text for text in texts)


def _points(spec: engine.Spec, item: engine.ItemSpec) -> list[tuple[int, str]]:
    return [(point["value"], point["label"]) for point in spec["scales"][item["scale"]]["points"]]


def _safety_item(text: str) -> engine.ItemSpec:
    (item,) = [item for item in quiz_spec("safety-check")["items"] if text in item["text"]]
    return item


EVER = [
    "choked or strangled you",
    "used a weapon against you",
    "something sexual",
    "pushed, grabbed, slapped, kicked or hit you",
    "while you were pregnant",
    "threatened to kill you",
    "threatened to hurt you",
    "threatened or tried to kill themselves",
]


@pytest.mark.parametrize("text", EVER)
def test_safety_check_asks_ever_about_the_gravest_harm(text: str) -> None:
    """Strangling, weapons, forced sex, violence and threats count whenever they happened: a reader
    strangled 14 months ago gets help as one strangled last week does, never "none of these"."""
    spec = quiz_spec("safety-check")
    item = _safety_item(text)
    assert item["text"].startswith("Has your partner ever ")
    points = _points(spec, item)
    assert points[0][1] == "Never"
    assert "not in the past year" in points[1][1]
    for value, label in points:
        assert engine.is_critical(item, value) == (label != "Never"), label


def test_safety_check_covers_ex_partners_and_says_which_time_each_question_asks_about() -> None:
    """The intro says "partner" includes an ex-partner, and which questions ask "ever" and which the past
    12 months; every question of the past 12 months is answered Never / Once / A few times / Often."""
    spec = quiz_spec("safety-check")
    intro = quiz_yaml("safety-check")["intro"]
    assert "partner or an ex-partner" in intro
    assert "**ever**" in intro
    assert "past 12 months" in intro
    assert "right now" not in intro
    often = [item for item in spec["items"] if item["text"].startswith("In the past 12 months, how often")]
    assert len(often) >= 10
    for item in often:
        assert [label for _, label in _points(spec, item)] == ["Never", "Once", "A few times", "Often"]
    for item in spec["items"]:
        assert "partner" in item["text"] or item["subscale"] == "feelings", item["id"]


def test_safety_check_danger_answers_are_critical() -> None:
    """Any harm or threat, ever, is critical; so are fear from its second point, thoughts of suicide,
    following, tracking and control over birth control from their first time, and control "Often"."""
    spec = quiz_spec("safety-check")
    for item in spec["items"]:
        if item["subscale"] in {"physical", "threats"} or "afraid that" in item["text"]:
            assert item["critical"] == {"at_or_above": 1}, item["id"]
    for text in ("ending your life", "followed you", "tracked where you were", "birth control"):
        assert _safety_item(text)["critical"] == {"at_or_above": 1}, text
    for item in spec["items"]:
        if item["subscale"] == "control":
            assert item["critical"] is not None, item["id"]
            assert item["critical"]["at_or_above"] in (1, 3), item["id"]
    assert all(not sub["focus"] for sub in spec["subscales"])


def test_safety_check_counts_control_as_a_pattern() -> None:
    """Three control items at "A few times" are critical together; so are the five a reviewer tried, and
    the result then shows help and neither a score nor a couples check-in."""
    spec = quiz_spec("safety-check")
    (control,) = [sub for sub in spec["subscales"] if sub["id"] == "control"]
    assert control["critical"] == {"count": 3, "at_or_above": 2}
    calm = {item["id"]: 0 for item in spec["items"]}
    calm.update({_safety_item("safe around")["id"]: 3, _safety_item("say no")["id"]: 3})
    assert engine.score(spec, calm)["danger"] is False
    reviewed = ["accused you of cheating", "checked your phone", "friends or family", "money", "followed you"]
    for chosen in (reviewed[:3], reviewed):
        answers = {**calm, **{_safety_item(text)["id"]: 2 for text in chosen}}
        result = engine.score(spec, answers)
        assert result["danger"] is True
        assert "control" in [pattern["id"] for pattern in result["patterns"]]
        assert {sub["band"]["state"] for sub in result["subscales"]} <= {"critical", "set_aside"}
        texts = " ".join(rec["text"] for rec in result["recommendations"])
        assert "check-in" not in texts.lower()
    two = {**calm, **{_safety_item(text)["id"]: 2 for text in reviewed[:2]}}
    assert engine.score(spec, two)["danger"] is False


def test_safety_check_asks_about_a_gun_and_separation_and_says_why_they_matter() -> None:
    """A gun and leaving are asked about; alone they are not abuse, but beside any warning sign the
    result tells the reader to tell a helpline about them."""
    for text in ("have a gun", "split up"):
        assert _safety_item(text)["critical"] is None, text
    overall = quiz_yaml("safety-check")["overall"]["if_critical"]["feedback"]
    assert "gun" in overall
    assert "leave" in overall


def test_suicidal_thoughts_point_to_crisis_lines() -> None:
    """Thoughts of ending one's life are critical, and the text shown then says where crisis lines are."""
    item = _safety_item("ending your life")
    (feelings,) = [sub for sub in quiz_yaml("safety-check")["subscales"] if sub["id"] == item["subscale"]]
    text = feelings["if_critical"]["feedback"]
    assert "crisis line" in text
    assert "help link at the top" in text


def test_no_text_reassures_beside_a_warning_sign() -> None:
    """No result text says that none of the answers is a strong danger sign (a reader harmed over a year
    ago, or by an ex-partner, could read it as "you are fine"), and the safety check offers no couples work."""
    for path in QUIZZES:
        text = path.read_text(encoding="utf-8").lower()
        assert "strongest danger signs" not in text, path.name
        assert not re.search(r"none of your answers is", text), path.name
    for rec in quiz_yaml("safety-check")["recommendations"]:
        assert rec["page"].partition("#")[0] not in COUPLES_PAGES, rec["text"]


OWN_BEHAVIOR = [
    "I shout at my partner.",
    "slam doors",
    "throw things",
    "I block my partner's way",
    "I threaten my partner.",
    "push, grab, slap or hit my partner, whether or not it hurts",
    "sex",
    "check my partner's phone",
    "track where",
    "money",
]


@pytest.mark.parametrize("quiz_id", ["trust-destroyers", "repair-readiness"])
@pytest.mark.parametrize("behavior", OWN_BEHAVIOR)
def test_own_frightening_behavior_is_critical(quiz_id: str, behavior: str) -> None:
    """Each frightening or controlling behavior of the reader's own is asked about, and critical from its
    first occurrence ("Rarely")."""
    spec = quiz_spec(quiz_id)
    (item,) = [item for item in spec["items"] if behavior in item["text"]]
    first = sorted(point["value"] for point in spec["scales"][item["scale"]]["points"])[1]
    assert item["critical"] == {"at_or_above": first}


def test_not_accepting_a_no_is_critical() -> None:
    """Accepting a no "Never" or "Rarely" is critical: it can no longer score well."""
    spec = quiz_spec("trust-destroyers")
    (item,) = [item for item in spec["items"] if "says no" in item["text"]]
    critical = [label for value, label in _points(spec, item) if engine.is_critical(item, value)]
    assert critical == ["Never", "Rarely"]


@pytest.mark.parametrize("quiz_id", ["trust-destroyers", "repair-readiness"])
def test_own_behaviour_texts_speak_to_a_reader_who_is_afraid(quiz_id: str) -> None:
    """Every critical text of an own-behaviour check has one sentence for a reader who reacted out of
    fear, pointing to the help page and the safety check."""
    data = quiz_yaml(quiz_id)
    scopes = [sub for sub in data["subscales"] if "if_critical" in sub] + [data["overall"]]
    for scope in scopes:
        text = scope["if_critical"]["feedback"]
        assert "If you acted out of fear of your partner" in text, scope.get("id", "overall")
        assert (
            "[the help page](help.md#emergency-numbers-and-helplines)" in text
        )  # where the lines for victims are
        assert "[the safety check](pillars.md#self-assessment-safety-check)" in text


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


#: The words the vulnerability-cycle extension chooses from (extension_texts in its quiz file).
TEXTS = quiz_yaml("vulnerability-cycle")["extension_texts"]


def test_vulnerability_cycle_threshold_agrees_with_the_bands() -> None:
    """The pattern note calls a subscale "high" exactly where its top band starts."""
    threshold = _vulnerability_cycle().THRESHOLD
    for sub in quiz_yaml("vulnerability-cycle")["subscales"]:
        assert sub["bands"][-1]["min"] == threshold, sub["id"]


#: Advice for two, which can put a reader at risk when what they share is used against them.
COUPLES_ADVICE = re.compile(
    r"talk with your partner|tell your partner|calm moment|coming back|come back|try sharing|check-in",
    re.IGNORECASE,
)


def _cycle_answers() -> list[dict[str, int]]:
    """Every item but r4 at Never or Almost always: all four patterns and both ends of repair."""
    others = [item["id"] for item in quiz_spec("vulnerability-cycle")["items"] if item["id"] != "r4"]
    return [
        dict(zip(others, values, strict=True)) for values in itertools.product((0, 4), repeat=len(others))
    ]


@pytest.mark.parametrize("used", [1, 2, 3, 4])
def test_vulnerability_cycle_points_to_help_when_sharing_was_used_against_the_reader(used: int) -> None:
    """When something shared was used against the reader, the extension itself (before the engine's filter)
    returns one note that links to help, gives no advice for two ("talk with your partner at a calm
    moment") and never says "safe"; the result shows that note."""
    loaded = load_quiz(ROOT / "quizzes" / "vulnerability-cycle.yml", help_data=HELP, require_help=True)
    spec = render.browser_spec(loaded, lambda page: page, "help.md")
    interpret = _vulnerability_cycle().interpret
    for others in _cycle_answers():
        answers = {**others, "r4": used}
        result = engine.score(spec, answers)
        (note,) = interpret(json.loads(json.dumps(result)), answers, TEXTS)
        assert note["help_link"] is True
        assert not COUPLES_ADVICE.search(note["text"]), note["text"]
        assert "safe" not in (note["heading"] + note["text"]).lower()
        assert note["text"].endswith("in confidence:")  # the engine appends the help link here
        assert result["notes"] == [note]


def test_vulnerability_cycle_points_to_help_beside_any_critical_answer() -> None:
    """Beside any critical answer or pattern (a future item, say), the note points to help and gives no
    advice for two, even with r4 at Never; without danger the four patterns read as before."""
    interpret = _vulnerability_cycle().interpret
    spec = quiz_spec("vulnerability-cycle")
    headings = set()
    for others in _cycle_answers()[::7]:
        answers = {**others, "r4": 0}
        result = json.loads(json.dumps(engine.score(spec, answers)))
        assert result["danger"] is False
        (calm,) = interpret(result, answers, TEXTS)
        headings.add(calm["heading"])
        for flag in ({"danger": True}, {"critical": [{"id": "x", "number": 1, "text": "x"}]}):
            (note,) = interpret({**result, **flag}, answers, TEXTS)
            assert note["help_link"] is True
            assert not COUPLES_ADVICE.search(note["text"]), note["text"]
    assert len(headings) == 4


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
    """Nothing but quiz definitions, their extension modules and their translations (one folder per
    other language of the guide) live in quizzes/."""
    names = {path.suffix for path in (ROOT / "quizzes").iterdir() if path.is_file()}
    assert names <= {".yml", ".py"}
    assert {path.name for path in (ROOT / "quizzes").iterdir() if path.is_dir()} == {"es"}
