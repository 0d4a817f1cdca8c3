"""Put the pinned Pyodide into the package, with a standard library trimmed to what it needs.

Run by make (``make setup``) when the package is made; a guide's build never runs it.

1. Check the npm package's files against ``src/brickbybrick/pyodide/MANIFEST.json`` (version and
   sha256 of each file), then copy the core files into the package.
2. Trace, in that real Pyodide under Node (``scripts/trace-stdlib.mjs``), which standard-library
   files start-up, loading the engine wheel, scoring every quiz of this repository (extensions
   included) and importing ``ALLOWANCE`` (what a guide's extension may use) import.
3. Write ``python_stdlib.zip`` with only those files, minified (comments and docstring text
   dropped), and ``stdlib.json``: its sha256 and the modules it holds, which a guide's build
   checks each extension's imports against.
"""

from __future__ import annotations

import ast
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from brickbybrick.plugin.runtime import (
    PYODIDE_DIR,
    STDLIB_INDEX,
    RuntimeFilesError,
    build_wheel,
    manifest,
    verify_pyodide,
)
from brickbybrick.quizfile import load_quiz

ROOT = Path(__file__).resolve().parent.parent
CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
#: Pure computation an extension may import besides the engine's own needs.
ALLOWANCE = (
    "bisect", "collections", "copy", "dataclasses", "datetime", "decimal", "enum", "fractions",
    "functools", "heapq", "itertools", "json", "math", "numbers", "operator", "random", "re",
    "statistics", "string", "textwrap", "typing",
)  # fmt: skip


def cases() -> list[dict[str, object]]:
    """Every quiz of this repository with its lowest, highest, partial and invalid answers."""
    found: list[dict[str, object]] = []
    paths = [*(ROOT / "quizzes").glob("*.yml"), *(ROOT / "tests" / "fixtures" / "extension").glob("*.yml")]
    for path in sorted(paths):
        spec = load_quiz(path)
        values = {
            item["id"]: [p["value"] for p in spec["scales"][item["scale"]]["points"]]
            for item in spec["items"]
        }
        for pick in (min, max):
            found.append({"spec": spec, "answers": {item: pick(v) for item, v in values.items()}})
        found.append({"spec": spec, "answers": {next(iter(values)): "not a number"}})
    return found


def minified(source: bytes) -> bytes:
    """The module without comments, blank lines or docstring text (each docstring becomes "").

    Parsed and written back by this Python's ``ast``; a file it cannot parse (syntax newer than
    this Python) is kept as it is. The Node tests score every quiz on the result.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(body[0].value, ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            body[0].value.value = ""
    return (ast.unparse(tree) + "\n").encode("utf-8")


def trimmed_zip(full: Path, files: list[str]) -> bytes:
    """The members ``files`` of the zip ``full``, minified, in a reproducible zip (sorted, fixed dates)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(full) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            data = source.read(name)
            target.writestr(info, minified(data) if name.endswith(".py") else data)
    return out.getvalue()


def main(npm_dir: Path) -> None:
    pinned = manifest()
    version = json.loads((npm_dir / "package.json").read_text(encoding="utf-8"))["version"]
    if version != pinned["version"]:
        sys.exit(f"error: {npm_dir} is Pyodide {version}, the manifest pins {pinned['version']}")
    try:
        verify_pyodide(npm_dir, trimmed=False)
    except RuntimeFilesError as error:
        sys.exit(f"error: {error}")
    for name in CORE:  # a new file each (built sites may hold hard links to the old ones)
        (PYODIDE_DIR / name).unlink(missing_ok=True)
        (PYODIDE_DIR / name).write_bytes((npm_dir / name).read_bytes())
    with tempfile.TemporaryDirectory(prefix="bb-trace-") as tmp:
        wheel_name, wheel = build_wheel()
        (Path(tmp) / wheel_name).write_bytes(wheel)
        (Path(tmp) / "cases.json").write_text(json.dumps(cases()), encoding="utf-8")
        done = subprocess.run(
            ["node", str(ROOT / "scripts" / "trace-stdlib.mjs"), str(Path(tmp) / wheel_name),
             str(Path(tmp) / "cases.json"), ",".join(ALLOWANCE)],
            capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"error: tracing the standard library in Pyodide failed:\n{done.stderr[-2000:]}")
    traced = json.loads(done.stdout)
    data = trimmed_zip(npm_dir / "python_stdlib.zip", traced["files"])
    (PYODIDE_DIR / "python_stdlib.zip").unlink(missing_ok=True)
    (PYODIDE_DIR / "python_stdlib.zip").write_bytes(data)
    index = {
        "python": traced["python"],
        "from_sha256": pinned["files"]["python_stdlib.zip"],  # type: ignore[index]
        "sha256": hashlib.sha256(data).hexdigest(),
        "allowance": list(ALLOWANCE),
        "modules": traced["modules"],
        "builtins": traced["builtins"],
        "files": traced["files"],
    }
    STDLIB_INDEX.write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    full = (npm_dir / "python_stdlib.zip").stat().st_size
    print(
        f"Pyodide {version} copied into {PYODIDE_DIR} (sha256 checked); standard library trimmed to "
        f"{len(traced['files'])} files: {len(data) / 1e6:.2f} MB (from {full / 1e6:.2f} MB)"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
