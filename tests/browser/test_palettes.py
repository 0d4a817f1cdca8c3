"""The author's own colours: every Material primary and accent, in both schemes, passes axe-core.

One mini-site, built once with an indigo/teal palette (as a new author's guide would be); in the
browser each case only switches the palette attributes on ``<body>``, as the theme's own palette
toggle does, and once removes them (a guide with no palette). Every primary is paired with an
accent (the accents repeat), so each primary and each accent is seen in both schemes. Each case:
axe on the whole page at rest; then, once per accent and scheme, each control focused while the
next is hovered, axe on the two, and the focus ring's own contrast. ``data-md-color-switching``
(what the theme's palette toggle sets while it switches) turns colour transitions off, so axe
measures the colours a reader sees once a transition has ended. About a minute in all.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from quizpage import READY_TIMEOUT_MS, QuizForm

from helpers import FIXTURE_CONFIG, FIXTURES, ROOT, build, free_port, mini_project, serve

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# Material 9.8's palette (palette.*.min.css): every data-md-color-primary and -accent it styles.
PRIMARIES = (
    "red", "pink", "purple", "deep-purple", "indigo", "blue", "light-blue", "cyan", "teal", "green",
    "light-green", "lime", "yellow", "amber", "orange", "deep-orange", "brown", "grey", "blue-grey",
    "black", "white",
)  # fmt: skip
ACCENTS = PRIMARIES[:16]  # the same list up to deep-orange: no brown, grey, blue-grey, black or white
# (scheme, primary, accent, whether its controls are hovered and focused too: once per accent and
# scheme, as only the accent colours those states). "" is no attribute: a guide with no palette.
CASES = [
    ("", "", "", True),
    *(
        (scheme, primary, ACCENTS[index % len(ACCENTS)], index < len(ACCENTS))
        for scheme in ("default", "slate")
        for index, primary in enumerate(PRIMARIES)
    ),
]

# The fixture guide's configuration with a new author's own palette and a worksheet page.
CONFIG = (
    FIXTURE_CONFIG.replace("site_name: Fixture guide", "site_name: Guía de colores")
    .replace(
        "  features: [navigation.instant]\n",
        """  features: [navigation.instant]
  palette:
    - scheme: default
      primary: indigo
      accent: teal
      toggle: {icon: material/weather-night, name: Dark}
    - scheme: slate
      primary: indigo
      accent: teal
      toggle: {icon: material/weather-sunny, name: Light}
""",
    )
    .replace(
        "      privacy_notice: Your answers stay here. See [help](help.md).\n",
        "      privacy_notice: Your answers stay here. See [help](help.md).\n      worksheet: {page: worksheet.md}\n",
    )
)

WORKSHEET = """\
# Worksheet

<div class="bb-ws-tools">
<button type="button" class="md-button md-button--primary" data-ws-print hidden>Print this worksheet</button>
<a class="md-button" href="worksheet.pdf" download>Download a blank worksheet</a>
</div>

