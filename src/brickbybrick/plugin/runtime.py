"""What the browser loads: the engine wheel (built once per build) and self-hosted Pyodide.

Pyodide's core files ship inside this package (``brickbybrick/pyodide/``), copied from the
pinned npm package when the package is made and checked against ``MANIFEST.json`` (version
and sha256 of each file). A guide's build needs no Node and no download.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import brickbybrick

PACKAGE_DIR = Path(brickbybrick.__file__).parent
PYODIDE_DIR = PACKAGE_DIR / "pyodide"
MANIFEST = PYODIDE_DIR / "MANIFEST.json"
STDLIB_INDEX = PYODIDE_DIR / "stdlib.json"  # the trimmed standard library: sha256 and modules
BROWSER_MODULES = ("__init__.py", "engine.py", "py.typed")
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
    """What the browser loads: Pyodide (by version) and the engine wheel and lockfile (by hash)."""

    pyodide_version: str
    pyodide_sha256: dict[str, str]
    wheel_name: str
    wheel: bytes
    lock: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.wheel).hexdigest()

    @property
    def pyodide_path(self) -> str:
        return f"assets/pyodide/{self.pyodide_version}/"

    @property
    def engine_path(self) -> str:
        return f"assets/engine/{self.digest[:16]}/"

    @cached_property  # written into every quiz page: worked out once per build
    def files(self) -> dict[str, dict[str, str | int]]:
        """Every file the scorer loads, with its sha256 (checked in the worker) and its size
        (for the progress a reader sees)."""
        listed: dict[str, dict[str, str | int]] = {
            name: {"sha256": self.pyodide_sha256[name], "bytes": (PYODIDE_DIR / name).stat().st_size}
            for name in PYODIDE_FILES[:-1]
        }
        # The engine's files (named "engine:<file in the engine's folder>") are fetched in
        # parallel with Pyodide's, and checked the same way.
        listed["engine:pyodide-lock.json"] = {
            "sha256": hashlib.sha256(self.lock).hexdigest(),
            "bytes": len(self.lock),
        }
        listed[f"engine:{self.wheel_name}"] = {"sha256": self.digest, "bytes": len(self.wheel)}
        return listed

    def install(self, site_dir: Path) -> None:
        """Link Pyodide into the site (once per build); write the wheel and its lockfile."""
        for name in PYODIDE_FILES[:-1]:
            link_or_copy(PYODIDE_DIR / name, site_dir / self.pyodide_path / name)
            for suffix in PRECOMPRESSED:  # made with the package: the build compresses none of Pyodide
                packed = PYODIDE_DIR / (name + suffix)
                if packed.is_file():
                    link_or_copy(packed, site_dir / self.pyodide_path / packed.name)
        engine_out = site_dir / self.engine_path
        engine_out.mkdir(parents=True, exist_ok=True)
        (engine_out / self.wheel_name).write_bytes(self.wheel)
        (engine_out / "pyodide-lock.json").write_bytes(self.lock)


def engine_lock(wheel_name: str, wheel: bytes) -> bytes:
    """A ``pyodide-lock.json`` holding only the engine, pinned by its sha256."""
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    with tempfile.TemporaryDirectory(prefix="bb-engine-") as tmp:
        wheel_path = Path(tmp) / wheel_name
        wheel_path.write_bytes(wheel)
        lock = PyodideLockSpec.from_json(PYODIDE_DIR / "pyodide-lock.json")
        lock = add_wheels_to_spec(lock, [wheel_path])
        # Only the engine is ever loaded from this lockfile; keeping the core's own entries
        # would point them at the engine's folder, where they are not.
        lock.packages = {name: pkg for name, pkg in lock.packages.items() if name == "brickbybrick"}
        lock.to_json(Path(tmp) / "pyodide-lock.json")
        return (Path(tmp) / "pyodide-lock.json").read_bytes()


def build_wheel() -> tuple[str, bytes]:
    """Build the engine wheel from the package source, byte-for-byte reproducibly."""
    version = brickbybrick.__version__
    dist_info = f"brickbybrick-{version}.dist-info"
    files: dict[str, bytes] = {
        f"brickbybrick/{name}": (PACKAGE_DIR / name).read_bytes() for name in BROWSER_MODULES
    }
    files[f"{dist_info}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: brickbybrick\nVersion: {version}\n"
        "Summary: Brick by Brick scoring engine (standard library only)\n"
    ).encode()
    files[f"{dist_info}/WHEEL"] = (
        b"Wheel-Version: 1.0\nGenerator: brickbybrick\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    )
    files[f"{dist_info}/top_level.txt"] = b"brickbybrick\n"
    record = []
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        record.append(f"{name},sha256={digest},{len(data)}")
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    return f"brickbybrick-{version}-py3-none-any.whl", buffer.getvalue()


def prepare() -> Runtime:
    """Check the shipped Pyodide and build the engine wheel and its lockfile: once per build."""
    version = verify_pyodide(PYODIDE_DIR)
    files = manifest()["files"]
    assert isinstance(files, dict)
    shipped = {**files, "python_stdlib.zip": stdlib_index()["sha256"]}
    name, wheel = build_wheel()
    return Runtime(version, shipped, name, wheel, engine_lock(name, wheel))


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
