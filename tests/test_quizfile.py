"""Quiz files: strict validation with compiler-style errors, and what a valid file becomes."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from brickbybrick.helpfile import load_help
from brickbybrick.plugin.pages import page_checker
from brickbybrick.quizfile import QuizError, load_quiz, load_quizzes, markdown_to_html

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SAMPLE = FIXTURES / "quizzes" / "sample.yml"
INVALID = FIXTURES / "invalid"
DOCS = FIXTURES / "docs"
EXTENSION = FIXTURES / "extension"

# (fixture directory under fixtures/invalid/, the exact one-line error it must raise)
INVALID_CASES = [
    (
        "unknown-key",
        "quizzes/sample.yml:4: summary: unknown key (expected one of: id, title, scales, items, overall, subscales, intro, recommendations, extension, extension_texts, help, scoring)",
    ),
    (
        "unknown-nested-key",
        "quizzes/sample.yml:25: items[1].subscle: unknown key (expected one of: id, text, scale, subscale, reverse, critical)",
    ),
    ("wrong-type-bool", "quizzes/sample.yml:25: items[1].reverse: expected true or false, got text"),
    (
        "wrong-type-int",
        "quizzes/sample.yml:9: scales.frequency.points[1].value: expected a whole number, got text",
    ),
    ("missing-item-text", "quizzes/sample.yml:24: items[0]: missing required key 'items[0].text'"),
    ("missing-title", "quizzes/sample.yml:2: missing required key 'title'"),
    (
        "duplicate-item-id",
        "quizzes/sample.yml:25: items[1].id: duplicate item id 'c1' (first used at items[0])",
    ),
    (
        "duplicate-subscale-id",
        "quizzes/sample.yml:20: subscales[1].id: duplicate subscale id 'calm' (first used at subscales[0])",
    ),
    ("duplicate-yaml-key", "quizzes/sample.yml:4: title: duplicate key"),
    (
        "bands-gap",
        "quizzes/sample.yml:18: subscales[0].bands[1].min: gap: no band covers 40..40 (bands must cover 0..100 in order)",
    ),
    (
        "bands-overlap",
        "quizzes/sample.yml:18: subscales[0].bands[1].min: overlap: 39..39 is already covered (bands must cover 0..100 in order)",
    ),
    (
        "bands-short",
        "quizzes/sample.yml:19: subscales[0].bands[2].max: gap: no band covers 100..100 (bands must cover 0..100)",
    ),
    ("band-min-above-max", "quizzes/sample.yml:18: subscales[0].bands[1].min: min 40 is above max 30"),
    (
        "undefined-subscale",
        "quizzes/sample.yml:24: items[0].subscale: 'emotinal' is not a subscale (expected one of: calm, safe)",
    ),
    (
        "undefined-scale",
        "quizzes/sample.yml:24: items[0].scale: 'frequncy' is not a scale (expected one of: frequency)",
    ),
    (
        "critical-not-a-value",
        "quizzes/sample.yml:26: items[2].critical.at_or_below: 5 is not a value of scale 'frequency' (expected one of: 0, 1, 2, 3, 4)",
    ),
    (
        "critical-both",
        "quizzes/sample.yml:26: items[2].critical: expected exactly one of: at_or_above, at_or_below",
    ),
    (
        "critical-neither",
        "quizzes/sample.yml:26: items[2].critical: expected exactly one of: at_or_above, at_or_below",
    ),
    (
        "page-missing",
        "quizzes/sample.yml:32: recommendations[0].page: 'missing.md' is not a page in docs/ (expected a path like 'chapter.md#heading')",
    ),
    (
        "anchor-missing",
        "quizzes/sample.yml:33: recommendations[1].page: 'help.md' has no heading with the anchor '#get-lost'",
    ),
    (
        "recommendation-subscale-unknown",
        "quizzes/sample.yml:32: recommendations[0].subscale: 'clam' is not a subscale (expected one of: overall, calm, safe)",
    ),
    ("id-mismatch", "quizzes/sample.yml:2: id: 'other' must match the file name 'sample'"),
    (
        "id-invalid",
        "quizzes/Sample_1.yml:2: id: 'Sample_1' is not a valid id (expected lowercase letters, digits and hyphens)",
    ),
    (
        "scale-duplicate-values",
        "quizzes/sample.yml:8: scales.frequency.points: values must be unique, got [0, 1, 2, 2, 4]",
    ),
    ("scale-one-point", "quizzes/sample.yml:8: scales.frequency.points: expected at least 2 entries, got 1"),
    ("subscale-no-items", "quizzes/sample.yml:20: subscales[1].id: subscale 'safe' has no items"),
    ("yaml-syntax", "quizzes/sample.yml:3: YAML syntax error: mapping values are not allowed here"),
    ("empty", "quizzes/sample.yml:1: the file is empty (expected a mapping of quiz keys)"),
    (
        "javascript-link",
        "quizzes/sample.yml:19: subscales[0].bands[2].feedback: link 'javascript:alert(1)' uses a scheme other than http, https, mailto, tel",
    ),
    (
        "extension-missing",
        "quizzes/sample.yml:34: extension: 'sample.py' is not a Python file beside sample.yml",
    ),
    (
        "extension-raises",
        "quizzes/sample.yml:34: extension: scoring a sample failed: ZeroDivisionError: division by zero",
    ),
    (
        "extension-wrong-shape",
        "quizzes/sample.yml:34: extension: scoring a sample failed: EngineError: sample.py: interpret() must return a list, got dict",
    ),
    (
        "extension-bad-note",
        "quizzes/sample.yml:34: extension: scoring a sample failed: EngineError: sample.py: interpret() note [0] must be a dict with str 'heading' and 'text' (and optionally bool 'help_link')",
    ),
    (
        "extension-no-interpret",
        "quizzes/sample.yml:34: extension: scoring a sample failed: EngineError: sample.py: defines no function interpret(result, answers)",
    ),
    (
        "pattern-count-too-high",
        "quizzes/sample.yml:22: subscales[1].critical.count: expected 1 to 2 (the number of items it counts), got 3",
    ),
    (
        "pattern-not-a-value",
        "quizzes/sample.yml:16: subscales[0].critical.at_or_above: 7 is not a value of scale 'frequency' of item 'c1' (expected one of: 0, 1, 2, 3, 4)",
    ),
    (
        "pattern-both",
        "quizzes/sample.yml:16: subscales[0].critical: expected exactly one of: at_or_above, at_or_below",
    ),
    (
        "pattern-no-count",
        "quizzes/sample.yml:16: subscales[0].critical: missing required key 'subscales[0].critical.count'",
    ),
    (
        "overall-pattern-zero",
        "quizzes/sample.yml:30: overall.critical.count: expected 1 to 4 (the number of items it counts), got 0",
    ),
    (
        "if-critical-no-critical-items",
        "quizzes/sample.yml:16: subscales[0].if_critical: never shown: no item of subscale 'calm' has a critical answer (and it has no pattern)",
    ),
    (
        "overall-if-critical-no-critical",
        "quizzes/sample.yml:30: overall.if_critical: never shown: no item of this quiz has a critical answer",
    ),
    (
        "recommendation-critical-unknown",
        "quizzes/sample.yml:32: recommendations[0].critical: expected one of: hide, only, show, got 'sometimes'",
    ),
    (
        "recommendation-only-no-critical",
        "quizzes/sample.yml:33: recommendations[1].critical: never shown: no item of this quiz has a critical answer",
    ),
    ("help-unknown-panel", "quizzes/sample.yml:4: help: 'for-parents' is not a panel of help.yml"),
    (
        "help-no-critical",
        "quizzes/sample.yml:4: help: never shown: no item of this quiz has a critical answer",
    ),
    (
        "if-critical-missing-feedback",
        "quizzes/sample.yml:22: subscales[1].if_critical: missing required key 'subscales[1].if_critical.feedback'",
    ),
    ("tab-indent", "quizzes/sample.yml:21: a tab in the indentation: indent with spaces (YAML forbids tabs)"),
    # The scoring block (issue 12): figures shown, band units, missing answers, single scores.
    (
        "scoring-show-unknown",
        "quizzes/sample.yml:6: scoring.show[1]: expected one of: raw, mean, percent, got 'median'",
    ),
    ("scoring-show-twice", "quizzes/sample.yml:6: scoring.show[1]: 'raw' is listed twice"),
    (
        "scoring-show-order",
        "quizzes/sample.yml:6: scoring.show[1]: list the figures in the order raw, mean, percent ('raw' comes before 'percent')",
    ),
    ("scoring-show-empty", "quizzes/sample.yml:6: scoring.show: expected at least 1 entries, got 0"),
    (
        "scoring-bands-on-unknown",
        "quizzes/sample.yml:7: scoring.bands_on: expected one of: raw, mean, percent, got 'total'",
    ),
    (
        "scoring-missing-negative",
        "quizzes/sample.yml:8: scoring.missing: expected a whole number of 0 or more, got -1",
    ),
    (
        "scoring-missing-whole-quiz",
        "quizzes/sample.yml:8: scoring.missing: 10 would leave every item of this quiz (10 items) unanswered and unscored: at most 9",
    ),
    (
        "scoring-missing-whole-subscale",
        "quizzes/sample.yml:13: scoring.missing: 2 would leave every item of subscale 'calm' (2 items) unanswered and unscored: at most 1",
    ),
    (
        "raw-bands-start-late",
        "quizzes/sample.yml:30: overall.bands[0].min: gap: no band covers 0..4 (bands on raw scores must cover 0..30 in order)",
    ),
    (
        "raw-bands-start-too-low",
        "quizzes/sample.yml:30: overall.bands[0].min: min -1 is below the lowest possible raw score, 0",
    ),
    (
        "raw-bands-end-short",
        "quizzes/sample.yml:32: overall.bands[2].max: gap: no band covers 29..30 (bands on raw scores must cover 0..30)",
    ),
    (
        "raw-bands-end-too-high",
        "quizzes/sample.yml:32: overall.bands[2].max: max 40 is above the highest possible raw score, 30",
    ),
    (
        "raw-bands-gap",
        "quizzes/sample.yml:31: overall.bands[1].min: gap: no band covers 15..15 (bands on raw scores must cover 0..30 in order)",
    ),
    (
        "raw-bands-overlap",
        "quizzes/sample.yml:32: overall.bands[2].min: overlap: 25..25 is already covered (bands on raw scores must cover 0..30 in order)",
    ),
    (
        "mean-bands-gap",
        "quizzes/sample.yml:31: overall.bands[1].min: gap: no band covers 1.4..1.4 (bands on means must cover 0..3 in order)",
    ),
    (
        "percent-band-decimal",
        "quizzes/sample.yml:18: subscales[0].bands[1].min: expected a whole number, got a decimal number",
    ),
    ("band-not-a-number", "quizzes/sample.yml:31: overall.bands[1].min: expected a number, got text"),
    (
        "raw-below-outside",
        "quizzes/sample.yml:34: recommendations[0].below: 40 is outside the possible raw scores of the overall score (0..30)",
    ),
    (
        "item-subscale-missing",
        "quizzes/sample.yml:25: items[1]: missing required key 'items[1].subscale' (in a quiz with subscales every item belongs to one)",
    ),
    (
        "single-score-item-subscale",
        "quizzes/sample.yml:19: items[2].subscale: 'calm' is not a subscale (this quiz has none: declare subscales, or leave subscale out of every item for a single score)",
    ),
    (
        "single-score-recommendation-subscale",
        "quizzes/sample.yml:34: recommendations[0].subscale: 'calm' is not a subscale (expected one of: overall)",
    ),
]

# YAML oddities and a disguised javascript: link (found by these tests, since fixed).
MALFORMED_CASES = [
    (
        "yaml-unknown-tag",
        "quizzes/sample.yml:3: title: YAML error: could not determine a constructor for the tag '!shout'",
    ),
    ("yaml-bad-date", "quizzes/sample.yml:3: title: invalid value '2024-13-45': month must be in 1..12"),
    (
        "yaml-recursive-alias",
        "quizzes/sample.yml:3: title[0]: an alias refers to itself (recursive YAML anchor)",
    ),
    (
        "javascript-entity-link",
        "quizzes/sample.yml:19: subscales[0].bands[2].feedback: link 'javascript:alert(1)' uses a scheme other than http, https, mailto, tel",
    ),
]


def fixture_file(name: str) -> Path:
    """The one quiz file in ``fixtures/invalid/<name>/``."""
    (path,) = (INVALID / name).glob("*.yml")
    return path


HELP = load_help(FIXTURES / "help.yml", display_name="help.yml")


def load_invalid(name: str) -> None:
    path = fixture_file(name)
    load_quiz(
        path,
        display_name=f"quizzes/{path.name}",
        check_page=page_checker(DOCS),
        help_data=HELP,
        require_help=True,
    )


def test_critical_items_need_help_data_in_a_site() -> None:
    """A site whose quiz has critical answers but no help.yml fails, naming the first critical item."""
    with pytest.raises(QuizError) as caught:
        load_quiz(SAMPLE, display_name="quizzes/sample.yml", require_help=True)
    assert str(caught.value) == (
        "quizzes/sample.yml:26: items[2].critical: a critical answer needs help to point to: "
        "add help.yml beside mkdocs.yml (see the README)"
    )


def sample_copy(tmp_path: Path, old: str, new: str) -> Path:
    """Write a copy of sample.yml with one text replaced, as ``<tmp>/sample.yml``."""
    source = SAMPLE.read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "sample.yml"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


# --------------------------------------------------------------------------- failures


@pytest.mark.parametrize(("name", "expected"), INVALID_CASES, ids=[name for name, _ in INVALID_CASES])
def test_invalid_quiz_raises_located_error(name: str, expected: str) -> None:
    """Each broken fixture fails with exactly one ``file:line: key.path: message`` error."""
    with pytest.raises(QuizError, match=f"^{re.escape(expected)}$"):
        load_invalid(name)


@pytest.mark.parametrize(("name", "expected"), MALFORMED_CASES, ids=[name for name, _ in MALFORMED_CASES])
def test_malformed_quiz_raises_quiz_error(name: str, expected: str) -> None:
    """Every malformed file fails with a located QuizError, never another exception."""
    with pytest.raises(QuizError, match=f"^{re.escape(expected)}$"):
        load_invalid(name)


def test_every_invalid_fixture_is_tested() -> None:
    """Each directory under fixtures/invalid/ appears in a parametrize table."""
    tested = {name for name, _ in INVALID_CASES} | {name for name, _ in MALFORMED_CASES}
    on_disk = {path.name for path in INVALID.iterdir() if path.is_dir()}
    assert on_disk == tested


def test_markdown_link_to_javascript_is_rejected() -> None:
    """markdown_to_html refuses a ``javascript:`` link however the scheme is cased."""
    with pytest.raises(ValueError, match="uses a scheme other than http, https, mailto, tel"):
        markdown_to_html("[x](JavaScript:alert(1))")


@pytest.mark.parametrize(
    "url", ["java&#9;script:alert(1)", "javascript&colon;alert(1)", " data:text/html,x", "vbscript:x"]
)
def test_disguised_dangerous_links_are_rejected(url: str) -> None:
    """Character references, tabs and leading spaces do not sneak a dangerous scheme past the check."""
    with pytest.raises(ValueError, match="uses a scheme other than"):
        markdown_to_html(f"[x](<{url}>)")


@pytest.mark.parametrize(
    "url", ["other.md", "https://example.org/a", "mailto:a@example.org", "tel:112", "#here"]
)
def test_safe_links_are_kept(url: str) -> None:
    """Relative links and http(s), mailto and tel links render as links."""
    assert "<a href=" in markdown_to_html(f"[x]({url})")


def test_missing_file_is_a_quiz_error(tmp_path: Path) -> None:
    """A path that does not exist fails with a QuizError naming the file, without a line."""
    with pytest.raises(QuizError, match=r"^quizzes/nothing\.yml: cannot read the file: "):
        load_quiz(tmp_path / "nothing.yml", display_name="quizzes/nothing.yml")


def test_load_quizzes_names_files_relative_to_root(tmp_path: Path) -> None:
    """load_quizzes reports a broken file by its path relative to the project root."""
    quizzes = tmp_path / "quizzes"
    quizzes.mkdir()
    shutil.copy(fixture_file("duplicate-item-id"), quizzes / "sample.yml")
    with pytest.raises(QuizError, match=r"^quizzes/sample\.yml:25: items\[1\]\.id: duplicate item id 'c1'"):
        load_quizzes(quizzes, root=tmp_path)


# --------------------------------------------------------------------------- successes


def test_sample_loads_into_a_spec() -> None:
    """The valid sample becomes a spec with defaults filled in for reverse, critical and below."""
    spec = load_quiz(SAMPLE, display_name="quizzes/sample.yml", check_page=page_checker(DOCS))
    assert spec["id"] == "sample"
    assert spec["title"] == "Sample check"
    assert spec["intro_html"] == "<p>How often is each of these <em>true</em> for you?</p>"
    assert [item["id"] for item in spec["items"]] == ["c1", "c2", "s1", "s2"]
    assert [item["reverse"] for item in spec["items"]] == [False, True, False, True]
    assert [item["critical"] for item in spec["items"]] == [
        None,
        None,
        {"at_or_below": 0},
        {"at_or_above": 2},
    ]
    assert [point["value"] for point in spec["scales"]["frequency"]["points"]] == [0, 1, 2, 3, 4]
    assert [sub["id"] for sub in spec["subscales"]] == ["calm", "safe"]
    assert [rec["below"] for rec in spec["recommendations"]] == [70, None]
    assert [rec["page"] for rec in spec["recommendations"]] == ["index.md", "help.md#get-help"]
    assert spec["extension"] is None


def test_band_feedback_markdown_is_rendered() -> None:
    """Band feedback Markdown becomes HTML, e.g. ``**feedback**`` becomes ``<strong>``."""
    spec = load_quiz(SAMPLE)
    high = spec["subscales"][0]["bands"][2]
    assert high["feedback_html"] == "<p>High <strong>feedback</strong>.</p>"


def test_raw_html_in_feedback_is_escaped(tmp_path: Path) -> None:
    """A ``<script>`` tag in feedback Markdown is shown as text, not emitted as a tag."""
    path = sample_copy(
        tmp_path, 'feedback: "High **feedback**."', 'feedback: "High <script>alert(1)</script>"'
    )
    html = load_quiz(path)["subscales"][0]["bands"][2]["feedback_html"]
    assert "<script" not in html
    assert html == "<p>High &lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_yaml_anchors_and_aliases_are_resolved() -> None:
    """Bands written once with an anchor are shared by every alias of it."""
    spec = load_quiz(SAMPLE)
    calm, safe = spec["subscales"]
    assert [band["heading"] for band in calm["bands"]] == ["Low", "Middle", "High"]
    assert safe["bands"] == calm["bands"]
    assert spec["overall"]["bands"] == calm["bands"]


def test_yaml_merge_key_is_resolved(tmp_path: Path) -> None:
    """A ``<<: *anchor`` merge copies the anchored mapping's keys."""
    path = sample_copy(
        tmp_path,
        "bands: *bands\nitems:",
        "bands:\n      - {<<: *low}\n      - {min: 40, max: 100, heading: Rest, feedback: Rest.}\nitems:",
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace("- {min: 0, max: 39,", "- &low {min: 0, max: 39,", 1)
    )
    spec = load_quiz(path)
    assert spec["subscales"][1]["bands"][0] == spec["subscales"][0]["bands"][0]
    assert spec["subscales"][1]["bands"][0]["heading"] == "Low"


