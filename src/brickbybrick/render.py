"""Render a quiz spec as an accessible HTML form (build time, standard library only).

The form works before and without any script: real radio buttons in fieldsets with
legends, printable, and a help panel that CSS (``:has()``) reveals as soon as an answer
suggests danger. Script only adds scoring. Every string from the quiz file is escaped.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable

from brickbybrick import catalogue
from brickbybrick.engine import (
    ItemSpec,
    OverallSpec,
    PatternRule,
    Spec,
    SubscaleSpec,
    is_critical,
    pattern_threshold,
)

__all__ = ["PAGE_LINK", "browser_spec", "relative_links", "render_quiz"]


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def patterns_of(spec: Spec, item: ItemSpec) -> list[tuple[str, PatternRule]]:
    """The patterns an item's answers count towards: its subscale's and the overall score's."""
    found: list[tuple[str, PatternRule]] = []
    for sub in spec["subscales"]:
        rule = sub.get("critical")
        if rule and sub["id"] == item["subscale"]:
            found.append((sub["id"], rule))
    overall = spec["overall"].get("critical")
    if overall:
        found.append(("overall", overall))
    return found


def _item(spec: Spec, number: int, item: ItemSpec, help_note: str) -> str:
    # An option at or beyond a pattern's threshold is marked with the pattern and its count, so a
    # few lines of script (safety.js) can show the help panel once enough of them are chosen.
    patterns = patterns_of(spec, item)
    quiz = _e(spec["id"])
    item_id = _e(item["id"])
    base = f"bb-{quiz}-{item_id}"
    options = []
    for index, point in enumerate(spec["scales"][item["scale"]]["points"]):
        critical = " data-critical" if is_critical(item, point["value"]) else ""
        for name, rule in patterns:
            if is_critical({"critical": pattern_threshold(rule)}, point["value"]):
                critical += f' data-pattern="{_e(name)}" data-pattern-count="{rule["count"]}"'
        options.append(
            f'<label class="bb-option" for="{base}-{index}">'
            f'<input type="radio" id="{base}-{index}" name="{item_id}" value="{point["value"]}"{critical}>'
            f'<span class="bb-option__label">{_e(point["label"])}</span></label>'
        )
    # Help at the answer: below a question with a critical option, the help link, shown by CSS
    # the moment such an option is chosen (the full panel stays where it is, further down).
    note = help_note if item["critical"] else ""
    return (
        f'<fieldset class="bb-item" id="{base}" data-item="{item_id}">'
        f'<legend class="bb-item__legend"><span class="bb-item__number">{number}.</span> {_e(item["text"])}</legend>'
        f'<div class="bb-item__options">{"".join(options)}</div>'
        f"{note}"
        "</fieldset>"
    )


#: A link to a chapter (``page.md#anchor``) in HTML rendered from an author's Markdown.
PAGE_LINK = re.compile(r'href="(?P<target>[^"#:/][^":]*?\.md(?:#[^"]*)?)"')


def relative_links(text: str, href: Callable[[str], str]) -> str:
    """``href="page.md#anchor"`` in an author's text, as a URL relative to the page it is on."""
    return PAGE_LINK.sub(lambda match: f'href="{_e(href(html.unescape(match["target"])))}"', text)


def _scope_links[ScopeT: (SubscaleSpec, OverallSpec)](scope: ScopeT, href: Callable[[str], str]) -> ScopeT:
    replaced = scope["if_critical"]
    return {
        **scope,
        "bands": [
            {**band, "feedback_html": relative_links(band["feedback_html"], href)} for band in scope["bands"]
        ],
        "if_critical": None
        if replaced is None
        else {**replaced, "feedback_html": relative_links(replaced["feedback_html"], href)},
    }


def browser_spec(spec: Spec, href: Callable[[str], str], help_href: str | None) -> Spec:
    """The spec as the browser gets it: page targets (recommendations, and links in the author's
    texts) turned into URLs relative to this page."""
    shown: Spec = {
        **spec,
        "intro_html": relative_links(spec["intro_html"], href),
        "subscales": [_scope_links(sub, href) for sub in spec["subscales"]],
        "overall": _scope_links(spec["overall"], href),
        "recommendations": [{**rec, "href": href(rec["page"])} for rec in spec["recommendations"]],
    }
    if spec["help"] is not None and help_href is not None:
        shown["help"] = {**spec["help"], "href": help_href}
    return shown


def has_danger(spec: Spec) -> bool:
    """Whether any answer or pattern of the quiz can be critical."""
    return (
        any(item["critical"] for item in spec["items"])
        or any(sub.get("critical") for sub in spec["subscales"])
        or bool(spec["overall"].get("critical"))
    )


def render_quiz(
    spec: Spec, *, words: catalogue.Catalogue | None = None, help_panel: str = "", notice: str = ""
) -> str:
    """Return the quiz as one HTML block; ``spec`` is the browser's (:func:`browser_spec`).

    ``help_panel`` is the guide's help (:func:`brickbybrick.helpfile.render_panel`), shown by
    CSS the moment a critical answer is chosen; ``notice`` is a line of text under the intro.
    """
    words = words or catalogue.load(catalogue.BASE)
    quiz = _e(spec["id"])
    link = spec["help"]
    help_note = (
        f'<p class="bb-item__help" data-quiz-item-help><a href="{_e(link["href"])}">{_e(link["link_text"])}</a></p>'
        if link is not None and "href" in link
        else ""
    )
    items = "".join(
        _item(spec, number, item, help_note) for number, item in enumerate(spec["items"], start=1)
    )
    note = f'<p class="bb-quiz__note">{_e(notice)}</p>' if notice else ""
    return (
        f'<div class="bb-quiz" id="bb-{quiz}">'
        # The spec rides in an attribute, not a <script type="application/json">: Material's
        # instant navigation re-creates every <script> in new content as an executable one.
        f'<form class="bb-quiz__form" data-quiz="{quiz}" data-quiz-spec="{_e(json.dumps(spec, ensure_ascii=False))}" '
        f'aria-labelledby="bb-{quiz}-title" autocomplete="off" novalidate>'
        f'<p class="bb-quiz__title" id="bb-{quiz}-title">{_e(spec["title"])}</p>'
        f'<div class="bb-quiz__intro">{spec["intro_html"]}</div>'
        f"{note}"
        f'<p class="bb-quiz__offline" hidden>{_e(words.text("page.offline"))}</p>'
        f"{items}"
        f"{help_panel if has_danger(spec) else ''}"
        '<div class="bb-quiz__actions">'
        '<button type="submit" class="md-button md-button--primary" data-quiz-submit hidden>'
        f"{_e(words.text('quiz.submit'))}</button>"
        '<p class="bb-quiz__state" data-quiz-state role="status" aria-live="polite" hidden></p>'
        f'<button type="button" class="md-button" data-quiz-retry hidden>{_e(words.text("quiz.retry"))}</button>'
        "</div>"
        # What a screen reader hears once: a help link chosen, a result ready (not the result read
        # whole: the reader is taken to its heading and can skim it).
        '<p class="bb-quiz__announce" data-quiz-announce aria-live="polite"></p>'
        f'<div class="bb-quiz__result" data-quiz-result tabindex="-1"></div>'
        # Clearing is secondary and far from the main button; it asks to be pressed again (quiz.js).
        '<p class="bb-quiz__clear">'
        f'<button type="button" class="bb-quiz__clear-button" data-quiz-reset>{_e(words.text("quiz.reset"))}</button>'
        "</p>"
        "</form></div>"
    )
