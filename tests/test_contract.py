"""One contract: every name the build and the page's scripts share is declared in brickbybrick.contract.

The scripts and the Python sources are read as text: an attribute, event, message type or meta name
either side uses and the contract lacks fails here, before any browser could misread a page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from brickbybrick import contract
from brickbybrick.plugin import livereload

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "brickbybrick"
SCRIPTS = sorted((PACKAGE / "assets" / "javascripts").glob("*.js"))
STYLES = sorted((PACKAGE / "assets" / "stylesheets").glob("*.css"))
PYTHON = sorted(path for path in PACKAGE.rglob("*.py") if path.name != "contract.py")
THEME = re.compile(r"^md-")  # the theme's own attributes (Material), not ours
DECLARED = set(contract.ATTRIBUTES) | set(contract.SCRIPT_STATE)


def kebab(camel: str) -> str:
    return re.sub(r"[A-Z]", lambda match: "-" + match[0].lower(), camel)


def attributes_in(text: str) -> set[str]:
    """Every data-* name a source writes or reads: literal data-x, dataset.x (camelCase), "data-" + x."""
    # Not "--user-data-dir" (a browser flag), nor a prefix completed at run time ("data-ws-" + name).
    names = set(re.findall(r"(?<![\w-])data-([a-z][a-z0-9-]*[a-z0-9])(?![\w-])", text))
    names |= {kebab(name) for name in re.findall(r"\bdataset\.([a-zA-Z]+)", text)}
    return {name for name in names if not THEME.match(name)}


def test_scripts_use_only_declared_attributes() -> None:
    """Every data-* attribute a script reads or sets is in the contract."""
    used = {path.name: attributes_in(path.read_text(encoding="utf-8")) - DECLARED for path in SCRIPTS}
    assert {name: names for name, names in used.items() if names} == {}


def test_python_writes_only_declared_attributes() -> None:
    """Every data-* attribute the build writes is in the contract (and never one the scripts keep for themselves)."""
    used = {path.name: attributes_in(path.read_text(encoding="utf-8")) for path in PYTHON}
    undeclared = {
        name: names - DECLARED - {"bb-macro"} for name, names in used.items()
    }  # bb-macro: build-internal
    assert {name: names for name, names in undeclared.items() if names} == {}
    state = {name: names & set(contract.SCRIPT_STATE) for name, names in used.items()}
    assert {name: names for name, names in state.items() if names} == {}


def test_every_declared_attribute_is_used_by_both_sides() -> None:
    """A name the build writes is read by a script or a style, and the other way round: none is dead."""
    python = set().union(*(attributes_in(path.read_text(encoding="utf-8")) for path in PYTHON))
    sources = [path.read_text(encoding="utf-8") for path in [*SCRIPTS, *STYLES]]
    readers = set().union(*(attributes_in(text) for text in [*sources, livereload.SCRIPT]))
    written_by_script = readers  # script state is set and read by scripts alone
    assert {name for name in contract.ATTRIBUTES if name not in python} == set()
    # For people and tests, not scripts: a result's quiz, a question, the help panel.
    unread = {name for name in contract.ATTRIBUTES if name not in readers} - {
        "quiz-result-for",
        "item",
        "quiz-help",
    }
    assert unread == set()
    assert {name for name in contract.SCRIPT_STATE if name not in written_by_script} == set()


def test_events_are_declared() -> None:
    """Every bb: event a script dispatches or listens to is in the contract, and each is used."""
    used = set().union(
        *(set(re.findall(r"[\"'](bb:[a-z-]+)[\"']", path.read_text(encoding="utf-8"))) for path in SCRIPTS)
    )
    assert used == set(contract.EVENTS)


def test_worker_messages_are_declared() -> None:
    """Every message type the page and the workers send or handle is in the contract, and each is used."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in SCRIPTS)
    sent = set(re.findall(r"\b(?:message|reply)\(\s*\"([a-z]+)\"", text))
    handled = set(re.findall(r"\bcase \"([a-z]+)\":", text))
    assert sent | handled <= contract.MESSAGES
    assert sent >= contract.MESSAGES


def test_protocol_version_agrees() -> None:
    """protocol.js declares the version the build writes into every quiz page."""
    protocol = (PACKAGE / "assets" / "javascripts" / "protocol.js").read_text(encoding="utf-8")
    (declared,) = re.findall(r"export const PROTOCOL_VERSION = (\d+);", protocol)
    assert int(declared) == contract.PROTOCOL_VERSION


def test_metas_and_engine_prefix_are_declared() -> None:
    """The <meta name> values and the engine files' prefix the scripts read are the contract's."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in SCRIPTS)
    metas = set(re.findall(r"meta\[name=[\"']?([a-z-]+)", text))
    assert metas == set(contract.METAS)
    assert f'"{contract.ENGINE_PREFIX}"' in text


@pytest.mark.parametrize("path", SCRIPTS, ids=[path.name for path in SCRIPTS])
def test_every_script_is_type_checked(path: Path) -> None:
    """Every script opts into TypeScript's checking (tsc --noEmit runs over them in make lint)."""
    assert path.read_text(encoding="utf-8").lstrip().startswith("// @ts-check"), path.name
