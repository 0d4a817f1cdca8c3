"""Gzip copies of the site's large text and wasm files, for hosts that serve precompressed files.

``file.gz`` is written beside each ``file`` worth compressing. A host that serves precompressed
files (nginx ``gzip_static``, Caddy ``precompressed``, Apache with its rewrite rules) sends it with
``Content-Encoding: gzip`` to a browser that accepts it; other hosts ignore it (and may compress
on the fly). Pyodide's files come with ``.gz`` and Brotli ``.br`` copies made with the package
(Brotli needs a library outside Python's standard library, which a guide's build does without):
a file that has its ``.gz`` already is left alone. Every other copy is kept in a cache beside
``mkdocs.yml`` (``.cache/brickbybrick/gzip/``, by the sha256 of the file): the theme's files and
unchanged pages are not compressed again on the next build (compressing competes with printing
the worksheet PDF for the CPU). A copy no build has used for ``KEEP_DAYS`` is removed.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from brickbybrick.plugin.runtime import link_or_copy

# .py and .pyc: the engine's source and bytecode, which hosts seldom compress on the fly.
SUFFIXES = frozenset(
    {".css", ".html", ".js", ".json", ".mjs", ".py", ".pyc", ".svg", ".txt", ".wasm", ".xml"}
)
MIN_BYTES = 1400  # about one network packet: smaller files gain nothing
KEEP_DAYS = 30


def worth_compressing(path: Path) -> bool:
    return path.suffix in SUFFIXES and path.is_file() and path.stat().st_size >= MIN_BYTES


def _compress(path: Path, cache: Path | None) -> int:
    data = path.read_bytes()
    target = path.with_name(path.name + ".gz")
    cached = cache / f"{hashlib.sha256(data).hexdigest()}.gz" if cache is not None else None
    if cached is not None:
        try:
            link_or_copy(cached, target)
            os.utime(cached)  # used: kept for another KEEP_DAYS
            return target.stat().st_size
        except FileNotFoundError:  # not cached yet, or removed meanwhile by a parallel build
            pass
    packed = gzip.compress(data, compresslevel=9, mtime=0)
    target.unlink(missing_ok=True)
    target.write_bytes(packed)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        link_or_copy(target, cached)
    return len(packed)


def _forget_unused(cache: Path) -> None:
    """Remove the cached copies that no build has used for ``KEEP_DAYS``."""
    oldest = time.time() - KEEP_DAYS * 86400
    for entry in cache.glob("*.gz"):
        with contextlib.suppress(FileNotFoundError):  # a parallel build may remove it first
            if entry.stat().st_mtime < oldest:
                entry.unlink()


def precompress(site_dir: Path, cache: Path | None) -> int:
    """Write ``.gz`` beside every file worth it; return how many."""
    files = sorted(
        path
        for path in site_dir.rglob("*")
        if worth_compressing(path) and not path.with_name(path.name + ".gz").exists()
    )
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="bb-gzip") as pool:
        list(pool.map(lambda path: _compress(path, cache), files))
    if cache is not None and cache.is_dir():
        _forget_unused(cache)
    return len(files)