def test_yaml_merge_key_can_be_overridden(tmp_path: Path) -> None:
    """A key written beside ``<<: *anchor`` overrides the merged value, as YAML specifies."""
    path = sample_copy(
        tmp_path,
        "bands: *bands\nitems:",
        "bands:\n      - {<<: *low, heading: Quiet}\n      - {min: 40, max: 100, heading: Rest, feedback: Rest.}\nitems:",
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace("- {min: 0, max: 39,", "- &low {min: 0, max: 39,", 1)
    )
    spec = load_quiz(path)
    assert spec["subscales"][1]["bands"][0]["heading"] == "Quiet"


def test_extension_source_is_embedded_in_the_spec() -> None:
    """A quiz with an extension carries the module's file name and source in its spec."""
    spec = load_quiz(EXTENSION / "ext-demo.yml")
    assert spec["extension"] == {
        "filename": "ext-demo.py",
        "source": (EXTENSION / "ext-demo.py").read_text(encoding="utf-8"),
        "texts": {},
    }


def test_load_quizzes_loads_every_file_in_a_directory(tmp_path: Path) -> None:
    """load_quizzes returns one spec per ``*.yml`` file, keyed by quiz id."""
    shutil.copy(SAMPLE, tmp_path / "sample.yml")
    shutil.copy(EXTENSION / "ext-demo.yml", tmp_path / "ext-demo.yml")
    shutil.copy(EXTENSION / "ext-demo.py", tmp_path / "ext-demo.py")
    quizzes = load_quizzes(tmp_path, root=tmp_path, check_page=page_checker(DOCS))
    assert sorted(quizzes) == ["ext-demo", "sample"]
    assert quizzes["sample"]["title"] == "Sample check"
    assert quizzes["ext-demo"]["title"] == "Extension demo"


