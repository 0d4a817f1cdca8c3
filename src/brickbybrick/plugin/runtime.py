"""What the browser loads: self-hosted Pyodide and the engine's own source files.

Pyodide's core files ship inside this package (``brickbybrick/pyodide/``), copied from the
pinned npm package when the package is made and checked against ``MANIFEST.json`` (version
and sha256 of each file). A guide's build needs no Node and no download.

The engine goes to the browser as it is: ``brickbybrick/__init__.py`` and
``brickbybrick/engine.py`` (with the bytecode Pyodide compiled from them, see
:func:`engine_files`), in a folder named by their hash. The worker checks each file's sha256
and writes it into Pyodide's ``site-packages`` before Python starts: no wheel, no lockfile
entry, no package loader between the reader and the scorer.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import brickbybrick
from brickbybrick import contract

PACKAGE_DIR = Path(brickbybrick.__file__).parent
PYODIDE_DIR = PACKAGE_DIR / "pyodide"
MANIFEST = PYODIDE_DIR / "MANIFEST.json"
STDLIB_INDEX = PYODIDE_DIR / "stdlib.json"  # the trimmed standard library: sha256 and modules
BROWSER_MODULES = ("__init__.py", "engine.py")  # the package as the browser imports it
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.mjs",
    "pyodide.asm.wasm",
    "python_stdlib.zip",
    "pyodide-lock.json",
)
PRECOMPRESSED = (".gz", ".br")  # copies made with the package, for hosts that serve them


class RuntimeFilesError(Exception):
    """The runtime files are missing or not the pinned ones (message for the person building)."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def manifest() -> dict[str, object]:
    data: dict[str, object] = json.loads(MANIFEST.read_text(encoding="utf-8"))
    return data


def stdlib_index() -> dict[str, object]:
    data: dict[str, object] = json.loads(STDLIB_INDEX.read_text(encoding="utf-8"))
    return data


def scorer_modules() -> frozenset[str]:
    """The modules Python code can import in the scorer: the trimmed library's and the built-ins."""
    index = stdlib_index()
    modules, builtins = index["modules"], index["builtins"]
    assert isinstance(modules, list)
    assert isinstance(builtins, list)
    return frozenset([*modules, *builtins])


def verify_pyodide(directory: Path, *, trimmed: bool = True) -> str:
    """Check ``directory`` holds the pinned Pyodide files; return the version.

    The core files must match ``MANIFEST.json``; ``python_stdlib.zip`` must match the trimmed
    library recorded in ``stdlib.json`` (``trimmed``) or, in the npm package, the manifest.
    """
    pinned = manifest()
    files = pinned["files"]
    assert isinstance(files, dict)
    expected = dict(files)
    if trimmed:
        if not STDLIB_INDEX.is_file():
            raise RuntimeFilesError(
                f"{STDLIB_INDEX.name} is missing from {directory}: the package was made without its "
                "runtime (reinstall it; in its own repository run 'make setup')"
            )
        expected["python_stdlib.zip"] = stdlib_index()["sha256"]
    for name in PYODIDE_FILES:
        path = directory / name
        if not path.is_file():
            raise RuntimeFilesError(
                f"Pyodide's {name} is missing from {directory}: the brickbybrick package was made "
                "without its runtime (reinstall it; in its own repository run 'make setup')"
            )
        if _sha256(path) != expected[name]:
            raise RuntimeFilesError(
                f"Pyodide's {name} in {directory} is not the pinned Pyodide {pinned['version']} (sha256 differs)"
            )
    return str(pinned["version"])


def cache_dir(config: Any, name: str = "") -> Path | None:
    """``.cache/brickbybrick/<name>`` beside ``mkdocs.yml`` (the worksheet PDF, gzip copies,
    compiled templates), or None for a build without a config file."""
    if not config.get("config_file_path"):
        return None
    return Path(config["config_file_path"]).resolve().parent / ".cache" / "brickbybrick" / name


def link_or_copy(source: Path, target: Path) -> None:
    """Hard-link ``source`` to ``target`` (copy across file systems); an up-to-date target stays."""
    if target.exists():
        if os.path.samefile(source, target) or _same_content(source, target):
            return
        target.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:  # made meanwhile by a parallel build: the same content, by its name
        return
    except OSError:
        shutil.copyfile(source, target)


def _same_content(a: Path, b: Path) -> bool:
    return a.stat().st_size == b.stat().st_size and _sha256(a) == _sha256(b)


