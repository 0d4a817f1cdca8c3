"""The one scorer under real Pyodide: the npm package run by Node gives CPython's exact answers."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest

from brickbybrick import engine
from brickbybrick.plugin import runtime
from brickbybrick.plugin.runtime import PYODIDE_DIR, engine_files, stdlib_index
from brickbybrick.quizfile import load_quiz
from helpers import FIXTURES, ROOT

pytestmark = pytest.mark.pyodide

QUIZ_FILES = [
    *sorted((FIXTURES / "quizzes").glob("*.yml")),
    *sorted((FIXTURES / "extension").glob("*.yml")),
    *sorted((FIXTURES / "scoring").glob("*.yml")),
    *sorted((ROOT / "quizzes").glob("*.yml")),
]


def _cases() -> list[dict[str, Any]]:
    rng = random.Random(314)
    cases: list[dict[str, Any]] = []
    for path in QUIZ_FILES:
        spec = load_quiz(path)
        spec = {**spec, "recommendations": [{**r, "href": r["page"]} for r in spec["recommendations"]]}
        values = {
            item["id"]: [p["value"] for p in spec["scales"][item["scale"]]["points"]]
            for item in spec["items"]
        }
        for _ in range(12):
            cases.append({"spec": spec, "answers": {i: rng.choice(v) for i, v in values.items()}})
        partial = {i: v[0] for i, v in list(values.items())[::2]}
        cases.append({"spec": spec, "answers": partial})  # incomplete: missing items listed
        cases.append({"spec": spec, "answers": {next(iter(values)): "not a number"}})  # error as data
    return cases


@pytest.fixture(scope="module")
def pyodide_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    if shutil.which("node") is None:
        pytest.fail("node is required to run the engine under Pyodide")
    tmp = tmp_path_factory.mktemp("pyodide")
    runtime.write_files(tmp / "engine", engine_files())
    cases = _cases()
    (tmp / "cases.json").write_text(json.dumps(cases))
    done = subprocess.run(
        [
            "node",
            str(Path(__file__).parent / "pyodide" / "run_engine.mjs"),
            str(tmp / "engine"),
            str(tmp / "cases.json"),
            str(PYODIDE_DIR / "python_stdlib.zip"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return cases, json.loads(done.stdout)


def test_runs_in_pyodide_python(pyodide_run: tuple[list[dict[str, Any]], dict[str, Any]]) -> None:
    """The engine really ran inside Pyodide's Python 3.14 on Emscripten, importing no third-party module."""
    _, report = pyodide_run
    assert report["platform"] == "emscripten"
    assert report["python"].startswith("3.14")
    assert report["third_party"] == []


def test_engine_bytecode_is_of_the_very_source_it_ships_beside(
    pyodide_run: tuple[list[dict[str, Any]], dict[str, Any]],
) -> None:
    """The .pyc shipped with each engine module is checked hash-based and matches its source, so Pyodide uses it."""
    _, report = pyodide_run
    assert report["bytecode"] == {
        "__init__.cpython-314.pyc": {"checked_hash": True, "matches_source": True},
        "engine.cpython-314.pyc": {"checked_hash": True, "matches_source": True},
    }


def test_engine_changed_since_the_package_was_made_ships_without_bytecode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A module edited after `make setup` goes to the browser as source only (its old bytecode stays out)."""
    sources = runtime.engine_sources()
    edited = {**sources, "brickbybrick/engine.py": sources["brickbybrick/engine.py"] + b"\n# edited\n"}
    monkeypatch.setattr(runtime, "engine_sources", lambda: edited)
    assert sorted(runtime.engine_files()) == [
        "brickbybrick/__init__.py",
        "brickbybrick/__pycache__/__init__.cpython-314.pyc",
        "brickbybrick/engine.py",
    ]


def test_ran_on_the_trimmed_standard_library(
    pyodide_run: tuple[list[dict[str, Any]], dict[str, Any]],
) -> None:
    """The Pyodide that scored every case had only the trimmed library the site ships, not the full one."""
    _, report = pyodide_run
    with zipfile.ZipFile(PYODIDE_DIR / "python_stdlib.zip") as trimmed:
        names = set(trimmed.namelist())
    traced: list[str] = stdlib_index()["files"]  # type: ignore[assignment]
    # every traced module as bytecode only: nothing is compiled from source in the browser
    assert names == {name + "c" if name.endswith(".py") else name for name in traced}
    assert "json/__init__.pyc" in names
    assert not [name for name in names if name.endswith(".py")]
    assert "unittest/__init__.pyc" not in names
    assert (PYODIDE_DIR / "python_stdlib.zip.br").stat().st_size < 700_000
    assert report["unittest_importable"] is False  # the full library would have it


def test_same_results_as_cpython(pyodide_run: tuple[list[dict[str, Any]], dict[str, Any]]) -> None:
    """Every case (complete, incomplete, invalid, with an extension) scores identically in both Pythons."""
    cases, report = pyodide_run
    assert len(report["outputs"]) == len(cases)
    for case, output in zip(cases, report["outputs"], strict=True):
        assert json.loads(output) == json.loads(
            engine.score_json(json.dumps(case["spec"]), json.dumps(case["answers"]))
        )


def test_cases_cover_every_outcome(pyodide_run: tuple[list[dict[str, Any]], dict[str, Any]]) -> None:
    """The compared outputs include complete results, missing answers, critical flags, notes and errors."""
    _, report = pyodide_run
    outputs = [json.loads(o) for o in report["outputs"]]
    results = [o["result"] for o in outputs if o["ok"]]
    assert any(r["complete"] for r in results)
    assert any(r["missing"] for r in results)
    assert any(r["critical"] for r in results)
    assert any(r["notes"] for r in results)
    assert any(not o["ok"] and "not a number" in o["error"] for o in outputs)