@pytest.mark.parametrize(
    "url", ["https://example.org/a.png", "//example.org/a.png", " HTTP://example.org/a.png"]
)
def test_images_from_other_hosts_are_rejected(url: str) -> None:
    """Quiz Markdown may not load an image from another host (it would tell that host who reads)."""
    with pytest.raises(ValueError, match="would load from another host"):
        markdown_to_html(f"![pixel]({url})")


def test_alias_bomb_is_refused_at_the_cap_with_its_line(tmp_path: Path) -> None:
    """A few hundred bytes of nested YAML aliases (10**9 values) are refused at the cap, naming where."""
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 9)]
    path = tmp_path / "bomb.yml"
    path.write_text("\n".join(levels) + "\n", encoding="utf-8")
    assert path.stat().st_size < 1000
    with pytest.raises(QuizError, match=r"^quizzes/bomb\.yml:\d+: a\d+\[\d+\].*more than 50000 values"):
        load_quiz(path, display_name="quizzes/bomb.yml")


def test_extension_system_exit_is_a_located_error(tmp_path: Path) -> None:
    """An extension that calls sys.exit() fails the build with file, line and key, not a silent stop."""
    quiz = sample_copy(tmp_path, "recommendations:", "extension: sample.py\nrecommendations:")
    (tmp_path / "sample.py").write_text(
        "import sys\n\ndef interpret(result, answers):\n    sys.exit(3)\n", encoding="utf-8"
    )
    with pytest.raises(QuizError) as caught:
        load_quiz(quiz, display_name="quizzes/sample.yml")
    assert str(caught.value).startswith("quizzes/sample.yml:")
    assert "extension: scoring a sample failed: SystemExit: 3" in str(caught.value)