<form class="bb-ws" id="ws-form" method="dialog" autocomplete="off" aria-label="Worksheet" data-worksheet>
<section class="bb-ws__focus" aria-labelledby="ws-focus-title">
<h2 class="bb-ws__title" id="ws-focus-title">My focus areas</h2>
<div class="bb-ws-screen bb-ws__focus-tools" data-ws-focus-tools hidden>
<p class="bb-ws__focus-offer" data-ws-focus-offer></p>
<p class="bb-ws__focus-help" data-ws-focus-help hidden>Some answers in <span data-ws-focus-help-quizzes></span> suggest you may not be safe. <a href="../help/">Get help now</a>.</p>
<div class="bb-ws__focus-buttons">
<button type="button" class="md-button md-button--primary" data-ws-focus-fill>Fill in from my lowest scores</button>
<button type="button" class="md-button" data-ws-focus-clear>Clear my focus areas</button>
</div>
</div>
<p class="bb-ws-screen bb-ws__status" role="status" data-ws-focus-status></p>
<div class="bb-ws__field" data-ws-field>
<label class="bb-ws__label" for="ws-focus">The areas I want to work on first:</label>
<textarea class="bb-ws__text" id="ws-focus" rows="2" placeholder=" " spellcheck="false" data-ws-text></textarea>
<div class="bb-ws__mirror" aria-hidden="true" data-ws-mirror></div>
<div class="bb-ws__lines" aria-hidden="true"><span></span><span></span></div>
</div>
</section>
<fieldset class="bb-ws__step">
<legend class="bb-ws__legend"><h2 class="bb-ws__title" id="ws-step-1"><span class="bb-ws__num">1</span> Notice the small things</h2></legend>
<p class="bb-ws__prompt">For one ordinary day, notice how you greet, listen and follow through.</p>
<fieldset class="bb-ws__commitments">
<legend class="bb-ws__commit-legend">Small commitments</legend>
<label class="bb-ws__check" for="ws-commit-1"><input type="checkbox" id="ws-commit-1"><span class="bb-ws__box" aria-hidden="true"><span class="bb-ws__tick">✓</span></span><span>I’ll listen first.</span></label>
</fieldset>
</fieldset>
<div class="bb-ws-screen bb-ws-tools">
<button type="reset" class="md-button">Clear the worksheet</button>
</div>
</form>
"""

PAGES = {
    "index.md": "# Inicio\n\nTake the [colour check](quiz.md).\n",
    "quiz.md": (
        "# Colour check\n\nAfterwards, open [the worksheet](worksheet.md).\n\n"
        '## Self-assessment\n\n{{ quiz("sample") }}\n'
    ),
    "worksheet.md": WORKSHEET,
    "help.md": "# Help\n\n## Get help\n\nCall someone you trust.\n",
}

# What a reader points at and tabs to: (name, the element axe checks and the mouse hovers, the
# element focused). Hovered and focused, each takes the accent (Material's :hover and :focus rules).
QUIZ_TARGETS = (
    ("primary button", "[data-quiz-submit]", "[data-quiz-submit]"),
    (
        "outlined button",
        "form[data-quiz] .md-button:not(.md-button--primary):visible",
        "form[data-quiz] .md-button:not(.md-button--primary):visible",
    ),
    ("link in text", "article p > a[href]", "article p > a[href]"),
    ("answer option", ".bb-option:has(input:not(:checked))", ".bb-option:has(input:not(:checked)) input"),
    ("link in the help panel", ".bb-help a[href]", ".bb-help a[href]"),
    ("quick exit", ".bb-quick-exit__control", ".bb-quick-exit__control"),
)
OPTIONAL = {"outlined button"}  # a quiz may come to have none: the worksheet has one too
WORKSHEET_TARGETS = (
    ("download button", ".bb-ws-tools a.md-button", ".bb-ws-tools a.md-button"),
    ("worksheet field", ".bb-ws__text", ".bb-ws__text"),
    ("commitment", ".bb-ws__check", ".bb-ws__check input"),
)

AXE_ALL = {"rules": {"target-size": {"enabled": True}}}
AXE_COLOUR = {"runOnly": ["color-contrast", "link-in-text-block"]}  # what a palette can change
# axe-core on the page, or on the focused and the hovered element only; violations and the lowest
# contrast it measured, each told by state (the state of the element it was found in).
RUN_AXE = """async ([focused, hovered, options]) => {
  const context = focused ? {include: [focused, hovered]} : document;
  const results = await axe.run(context, {...options, elementRef: true, resultTypes: ["violations", "passes"]});
  const state = (el) => !focused ? "rest" : hovered.contains(el) ? "hover" : "focus";
  const violations = results.violations.flatMap((rule) => rule.nodes.map((node) => ({
    state: state(node.element), id: rule.id, target: node.target.join(" "), data: node.any[0]?.data ?? null,
  })));
  const ratios = results.passes.filter((rule) => rule.id === "color-contrast").flatMap((rule) => rule.nodes)
    .filter((node) => node.any[0]?.data?.contrastRatio)
    .map((node) => [state(node.element), node.any[0].data.contrastRatio, node.target.join(" ")]);
  return {violations, ratios};
}"""

# The focus ring the focused element (or its label) draws, and what lies behind it: the element
# itself when the ring is inside it (a negative offset), otherwise the page. WCAG 1.4.11 asks 3:1.
RING = """(el) => {
  for (let node = el; node && node !== document.body; node = node.parentElement) {
    const style = getComputedStyle(node);
    if (style.outlineStyle === "none" || style.outlineStyle === "auto" || parseFloat(style.outlineWidth) < 1) continue;
    const inside = parseFloat(style.outlineOffset) < 0;
    return [style.outlineColor, inside ? style.backgroundColor : getComputedStyle(document.body).backgroundColor];
  }
  return null;
}"""

LOWEST: dict[str, tuple[float, str]] = {}  # the lowest contrast axe measured, by state, for the record


@pytest.fixture(scope="module")
def palette_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new author's guide with an indigo/teal palette, a quiz and a worksheet, built once."""
    root = tmp_path_factory.mktemp("palette-site")
    project = mini_project(root / "project", pages=PAGES, quiz_dirs=(FIXTURES / "quizzes",), config=CONFIG)
    sock = free_port()
    origin = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    with pytest.MonkeyPatch.context() as env:
        env.setitem(os.environ, "BB_SKIP_PDF", "1")  # the worksheet's PDF is test_worksheet.py's business
        result = build(project, root / "site", origin)
    assert result.returncode == 0, result.stderr
    with serve(root / "site", sock) as url:
        yield url


