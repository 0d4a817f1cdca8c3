"""The message catalogue: every word the plugin writes for a reader, by language.

One YAML file per language beside this module (``en.yml``, ``es.yml``, ...), flat keys, the same
keys in every file. A guide's language is ``theme.language``; any key can be overridden under
``messages:`` in the plugin's options. A language without a file, or a file without some keys,
falls back to English key by key, and :attr:`Catalogue.fallbacks` says which keys did.

Build-time only (needs PyYAML). The scorer gets the ``result.``, ``number.`` and ``plural.`` keys
inside each quiz's spec; the browser's scripts get ``quiz.``, ``worksheet.`` and ``page.`` keys in
one attribute of the page.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from brickbybrick import engine

__all__ = ["ENGINE_PREFIXES", "SCRIPT_PREFIXES", "Catalogue", "CatalogueError", "languages", "load"]

HERE = Path(__file__).resolve().parent
BASE = "en"
#: Keys the scorer uses (they travel in each quiz's spec).
ENGINE_PREFIXES = ("result.", "number.", "plural.")
#: Keys the browser's scripts use (they travel in one attribute of every page).
SCRIPT_PREFIXES = ("quiz.", "worksheet.", "page.", "number.", "plural.")
PLURAL_RULES = ("n == 1", "n <= 1")


class CatalogueError(ValueError):
    """A message that cannot be used: an unknown key, or placeholders the English text lacks."""


@functools.cache
def _file(language: str) -> dict[str, str]:
    path = HERE / f"{language}.yml"
    if not path.is_file():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(key): str(value) for key, value in data.items()}


def languages() -> list[str]:
    """The languages the package ships complete."""
    return sorted(path.stem for path in HERE.glob("*.yml"))


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _primary(language: str) -> str:
    """``es`` for ``es``, ``es-MX`` or ``es_MX``."""
    return re.split(r"[-_]", language or BASE)[0].lower()


@dataclass(frozen=True)
class Catalogue:
    language: str
    messages: dict[str, str]
    fallbacks: list[str] = field(default_factory=list)  # keys shown in English for want of a translation

    # The scorer's own functions: one way to fill a message, choose a plural and write a number.
    def text(self, key: str, **values: object) -> str:
        """The message ``key``, its ``{placeholders}`` filled in."""
        return engine.message(self.messages, key, **values)

    def plural(self, key: str, count: int, **values: object) -> str:
        """``key.one`` or ``key.other`` by the language's rule, ``{count}`` filled in."""
        return engine.plural(self.messages, key, count, **values)

    def number(self, value: float) -> str:
        """A figure as this language writes it: whole numbers plain, others with two decimals, its minus."""
        return engine.format_number(value, self.messages)

    def subset(self, prefixes: tuple[str, ...]) -> dict[str, str]:
        return {key: value for key, value in self.messages.items() if key.startswith(prefixes)}


def load(language: str, overrides: Mapping[str, str] | None = None) -> Catalogue:
    """The catalogue for ``language`` (``theme.language``), with a guide's own ``overrides``."""
    base = _file(BASE)
    primary = _primary(language)
    own = _file(primary)
    messages = {**base, **own}
    fallbacks = [] if primary == BASE else sorted(key for key in base if key not in own)
    for key, value in (overrides or {}).items():
        if key not in base:
            close = [known for known in base if known.split(".")[0] == key.split(".")[0]]
            raise CatalogueError(
                f"messages: {key!r} is not a message (expected one of: {', '.join(close or base)})"
            )
        extra = placeholders(str(value)) - placeholders(base[key])
        if extra:
            raise CatalogueError(
                f"messages: {key}: {{{'}, {'.join(sorted(extra))}}} cannot be filled in "
                f"(the message offers: {', '.join(sorted(placeholders(base[key]))) or 'nothing'})"
            )
        messages[key] = str(value)
        if key in fallbacks:
            fallbacks.remove(key)
    if messages["plural.one"] not in PLURAL_RULES:
        raise CatalogueError(f"messages: plural.one: expected one of: {', '.join(PLURAL_RULES)}")
    return Catalogue(language=primary, messages=messages, fallbacks=fallbacks)
