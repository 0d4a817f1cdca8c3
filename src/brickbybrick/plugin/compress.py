"""Gzip copies of the site's large text and wasm files, for hosts that serve precompressed files.

``file.gz`` is written beside each ``file`` worth compressing. A host that serves precompressed
files (nginx ``gzip_static``, Caddy ``precompressed``, Apache with its rewrite rules) sends it with
``Content-Encoding: gzip`` to a browser that accepts it; other hosts ignore it (and may compress
on the fly). Pyodide's files come with ``.gz`` and Brotli ``.br`` copies made with the package
(Brotli needs a library outside Python's standard library, which a guide's build does without):
a file that has its ``.gz`` already is left alone. Other big files are reused from a cache beside
``mkdocs.yml`` (``.cache/brickbybrick/gzip/``).
"""

from __future__ import annotations

import gzip
import hashlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from brickbybrick.plugin.runtime import link_or_copy

# .py and .pyc: the engine's source and bytecode, which hosts seldom compress on the fly.
SUFFIXES = frozenset(
    {".css", ".html", ".js", ".json", ".mjs", ".py", ".pyc", ".svg", ".txt", ".wasm", ".xml"}
)
MIN_BYTES = 1400  # about one network packet: smaller files gain nothing


def worth_compressing(path: Path) -> bool:
    return path.suffix in SUFFIXES and path.is_file() and path.stat().st_size >= MIN_BYTES


def _compress(path: Path, cache: Path | None) -> int:
    data = path.read_bytes()
    target = path.with_name(path.name + ".gz")
    cached = cache / f"{hashlib.sha256(data).hexdigest()}.gz" if cache is not None else None
    if cached is not None and cached.is_file():
        link_or_copy(cached, target)
        return target.stat().st_size
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    target.unlink(missing_ok=True)
    target.write_bytes(packed)
    if cached is not None and len(data) > 256 * 1024:  # only big files are worth keeping
        cached.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(target, cached)
    return len(packed)


def precompress(site_dir: Path, cache: Path | None) -> int:
    """Write ``.gz`` beside every file worth it; return how many."""
    files = sorted(
        path
        for path in site_dir.rglob("*")
        if worth_compressing(path) and not path.with_name(path.name + ".gz").exists()
    )
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="bb-gzip") as pool:
        list(pool.map(lambda path: _compress(path, cache), files))
    return len(files)
