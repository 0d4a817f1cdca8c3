"""Pin the Python packages with their sha256 hashes, for `pip install --require-hashes`.

`make lock` runs this after `pip freeze` has written the versions: it downloads every pinned
wheel for CPython 3.12 and 3.13 on x86_64 and aarch64 Linux and writes every file's hash, so
the same requirements.txt installs on any of those machines and nothing unpinned can slip in.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

TARGETS = [(python, arch) for python in ("3.12", "3.13") for arch in ("x86_64", "aarch64")]
HEADER = """\
# Pinned Python dependencies for building and testing the site, with the sha256 of every wheel
# for CPython 3.12/3.13 on x86_64 and aarch64 Linux (installed by make with --require-hashes).
# Regenerate after changing pyproject.toml: make lock
"""


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def main(requirements: Path) -> None:
    pins = [
        line.strip()
        for line in requirements.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith(("#", " ", "--"))
    ]
    pins = [pin.split(" ")[0] for pin in pins]
    hashes: dict[str, set[str]] = {normalise(pin.split("==")[0]): set() for pin in pins}
    with tempfile.TemporaryDirectory(prefix="bb-lock-") as tmp:
        plain = Path(tmp) / "requirements.txt"
        plain.write_text("\n".join(pins) + "\n", encoding="utf-8")
        for python, arch in TARGETS:
            out = Path(tmp) / f"{python}-{arch}"
            platforms = [
                f"--platform={tag}_{arch}"
                for tag in ("manylinux_2_17", "manylinux2014", "manylinux_2_28", "manylinux_2_34")
            ]
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "-q", "--disable-pip-version-check", "--no-deps",
                 "--only-binary=:all:", f"--python-version={python}", "--implementation=cp",
                 f"--abi=cp{python.replace('.', '')}", "--abi=abi3", "--abi=none", *platforms, "--platform=any",
                 "-d", str(out), "-r", str(plain)],
                check=True,
            )  # fmt: skip
            for wheel in out.iterdir():
                name = normalise(wheel.name.split("-")[0])
                hashes[name].add(hashlib.sha256(wheel.read_bytes()).hexdigest())
    lines = [HEADER.rstrip("\n")]
    for pin in pins:
        found = sorted(hashes[normalise(pin.split("==")[0])])
        if not found:
            sys.exit(f"error: no wheel found for {pin}")
        lines.append(pin + " \\\n" + " \\\n".join(f"    --hash=sha256:{digest}" for digest in found))
    requirements.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {requirements}: {len(pins)} packages, {sum(map(len, hashes.values()))} hashes")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
