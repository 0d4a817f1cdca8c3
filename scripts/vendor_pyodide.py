"""Put the pinned Pyodide into the package, with a standard library trimmed to what it needs.

Run by make (``make setup``) when the package is made; a guide's build never runs it.

1. Check the npm package's files against ``src/brickbybrick/pyodide/MANIFEST.json`` (version and
   sha256 of each file), then copy the core files into the package.
2. Trace, in that real Pyodide under Node (``scripts/trace-stdlib.mjs``), which standard-library
   files start-up, installing the engine's files, scoring every quiz of this repository (extensions
   included) and importing ``ALLOWANCE`` (what a guide's extension may use) import, and compile
   each of them there to bytecode (Pyodide's own Python, so its own bytecode format).
3. Compile the engine's own modules there too (checked hash-based ``.pyc``: used only while the
   source is the one compiled), kept in the package beside Pyodide.
4. Write ``python_stdlib.zip`` with only that bytecode (stored, so that the ``.gz`` and ``.br``
   copies compress across files), and ``stdlib.json``: its sha256 and the modules it holds, which
   a guide's build checks each extension's imports against. Importing bytecode instead of
   compiling source at every page load makes Pyodide start about 2 s sooner (measured under
   Node: 2.9 s to 0.8 s), for about 0.3 MB more gzip (0.13 MB more Brotli).
5. Write ``.gz`` (zopfli: gzip format, 4-5% smaller than gzip -9) and ``.br`` (Brotli, quality 11)
   copies of the large files, for hosts that serve precompressed files: a site's build links them
   instead of compressing Pyodide.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import brotli
import zopfli.gzip

from brickbybrick.plugin.runtime import (
    PYODIDE_DIR,
    STDLIB_INDEX,
    RuntimeFilesError,
    engine_sources,
    manifest,
    verify_pyodide,
    write_files,
)
from brickbybrick.quizfile import load_quiz

ROOT = Path(__file__).resolve().parent.parent
CORE = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "pyodide-lock.json")
COMPRESSED_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
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


def stdlib_zip(full: Path, files: list[str], compiled: dict[str, bytes]) -> bytes:
    """The members ``files`` of the zip ``full``, each ``.py`` as its compiled ``.pyc``, in a
    reproducible zip (sorted, fixed dates, stored: the served copies are compressed whole)."""
    out = io.BytesIO()
    with zipfile.ZipFile(full) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for name in sorted(files):
            member, data = (
                (name + "c", compiled[name + "c"]) if name.endswith(".py") else (name, source.read(name))
            )
            info = zipfile.ZipInfo(member, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    return out.getvalue()


def precompress(path: Path) -> None:
    """Write ``path.gz`` and ``path.br`` (new files: built sites may hold links to old ones)."""
    data = path.read_bytes()
    for suffix, packed in (
        (".gz", lambda: zopfli.gzip.compress(data, numiterations=1)),  # 4-5% under gzip -9
        (".br", lambda: brotli.compress(data, quality=11)),
    ):
        target = path.with_name(path.name + suffix)
        target.unlink(missing_ok=True)
        target.write_bytes(packed())


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
        write_files(Path(tmp) / "engine", engine_sources())
        (Path(tmp) / "cases.json").write_text(json.dumps(cases()), encoding="utf-8")
        done = subprocess.run(
            ["node", str(ROOT / "scripts" / "trace-stdlib.mjs"), str(Path(tmp) / "engine"),
             str(Path(tmp) / "cases.json"), ",".join(ALLOWANCE)],
            capture_output=True, text=True, cwd=ROOT, timeout=300, check=False,
        )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"error: tracing the standard library in Pyodide failed:\n{done.stderr[-2000:]}")
    traced = json.loads(done.stdout)
    compiled = {name: base64.b64decode(pyc) for name, pyc in traced["compiled"].items()}
    data = stdlib_zip(npm_dir / "python_stdlib.zip", traced["files"], compiled)
    (PYODIDE_DIR / "python_stdlib.zip").unlink(missing_ok=True)
    (PYODIDE_DIR / "python_stdlib.zip").write_bytes(data)
    engine_bytecode = {}
    for relative, pyc in sorted(traced["engine_compiled"].items()):
        folder, _, module = relative.rpartition("/")
        cached = f"{folder}/__pycache__/{module[: -len('.py')]}.{traced['cache_tag']}.pyc"
        stored = cached.replace("/", "--")  # flat in the package's pyodide/ folder
        (PYODIDE_DIR / stored).write_bytes(base64.b64decode(pyc))
        engine_bytecode[relative] = {
            "path": cached,
            "file": stored,
            "source_sha256": hashlib.sha256(engine_sources()[relative]).hexdigest(),
        }
    index = {
        "python": traced["python"],
        "engine_bytecode": engine_bytecode,
        "from_sha256": pinned["files"]["python_stdlib.zip"],  # type: ignore[index]
        "sha256": hashlib.sha256(data).hexdigest(),
        "allowance": list(ALLOWANCE),
        "modules": traced["modules"],
        "builtins": traced["builtins"],
        "files": traced["files"],
    }
    STDLIB_INDEX.write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    with ThreadPoolExecutor(max_workers=2) as pool:  # zopfli and Brotli 11: about a minute
        list(pool.map(precompress, [PYODIDE_DIR / name for name in COMPRESSED_FILES]))
    full = (npm_dir / "python_stdlib.zip").stat().st_size
    print(
        f"Pyodide {version} copied into {PYODIDE_DIR} (sha256 checked); standard library trimmed to "
        f"{len(traced['files'])} files, compiled: {len(data) / 1e6:.2f} MB stored (from {full / 1e6:.2f} MB); "
        f".gz and .br copies of {', '.join(COMPRESSED_FILES)}"
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
