"""Render a quiz spec as an accessible HTML form (build time, standard library only).

The form works before and without any script: real radio buttons in fieldsets with
legends, printable, and a help panel that CSS (``:has()``) reveals as soon as an answer
suggests danger. Script only adds scoring. Every string from the quiz file is escaped.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable, Mapping
from typing import Any

from brickbybrick.engine import is_critical

__all__ = ["render_quiz"]


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _item(spec: Mapping[str, Any], number: int, item: Mapping[str, Any]) -> str:
    quiz = _e(spec["id"])
    item_id = _e(item["id"])
    base = f"bb-{quiz}-{item_id}"
    options = []
    for index, point in enumerate(spec["scales"][item["scale"]]["points"]):
        critical = " data-critical" if is_critical(item, point["value"]) else ""
        options.append(
            f'<label class="bb-option" for="{base}-{index}">'
            f'<input type="radio" id="{base}-{index}" name="{item_id}" value="{point["value"]}"{critical}>'
            f'<span class="bb-option__label">{_e(point["label"])}</span></label>'
        )
    return (
        f'<fieldset class="bb-item" id="{base}" data-item="{item_id}">'
        f'<legend class="bb-item__legend"><span class="bb-item__number">{number}.</span> {_e(item["text"])}</legend>'
        f'<div class="bb-item__options">{"".join(options)}</div>'
        "</fieldset>"
    )


def help_panel(help_href: str) -> str:
    """The panel shown at once, whatever the score, when an answer suggests danger."""
    return (
        '<div class="bb-help" data-quiz-help role="note" aria-label="Help if you do not feel safe">'
        "<p><strong>You deserve to be safe.</strong> Some of your answers suggest you may feel afraid "
        "or may have been threatened or hurt. That is not your fault, and you do not have to face it alone.</p>"
        "<ul>"
        "<li>In immediate danger: call <strong>911</strong> (US, Canada), <strong>999</strong> (UK) "
        "or <strong>112</strong> (EU and many other countries).</li>"
        '<li>US National Domestic Violence Hotline: <a href="tel:18007997233">1-800-799-7233</a>, '
        "or text START to 88788.</li>"
        '<li>UK National Domestic Abuse Helpline (free, 24 hours): <a href="tel:08082000247">0808 2000 247</a>.</li>'
        "</ul>"
        f'<p><a href="{_e(help_href)}">More places to get help, wherever you are</a></p>'
        "</div>"
    )


def render_quiz(spec: Mapping[str, Any], *, href: Callable[[str], str], help_href: str) -> str:
    """Return the quiz as one HTML block; ``href`` turns ``page.md#anchor`` into a URL."""
    quiz = _e(spec["id"])
    browser_spec = {
        **spec,
        "recommendations": [{**rec, "href": href(rec["page"])} for rec in spec["recommendations"]],
    }
    has_critical = any(item.get("critical") for item in spec["items"])
    items = "".join(_item(spec, number, item) for number, item in enumerate(spec["items"], start=1))
    return (
        f'<div class="bb-quiz" id="bb-{quiz}">'
        # The spec rides in an attribute, not a <script type="application/json">: Material's
        # instant navigation re-creates every <script> in new content as an executable one.
        f'<form class="bb-quiz__form" data-quiz="{quiz}" data-quiz-spec="{_e(json.dumps(browser_spec, ensure_ascii=False))}" '
        f'aria-labelledby="bb-{quiz}-title" autocomplete="off" novalidate>'
        f'<p class="bb-quiz__title" id="bb-{quiz}-title">{_e(spec["title"])}</p>'
        f'<div class="bb-quiz__intro">{spec["intro_html"]}</div>'
        '<p class="bb-quiz__note">A reflection aid, not a diagnosis. Your answers stay on this device: '
        "they are scored in your browser and never sent or stored.</p>"
        f"{items}"
        f"{help_panel(help_href) if has_critical else ''}"
        '<div class="bb-quiz__actions">'
        '<button type="submit" class="md-button md-button--primary" data-quiz-submit hidden>Show my results</button>'
        '<button type="reset" class="md-button" data-quiz-reset>Clear my answers</button>'
        '<p class="bb-quiz__state" data-quiz-state hidden></p>'
        "</div>"
        f'<div class="bb-quiz__result" data-quiz-result role="status" tabindex="-1"></div>'
        "</form></div>"
    )
