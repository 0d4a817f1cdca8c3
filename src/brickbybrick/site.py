"""MkDocs integration: the ``quiz`` macro, the engine wheel and the self-hosted runtime.

Used by ``macros/__init__.py`` (mkdocs-macros) and ``hooks/brickbybrick.py`` (MkDocs hooks).
Problems with quiz data or set-up raise MkDocs' ``PluginError`` with a one-line message.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markdown.extensions.toc import slugify
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

import brickbybrick
from brickbybrick.quizfile import QuizError, load_quizzes
from brickbybrick.render import render_quiz

PACKAGE_DIR = Path(brickbybrick.__file__).parent
BROWSER_MODULES = ("__init__.py", "engine.py", "py.typed")
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
HEADING = re.compile(r"^#{1,6}\s+(?P<title>.*?)(?:\s*\{[^}]*#(?P<id>[\w-]+)[^}]*\})?\s*#*\s*$")
EXPLICIT_ID = re.compile(r"""\bid=["']([\w-]+)["']""")


def project_dir(config: Any) -> Path:
    return Path(config["config_file_path"]).resolve().parent


# --------------------------------------------------------------------------- pages


def anchors_of(markdown_file: Path) -> set[str]:
    """The heading anchors a Markdown page will have (default ``toc`` slugs and ``{#id}``)."""
    anchors: set[str] = set()
    fenced = False
    for line in markdown_file.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        anchors.update(EXPLICIT_ID.findall(line))
        if match := HEADING.match(line):
            anchors.add(match["id"] or slugify(re.sub(r"[*_`]", "", match["title"]), "-"))
    return anchors


def page_checker(docs_dir: Path) -> Any:
    def check(target: str) -> str | None:
        page, _, anchor = target.partition("#")
        path = docs_dir / page
        if not page.endswith(".md") or not path.is_file():
            return f"{page!r} is not a page in {docs_dir.name}/ (expected a path like 'chapter.md#heading')"
        if anchor and anchor not in anchors_of(path):
            return f"{page!r} has no heading with the anchor '#{anchor}'"
        return None

    return check


# --------------------------------------------------------------------------- engine wheel


@dataclass(frozen=True)
class Runtime:
    """What the browser loads: Pyodide (by version) and the engine wheel (by content hash)."""

    pyodide_dir: Path
    pyodide_version: str
    wheel_name: str
    wheel: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.wheel).hexdigest()

    @property
    def pyodide_path(self) -> str:
        return f"assets/pyodide/{self.pyodide_version}/"

    @property
    def engine_path(self) -> str:
        return f"assets/engine/{self.digest[:16]}/"


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
        b"Wheel-Version: 1.0\nGenerator: brickbybrick.site\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
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


def runtime(config: Any) -> Runtime:
    pyodide_dir = project_dir(config) / "node_modules" / "pyodide"
    try:
        version = json.loads((pyodide_dir / "package.json").read_text())["version"]
    except OSError:
        raise PluginError(
            f"Pyodide is not installed in {pyodide_dir}: run 'make build' (or 'npm ci') first"
        ) from None
    name, wheel = build_wheel()
    return Runtime(pyodide_dir, version, name, wheel)


def install_runtime(config: Any, rt: Runtime) -> None:
    """Copy Pyodide and write the engine wheel with a lockfile that pins its sha256."""
    from pyodide_lock import PyodideLockSpec
    from pyodide_lock.utils import add_wheels_to_spec

    site = Path(config["site_dir"])
    pyodide_out = site / rt.pyodide_path
    pyodide_out.mkdir(parents=True, exist_ok=True)
    for name in PYODIDE_FILES:
        target = pyodide_out / name
        source = rt.pyodide_dir / name
        if not target.exists() or target.stat().st_size != source.stat().st_size:
            shutil.copyfile(source, target)
    engine_out = site / rt.engine_path
    engine_out.mkdir(parents=True, exist_ok=True)
    wheel_path = engine_out / rt.wheel_name
    wheel_path.write_bytes(rt.wheel)
    lock = PyodideLockSpec.from_json(rt.pyodide_dir / "pyodide-lock.json")
    lock = add_wheels_to_spec(lock, [wheel_path])
    # Only the engine is ever loaded from this lockfile; keeping the core's own entries
    # would point them at this folder, where they are not.
    lock.packages = {name: pkg for name, pkg in lock.packages.items() if name == "brickbybrick"}
    lock.to_json(engine_out / "pyodide-lock.json")


# --------------------------------------------------------------------------- the macro

QUIZ_CALL = re.compile(r"""\{\{\s*quiz\(\s*(?P<q>["'])(?P<id>.*?)(?P=q)\s*\)\s*\}\}""")


def check_quiz_references(markdown: str, src_uri: str, config: Any) -> None:
    """Raise a one-line ``PluginError`` for each ``{{ quiz("id") }}`` naming no quiz file."""
    quizzes_dir = project_dir(config) / "quizzes"
    known = sorted(path.stem for path in quizzes_dir.glob("*.yml"))
    for match in QUIZ_CALL.finditer(markdown):
        if match["id"] not in known:
            line = markdown.count("\n", 0, match.start()) + 1
            raise PluginError(
                f"{Path(config['docs_dir']).name}/{src_uri}:{line}: quiz({match['id']!r}): no such quiz in quizzes/ "
                f"(expected one of: {', '.join(known) or 'none'})"
            )


class QuizMacro:
    """``{{ quiz("id") }}``: the quiz as an accessible form, wired to the in-browser scorer."""

    __name__ = "quiz"

    def __init__(self, env: Any) -> None:
        self.env = env
        self.config = env.conf
        root = project_dir(self.config)
        self.docs_dir = Path(self.config["docs_dir"])
        self.help_page = self.config["extra"].get("help_page", "help.md")
        if problem := page_checker(self.docs_dir)(self.help_page):
            raise PluginError(f"mkdocs.yml: extra.help_page: {problem}")
        try:
            self.quizzes = load_quizzes(root / "quizzes", root=root, check_page=page_checker(self.docs_dir))
        except QuizError as error:
            raise PluginError(str(error)) from None
        self.runtime = runtime(self.config)

    def href(self, target: str) -> str:
        page, _, anchor = target.partition("#")
        file = File(page, str(self.docs_dir), self.config["site_dir"], self.config["use_directory_urls"])
        url = file.url_relative_to(self.env.page.file)
        return f"{url}#{anchor}" if anchor else url

    def site_href(self, path: str) -> str:
        return str(get_relative_url(path, self.env.page.file.url))

    def __call__(self, quiz_id: str) -> str:
        if quiz_id not in self.quizzes:
            known = ", ".join(self.quizzes) or "none"
            raise PluginError(
                f"{self.env.page.file.src_uri}: quiz({quiz_id!r}): no such quiz in quizzes/ (expected one of: {known})"
            )
        form = render_quiz(self.quizzes[quiz_id], href=self.href, help_href=self.href(self.help_page))
        rt = self.runtime
        urls = {
            "pyodide": self.site_href(rt.pyodide_path),
            "engine_lock": f"{self.site_href(rt.engine_path)}pyodide-lock.json",
        }
        # The template reads this to start the scorer from <head>, before the page has parsed.
        self.env.page.meta["bb_runtime"] = urls
        runtime_attrs = (
            f'<div class="bb-runtime" hidden data-pyodide="{urls["pyodide"]}" '
            f'data-engine-lock="{urls["engine_lock"]}"></div>'
        )
        return f"\n\n{form}{runtime_attrs}\n\n"