# --------------------------------------------------------------------------- scoring (issue 12)

SCORING = FIXTURES / "scoring"


def test_quiz_without_scoring_block_gets_the_defaults() -> None:
    """Without ``scoring`` a quiz shows percents, bands on percents, and allows no blank answer."""
    spec = load_quiz(SAMPLE)
    assert spec["scoring"] == {"show": ["percent"], "bands_on": "percent", "missing": 0}


def test_single_score_quiz_loads_without_subscales() -> None:
    """A quiz may leave out ``subscales`` when no item names one: one score, raw bands, its scoring."""
    spec = load_quiz(SCORING / "self-esteem.yml", check_page=page_checker(DOCS))
    assert spec["subscales"] == []
    assert {item["subscale"] for item in spec["items"]} == {None}
    assert [item["reverse"] for item in spec["items"]] == [i in {2, 5, 6, 8, 9} for i in range(1, 11)]
    assert spec["scoring"] == {"show": ["raw", "mean"], "bands_on": "raw", "missing": 1}
    assert [(band["min"], band["max"]) for band in spec["overall"]["bands"]] == [(0, 14), (15, 25), (26, 30)]
    assert spec["recommendations"][0]["below"] == 15


def test_mean_bands_with_decimals_load() -> None:
    """Mean bands on a -3..+3 scale may use decimals (and negative bounds)."""
    spec = load_quiz(SCORING / "trust-means.yml", check_page=page_checker(DOCS))
    assert [(band["min"], band["max"]) for band in spec["overall"]["bands"]] == [
        (-3, -0.01),
        (0, 1.49),
        (1.5, 3),
    ]
    assert spec["scoring"]["bands_on"] == "mean"