@dataclass(frozen=True)
class Runtime:
    """What the browser loads: Pyodide (by version) and the engine's files (by their hash)."""

    pyodide_version: str
    pyodide_sha256: dict[str, str]
    engine: dict[str, bytes]  # path under site-packages -> content
    lock_info: dict[str, str]  # Pyodide's lockfile "info", which it checks its ABI against

    @cached_property
    def digest(self) -> str:
        digest = hashlib.sha256()
        for name, data in sorted(self.engine.items()):
            digest.update(f"{name}\0{len(data)}\0".encode() + data)
        return digest.hexdigest()

    @property
    def pyodide_path(self) -> str:
        return f"assets/pyodide/{self.pyodide_version}/"

    @property
    def engine_path(self) -> str:
        return f"assets/engine/{self.digest[:16]}/"

    @property
    def lockfile(self) -> str:
        """The lockfile handed to ``loadPyodide``: Pyodide's own info, no packages to load."""
        return json.dumps({"info": self.lock_info, "packages": {}}, separators=(",", ":"))

    @cached_property  # written into every quiz page: worked out once per build
    def files(self) -> dict[str, dict[str, str | int]]:
        """Every file the scorer loads, with its sha256 (checked in the worker), its size, and the
        bytes it takes on the wire (``sent``: its gzip copy's size; the progress a reader sees
        counts these, not the bigger unpacked sizes)."""
        listed: dict[str, dict[str, str | int]] = {}
        for name in PYODIDE_FILES[:-1]:
            size = (PYODIDE_DIR / name).stat().st_size
            packed = PYODIDE_DIR / f"{name}.gz"
            listed[name] = {
                "sha256": self.pyodide_sha256[name],
                "bytes": size,
                "sent": min(size, packed.stat().st_size) if packed.is_file() else size,
            }
        # The engine's files, named "engine:<path under site-packages>", are fetched in
        # parallel with Pyodide's and checked the same way.
        for name, data in self.engine.items():
            listed[f"{contract.ENGINE_PREFIX}{name}"] = {
                "sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "sent": len(data),
            }
        return listed

    def install(self, site_dir: Path, *, pyodide: bool = True) -> None:
        """Link Pyodide into the site (once per build, unless the site shares another's); write
        the engine's files."""
        for name in PYODIDE_FILES[:-1] if pyodide else ():
            link_or_copy(PYODIDE_DIR / name, site_dir / self.pyodide_path / name)
            for suffix in PRECOMPRESSED:  # made with the package: the build compresses none of Pyodide
                packed = PYODIDE_DIR / (name + suffix)
                if packed.is_file():
                    link_or_copy(packed, site_dir / self.pyodide_path / packed.name)
        write_files(site_dir / self.engine_path, self.engine)


def write_files(directory: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative path -> content) under ``directory``, making folders as needed."""
    for name, data in files.items():
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def engine_sources() -> dict[str, bytes]:
    """The engine's modules: ``brickbybrick/<module>`` -> its exact source."""
    return {f"brickbybrick/{name}": (PACKAGE_DIR / name).read_bytes() for name in BROWSER_MODULES}


def engine_files() -> dict[str, bytes]:
    """The engine as the browser gets it: its sources, and beside each (``__pycache__/``) the
    bytecode Pyodide's own Python compiled from exactly that source when the package was made.

    Python checks a hash of the source before it uses the bytecode (checked hash-based
    ``.pyc``), so the source stays what runs; a module changed since then ships without one
    (the browser compiles it, as it would without any).
    """
    files = engine_sources()
    recorded = stdlib_index().get("engine_bytecode", {}) if STDLIB_INDEX.is_file() else {}
    assert isinstance(recorded, dict)
    for source, entry in recorded.items():
        compiled = PYODIDE_DIR / entry["file"]
        same = source in files and hashlib.sha256(files[source]).hexdigest() == entry["source_sha256"]
        if same and compiled.is_file():
            files[entry["path"]] = compiled.read_bytes()
    return files


def lock_info() -> dict[str, str]:
    data = json.loads((PYODIDE_DIR / "pyodide-lock.json").read_text(encoding="utf-8"))
    info: dict[str, str] = data["info"]
    return info


def prepare() -> Runtime:
    """Check the shipped Pyodide and read the engine's files: once per build."""
    version = verify_pyodide(PYODIDE_DIR)
    files = manifest()["files"]
    assert isinstance(files, dict)
    shipped = {**files, "python_stdlib.zip": stdlib_index()["sha256"]}
    return Runtime(version, shipped, engine_files(), lock_info())


def main() -> None:
    """``python -m brickbybrick.plugin.runtime manifest NPM_PYODIDE_DIR``: pin a new Pyodide version."""
    import sys

    command, npm_dir = sys.argv[1], Path(sys.argv[2])
    if command != "manifest":
        sys.exit(
            f"unknown command {command!r}: expected manifest (the package is made by scripts/vendor_pyodide.py)"
        )
    version = json.loads((npm_dir / "package.json").read_text(encoding="utf-8"))["version"]
    data = {"version": version, "files": {name: _sha256(npm_dir / name) for name in PYODIDE_FILES}}
    MANIFEST.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MANIFEST} for Pyodide {version}")


if __name__ == "__main__":
    main()