@pytest.fixture(scope="module")
def palette_page(browser: Browser, palette_site: str) -> Iterator[Page]:
    """One page for the module (the quiz's result carries over to the worksheet). axe-core is
    injected as a script, which the site's CSP rightly blocks."""
    context = browser.new_context(base_url=palette_site, bypass_csp=True)
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    page = context.new_page()
    yield page
    context.close()
    foreign = [url for url in seen if not url.startswith((palette_site, "data:", "blob:"))]
    assert foreign == [], f"requests left the local origin: {foreign}"


def srgb(css: str) -> tuple[float, float, float, float]:
    """A colour as the browser computes it, ``rgb(r, g, b)`` or ``rgba(r, g, b, a)``."""
    assert css.startswith("rgb"), f"not an sRGB colour: {css}"
    parts = [float(part) for part in css[css.index("(") + 1 : -1].split(",")]
    return parts[0], parts[1], parts[2], parts[3] if len(parts) == 4 else 1.0


def contrast(foreground: str, background: str) -> float:
    """WCAG's contrast ratio of a (possibly translucent) colour over an opaque one."""
    *fg, alpha = srgb(foreground)
    *bg, _ = srgb(background)

    def luminance(rgb: list[float]) -> float:
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in (c / 255 for c in rgb)]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    seen = [f * alpha + b * (1 - alpha) for f, b in zip(fg, bg, strict=True)]
    light, dark = sorted((luminance(seen), luminance(bg)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def set_palette(page: Page, scheme: str, primary: str, accent: str) -> None:
    """What the theme's palette toggle does: the attributes on <body> (none for ""), with transitions off."""
    page.evaluate(
        """(palette) => {
            document.body.setAttribute("data-md-color-switching", "");
            for (const [name, value] of Object.entries(palette)) {
                if (value) document.body.setAttribute(`data-md-color-${name}`, value);
                else document.body.removeAttribute(`data-md-color-${name}`);
            }
        }""",
        {"scheme": scheme, "primary": primary, "accent": accent},
    )


class Audit:
    """axe-core's findings over every case, by case, and the lowest contrast seen in each state."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: dict[str, list[Any]] = {}
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))

    def axe(self, case: str, options: dict[str, Any], focused: Any = None, hovered: Any = None) -> None:
        results = self.page.evaluate(RUN_AXE, [focused, hovered, options])
        for violation in results["violations"]:
            self.found.setdefault(case, []).append(violation)
        for state, ratio, target in results["ratios"]:
            if ratio < LOWEST.get(state, (99.0, ""))[0]:
                LOWEST[state] = (ratio, f"{case}: {target}")

    def ring(self, case: str, name: str, ratio: float) -> None:
        if ratio < 3:
            self.found.setdefault(case, []).append(
                {"state": "focus", "id": "focus ring", "target": name, "data": ratio}
            )
        if ratio < LOWEST.get("focus ring", (99.0, ""))[0]:
            LOWEST["focus ring"] = (round(ratio, 2), f"{case}: {name}")

    def at_rest(self) -> None:
        """Scrolled to the top (nothing under the sticky header), nothing focused, nothing hovered
        (the mouse in the bottom left corner, over no control)."""
        self.page.evaluate("document.activeElement?.blur(); window.scrollTo(0, 0)")
        self.page.mouse.move(1, 700)

    def every_palette(self, where: str, targets: tuple[tuple[str, str, str], ...]) -> dict[str, list[Any]]:
        """Each case: the whole page at rest; then, once per accent and scheme, each target focused
        while the next one is hovered (one axe run for the pair), and its focus ring measured."""
        page = self.page
        targets = tuple(t for t in targets if t[0] not in OPTIONAL or page.locator(t[1]).count())
        page.keyboard.press("Tab")  # from the keyboard, so that focused controls show their focus ring
        for scheme, primary, accent, states in CASES:
            case = (
                f"{where}, {scheme}, primary {primary}, accent {accent}" if scheme else f"{where}, no palette"
            )
            set_palette(page, scheme, primary, accent)
            self.at_rest()
            # Every rule once per scheme; then only those a palette can change.
            self.axe(case, AXE_ALL if primary in ("", PRIMARIES[0]) else AXE_COLOUR)
            if not states:
                continue  # this accent was seen hovered and focused in this scheme already
            for index, (name, checked, focus) in enumerate(targets):
                _, hover_checked, _ = targets[(index + 1) % len(targets)]
                page.locator(focus).first.focus()
                page.locator(hover_checked).first.hover()
                focused = page.locator(checked).first.element_handle()
                hovered = page.locator(hover_checked).first.element_handle()
                self.axe(case, AXE_COLOUR, focused, hovered)
                if ring := page.locator(focus).first.evaluate(RING):
                    self.ring(case, name, contrast(*ring))
        return self.found


@pytest.fixture(scope="module")
def quiz_page(palette_page: Page) -> Page:
    """The quiz page, answered and scored: its result and its help panel are shown."""
    palette_page.goto("quiz/")
    quiz = QuizForm.first_on(palette_page)
    expect(quiz.state).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)  # the scorer
    quiz.answer_all(0)  # 'Never' feeling safe at home: critical, so the help panel shows too
    quiz.submit.click()
    quiz.expect_scored()
    expect(quiz.help_panel).to_be_visible()
    return palette_page


def test_every_palette_is_seen(quiz_page: Page) -> None:
    """Switching the attributes recolours the page: each primary its header, each accent its own colour in each scheme."""
    headers, accents = set(), set()
    for scheme, primary, accent, _ in CASES[1:]:
        set_palette(quiz_page, scheme, primary, accent)
        header, accent_colour = quiz_page.evaluate(
            """() => [getComputedStyle(document.querySelector(".md-header")).backgroundColor,
                      getComputedStyle(document.body).getPropertyValue("--md-accent-fg-color")]"""
        )
        headers.add(header)
        accents.add((scheme, accent_colour))
    assert len(headers) == len(PRIMARIES)
    assert len(accents) == 2 * len(ACCENTS)


def test_quiz_page_passes_axe_in_every_palette(quiz_page: Page) -> None:
    """A quiz with its result and help panel shown passes axe in every primary, accent and scheme, hovered and focused."""
    found = Audit(quiz_page).every_palette("quiz", QUIZ_TARGETS)
    assert found == {}, json.dumps(found, indent=1)


def test_worksheet_passes_axe_in_every_palette(quiz_page: Page) -> None:
    """The worksheet, with this visit's focus-area buttons shown, passes axe in every palette, hovered and focused."""
    quiz_page.get_by_role(
        "link", name="the worksheet"
    ).click()  # instant navigation keeps this visit's results
    expect(quiz_page.locator("[data-ws-focus-tools]")).to_be_visible()
    found = Audit(quiz_page).every_palette("worksheet", WORKSHEET_TARGETS)
    print("\nlowest contrast seen, by state:", json.dumps(LOWEST, indent=1))
    assert found == {}, json.dumps(found, indent=1)