def test_raw_bands_may_use_decimals(tmp_path: Path) -> None:
    """Raw bands may meet between whole totals (14.5 / 14.6): no whole total is left uncovered."""
    source = (SCORING / "self-esteem.yml").read_text(encoding="utf-8")
    source = (
        source.replace("id: self-esteem", "id: decimals")
        .replace("{min: 0, max: 14,", "{min: 0, max: 14.5,")
        .replace("{min: 15, max: 25,", "{min: 14.6, max: 25,")
    )
    path = tmp_path / "decimals.yml"
    path.write_text(source, encoding="utf-8")
    spec = load_quiz(path)
    assert [band["min"] for band in spec["overall"]["bands"]] == [0, 14.6, 26]


def test_mean_bands_end_at_the_rounded_highest_mean(tmp_path: Path) -> None:
    """On mixed scales the highest mean is rounded as results show it: 11/3 items -> bands end at 3.67."""
    path = tmp_path / "mixed.yml"
    path.write_text(
        "id: mixed\ntitle: Mixed\nscoring: {show: [mean], bands_on: mean}\n"
        "scales:\n  four: {points: [{value: 0, label: a}, {value: 4, label: b}]}\n"
        "  three: {points: [{value: 0, label: a}, {value: 3, label: b}]}\n"
        "items:\n  - {id: a, text: A., scale: four}\n  - {id: b, text: B., scale: four}\n"
        "  - {id: c, text: C., scale: three}\n"
        "overall:\n  label: All\n  bands:\n    - {min: 0, max: 1.99, heading: Low, feedback: Low.}\n"
        "    - {min: 2, max: 3.66, heading: High, feedback: High.}\n",
        encoding="utf-8",
    )
    with pytest.raises(QuizError, match=r"overall\.bands\[1\]\.max: gap: no band covers 3\.67\.\.3\.67"):
        load_quiz(path, display_name="quizzes/mixed.yml")
    path.write_text(path.read_text(encoding="utf-8").replace("3.66", "3.67"), encoding="utf-8")
    assert load_quiz(path)["overall"]["bands"][1]["max"] == 3.67


