"""The site under measurement: the real project, built once and served with its own headers."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

from tests import helpers

ROOT = helpers.ROOT
BASELINE_SOURCE = Path(__file__).resolve().parent / "baseline"
BASELINE_DIR = "bench-baseline"
PREFERRED_QUIZ_PAGE = "pillars/"
PREFERRED_CHAPTER_PAGE = "safety/"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


@dataclass(frozen=True)
class BuiltSite:
    """Where things are in the built site (paths relative to the site root)."""

    site_dir: Path
    pyodide_path: str
    engine_path: str
    lockfile: str  # the lockfile contents the scorer hands to loadPyodide
    engine_files: tuple[str, ...]  # the engine's files (sources and bytecode), under site-packages
    quiz_pages: tuple[str, ...]
    plain_pages: tuple[str, ...]
    # URL path (``/assets/pyodide/…``) -> uncompressed size in bytes, for Pyodide and the engine.
    runtime_sizes: Mapping[str, int] = field(default_factory=dict)
    wasm_integrity: str = ""  # "sha256-<base64>" of pyodide.asm.wasm
    # The same, as a host that serves only the .gz copies sends them.
    gzip_sizes: Mapping[str, int] = field(default_factory=dict)

    @property
    def pyodide_version(self) -> str:
        return self.pyodide_path.rstrip("/").rsplit("/", 1)[-1]

    @property
    def quiz_page(self) -> str:
        return PREFERRED_QUIZ_PAGE if PREFERRED_QUIZ_PAGE in self.quiz_pages else self.quiz_pages[0]

    @property
    def chapter_page(self) -> str:
        if PREFERRED_CHAPTER_PAGE in self.plain_pages:
            return PREFERRED_CHAPTER_PAGE
        return next(page for page in self.plain_pages if page)

    @property
    def baseline_page(self) -> str:
        """The bare page, told (by query string) to load the very files the quiz page loads."""
        query = urlencode(
            {
                "pyodide": f"../{self.pyodide_path}",
                "engine_dir": f"../{self.engine_path}",
                "engine_files": ",".join(self.engine_files),
                "lockfile": self.lockfile,
            }
        )
        return f"{BASELINE_DIR}/?{query}"

    @property
    def baseline_engine_page(self) -> str:
        """The bare page that also installs the engine's files and imports the engine."""
        return self.baseline_page + "&engine=1"

    @property
    def baseline_bytes_page(self) -> str:
        """The bare page handing the wasm to Pyodide as a Response made from fetched bytes."""
        return self.baseline_page + "&wasm=bytes"

    @property
    def baseline_integrity_page(self) -> str:
        """The bare page letting Pyodide fetch the wasm with its Subresource Integrity value."""
        return self.baseline_page + "&" + urlencode({"wasm": self.wasm_integrity})


def build_site(site_dir: Path, origin: str) -> None:
    """Build the real project as ``make build`` does, with ``site_url`` equal to ``origin``."""
    result = helpers.build(ROOT, site_dir, origin)
    if result.returncode != 0:
        raise SystemExit(f"bench: the site does not build:\n{result.stdout}{result.stderr}")


def sitemap_pages(site_dir: Path) -> list[str]:
    """Every page in ``sitemap.xml``, as a path relative to the site root (``""`` is home)."""
    tree = ET.parse(site_dir / "sitemap.xml")  # noqa: S314 - our own build output
    return [urlsplit(loc.text or "").path.lstrip("/") for loc in tree.iter(f"{SITEMAP_NS}loc")]


def page_html(site_dir: Path, page: str) -> str:
    return (site_dir / page / "index.html").read_text(encoding="utf-8")


def runtime_paths(site_dir: Path, page: str) -> tuple[str, str, str, tuple[str, ...]]:
    """The Pyodide and engine folders a quiz page points at (relative to the site root), the
    lockfile contents it hands to Pyodide and the engine's files."""
    runtime = helpers.runtime_attributes(page_html(site_dir, page))
    if runtime is None:
        raise SystemExit(f"bench: {page} has no .bb-runtime element naming Pyodide and the engine")
    base = f"http://site/{page}"
    pyodide_path, engine_path = (
        urlsplit(urljoin(base, runtime[name])).path.lstrip("/") for name in ("data-pyodide", "data-engine")
    )
    files = json.loads(runtime["data-files"])
    engine = tuple(key.removeprefix("engine:") for key in files if key.startswith("engine:"))
    return pyodide_path, engine_path, runtime["data-lockfile"], engine


def install_baseline(site_dir: Path) -> None:
    """Copy the bare baseline page and its worker into the built site (same origin, same CSP)."""
    shutil.copytree(BASELINE_SOURCE, site_dir / BASELINE_DIR)


def runtime_sizes(site_dir: Path, suffix: str = "") -> dict[str, int]:
    """The size of every file of Pyodide and the engine, by URL path: uncompressed, or (``suffix``
    ``.gz``) as a host serving only the build's ``.gz`` copies sends it (the file where it has none)."""
    sizes = {}
    for folder in ("assets/pyodide", "assets/engine"):
        for path in (site_dir / folder).rglob("*"):
            if path.is_file() and path.suffix not in {".gz", ".br"}:
                packed = path.with_name(path.name + suffix)
                sent = packed if suffix and packed.is_file() else path
                sizes["/" + path.relative_to(site_dir).as_posix()] = sent.stat().st_size
    return sizes


def describe(site_dir: Path) -> BuiltSite:
    """Find the quiz pages, the pages without a quiz and the runtime files of a built site."""
    pages = sitemap_pages(site_dir)
    quiz_pages = tuple(page for page in pages if "data-quiz-spec=" in page_html(site_dir, page))
    plain_pages = tuple(page for page in pages if page not in quiz_pages)
    if not quiz_pages or not any(plain_pages):
        raise SystemExit("bench: the site needs at least one chapter with a quiz and one without")
    pyodide_path, engine_path, lockfile, engine_files = runtime_paths(site_dir, quiz_pages[0])
    wasm = (site_dir / pyodide_path / "pyodide.asm.wasm").read_bytes()
    integrity = "sha256-" + base64.b64encode(hashlib.sha256(wasm).digest()).decode()
    return BuiltSite(
        site_dir,
        pyodide_path,
        engine_path,
        lockfile,
        engine_files,
        quiz_pages,
        plain_pages,
        runtime_sizes(site_dir),
        integrity,
        runtime_sizes(site_dir, ".gz"),
    )
