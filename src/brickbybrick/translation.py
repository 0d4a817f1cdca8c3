"""A quiz in another language: texts only, keyed by the ids of the quiz file they translate.

A translation (``quizzes/<language>/<id>.yml``) holds the words of one quiz and nothing else::

    title: Revisión de seguridad
    intro: Markdown, if the quiz has an intro
    scales:
      often4: [Nunca, Una vez, Algunas veces, A menudo]   # every point of every scale, in its order
    subscales:
      control:
        label: Control
        bands: [{heading: ..., feedback: ...}, ...]     # as many as the quiz has, in its order
        if_critical: {heading: ..., feedback: ...}      # if, and only if, the quiz has one
    items:
      c1: ¿Con qué frecuencia...?
    overall: {label: ..., bands: [...], if_critical: {...}}
    recommendations: [texto, ...]                       # as many as the quiz has, in its order
    extension_texts: {id: texto, ...}                   # if the quiz has them: its extension's words

Scales, values, keys, critical answers, patterns, scoring and links' targets come from the quiz
file alone: a translation cannot change them, so the danger rules cannot drift between languages.
A missing, extra or untranslated text fails with ``file:line: key: message``.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from brickbybrick import engine
from brickbybrick.quizfile import (
    KeyPath,
    Located,
    PageResolver,
    check_text_links,
    markdown_to_html,
    read_yaml,
)

__all__ = ["load_translation"]

_WORDS = re.compile(r"[^\W\d_]{3,}")


def _text(doc: Located, value: Any, path: KeyPath, english: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise doc.error(path, "expected a text")
    if english and value.strip() == english.strip() and _WORDS.search(value):
        raise doc.error(path, "the same as the quiz file's text: translate it")
    return value


def _mapping(doc: Located, value: Any, path: KeyPath, expected: list[str], what: str) -> dict[str, Any]:
    """A mapping with exactly ``expected`` keys: a missing or an extra one is named."""
    if not isinstance(value, dict):
        raise doc.error(path, f"expected a mapping of {what}")
    keys = [str(key) for key in value]
    if missing := [key for key in expected if key not in keys]:
        raise doc.error(path, f"missing {what} {', '.join(map(repr, missing))} (every one needs its text)")
    for key in value:
        if str(key) not in expected:
            raise doc.error(
                (*path, str(key)), f"not one of the quiz's {what} (expected one of: {', '.join(expected)})"
            )
    return {str(key): item for key, item in value.items()}


def _markdown(doc: Located, value: Any, path: KeyPath, english_html: str) -> str:
    source = _text(doc, value, path, "")
    try:
        rendered = markdown_to_html(source)
    except ValueError as error:
        raise doc.error(path, str(error)) from None
    if rendered == english_html:
        raise doc.error(path, "the same as the quiz file's text: translate it")
    return rendered


def _scope(doc: Located, value: Any, path: KeyPath, scope: Mapping[str, Any]) -> dict[str, Any]:
    keys = ["label", "bands"] + (["if_critical"] if scope["if_critical"] else [])
    given = _mapping(doc, value, path, keys, "keys")
    bands = given["bands"]
    if not isinstance(bands, list) or len(bands) != len(scope["bands"]):
        raise doc.error((*path, "bands"), f"expected {len(scope['bands'])} bands, in the quiz file's order")
    out = {**scope, "label": _text(doc, given["label"], (*path, "label"), scope["label"])}
    out["bands"] = []
    for index, (band, english) in enumerate(zip(bands, scope["bands"], strict=True)):
        here = (*path, "bands", index)
        texts = _mapping(doc, band, here, ["heading", "feedback"], "keys")
        out["bands"].append(
            {
                **english,
                "heading": _text(doc, texts["heading"], (*here, "heading"), english["heading"]),
                "feedback_html": _markdown(
                    doc, texts["feedback"], (*here, "feedback"), english["feedback_html"]
                ),
            }
        )
    if scope["if_critical"]:
        here = (*path, "if_critical")
        texts = _mapping(doc, given["if_critical"], here, ["heading", "feedback"], "keys")
        out["if_critical"] = {
            "heading": _text(doc, texts["heading"], (*here, "heading"), scope["if_critical"]["heading"]),
            "feedback_html": _markdown(
                doc, texts["feedback"], (*here, "feedback"), scope["if_critical"]["feedback_html"]
            ),
        }
    return out


def load_translation(
    path: Path,
    spec: engine.Spec,
    *,
    display_name: str | None = None,
    check_page: PageResolver | None = None,
) -> engine.Spec:
    """The quiz ``spec`` with every text from the translation at ``path`` (structure from ``spec``)."""
    doc = read_yaml(path, display_name or str(path))
    keys = ["title", "scales", "items", "overall"]
    keys += ["intro"] if spec["intro_html"] else []
    keys += ["subscales"] if spec["subscales"] else []
    keys += ["recommendations"] if spec["recommendations"] else []
    english_texts = spec["extension"].get("texts", {}) if spec["extension"] else {}
    keys += ["extension_texts"] if english_texts else []
    data = _mapping(doc, doc.data, (), keys, "keys")
    out = copy.deepcopy(spec)
    out["title"] = _text(doc, data["title"], ("title",), spec["title"])
    if spec["intro_html"]:
        out["intro_html"] = _markdown(doc, data["intro"], ("intro",), spec["intro_html"])
    scales = _mapping(doc, data["scales"], ("scales",), list(spec["scales"]), "scales")
    for name, scale in spec["scales"].items():
        labels = scales[name]
        if not isinstance(labels, list) or len(labels) != len(scale["points"]):
            raise doc.error(
                ("scales", name),
                f"expected {len(scale['points'])} labels, in the order of the quiz file's points",
            )
        out["scales"][name]["points"] = [
            {"value": point["value"], "label": _text(doc, label, ("scales", name, index), "")}
            for index, (point, label) in enumerate(zip(scale["points"], labels, strict=True))
        ]
    items = _mapping(doc, data["items"], ("items",), [item["id"] for item in spec["items"]], "items")
    for item in out["items"]:
        item["text"] = _text(doc, items[item["id"]], ("items", item["id"]), item["text"])
    if spec["subscales"]:
        given = _mapping(
            doc, data["subscales"], ("subscales",), [sub["id"] for sub in spec["subscales"]], "subscales"
        )
        out["subscales"] = [
            _scope(doc, given[sub["id"]], ("subscales", sub["id"]), sub)  # type: ignore[misc]
            for sub in spec["subscales"]
        ]
    out["overall"] = _scope(doc, data["overall"], ("overall",), spec["overall"])  # type: ignore[typeddict-item]
    if spec["recommendations"]:
        texts = data["recommendations"]
        if not isinstance(texts, list) or len(texts) != len(spec["recommendations"]):
            raise doc.error(
                ("recommendations",),
                f"expected {len(spec['recommendations'])} texts, in the quiz file's order",
            )
        for index, (rec, text) in enumerate(zip(out["recommendations"], texts, strict=True)):
            rec["text"] = _text(doc, text, ("recommendations", index), spec["recommendations"][index]["text"])
    if english_texts and out["extension"] is not None:
        given = _mapping(doc, data["extension_texts"], ("extension_texts",), list(english_texts), "texts")
        out["extension"]["texts"] = {
            key: _text(doc, given[key], ("extension_texts", key), english)
            for key, english in english_texts.items()
        }
    if check_page is not None:
        check_text_links(doc, out, check_page)
    return out