def test_pattern_alone_makes_a_quiz_critical(tmp_path: Path) -> None:
    """A subscale pattern is enough for ``if_critical`` texts and help: no item needs its own threshold."""
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace(", critical: {at_or_below: 0}", "").replace(", critical: {at_or_above: 2}", "")
    text = text.replace(
        "  - id: calm\n    label: Calm\n",
        "  - id: calm\n    label: Calm\n    critical: {count: 2, at_or_above: 3}\n"
        "    if_critical: {heading: A pattern, feedback: Talk to someone.}\n",
    )
    path = tmp_path / "sample.yml"
    path.write_text(text, encoding="utf-8")
    spec = load_quiz(path, help_data=HELP, require_help=True)
    assert spec["subscales"][0]["critical"] == {"count": 2, "at_or_above": 3}
    assert spec["subscales"][0]["if_critical"] == {
        "heading": "A pattern",
        "feedback_html": "<p>Talk to someone.</p>",
    }
    assert spec["help"] is not None
    assert not any(item["critical"] for item in spec["items"])


def test_a_link_in_a_quiz_text_must_reach_a_page(tmp_path: Path) -> None:
    """``[help](missing.md)`` in feedback fails the build at that feedback, like a recommendation's page."""
    text = SAMPLE.read_text(encoding="utf-8").replace("Low feedback.", '"See [help](missing.md)."')
    path = tmp_path / "sample.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(
        QuizError,
        match=r"sample.yml:17: subscales\[0\]\.bands\[0\]\.feedback: link 'missing.md': 'missing.md' is not a page",
    ):
        load_quiz(path, display_name="sample.yml", check_page=page_checker(DOCS), help_data=HELP)
