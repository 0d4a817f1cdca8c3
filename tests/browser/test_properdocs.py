"""The example guide under ProperDocs, the maintained continuation of MkDocs 1.x.

MkDocs 1.6.1 (2024) is the last MkDocs that runs plugins. ProperDocs continues it under its own
name: its ``properdocs`` command loads the plugins registered for MkDocs and answers their
``mkdocs.*`` imports with its own modules, while the ``mkdocs`` package stays installed beside it
(mkdocs-material requires it). So one fresh environment holds both: the wheel as
test_example.py installs it, plus ProperDocs pinned with its hash from requirements.txt. The
guide built by each command must be the same site, file for file, but for the generator tag; the
one ProperDocs built is then scored in Chromium by the same reader as test_example.py's.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import test_example as example
from playwright.sync_api import Page
from test_example import wheel  # noqa: F401 - the session's wheel, built once for both files

from helpers import ROOT, free_port, serve

REQUIREMENTS = (ROOT / "requirements.txt").read_text(encoding="utf-8")
# ProperDocs' pin and its hashes, as make installs them (the wheel has no hash: installed apart).
PROPERDOCS = re.search(r"^properdocs==(\S+)(?: \\\n\s+--hash=\S+)+", REQUIREMENTS, re.M | re.I)
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")  # the build's date


def built_files(site: Path) -> dict[str, bytes]:
    """Every file of a built site: its bytes, with the generator tag and dates blanked (only the
    name of a compressed copy, whose bytes follow the page's)."""
    return {
        str(path.relative_to(site)): (
            b"" if path.suffix in {".gz", ".br"} else LASTMOD.sub(b"", GENERATOR.sub(b"", path.read_bytes()))
        )
        for path in sorted(site.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="module")
def properdocs_site(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:  # noqa: F811
    """examples/sleep-basics built by ``properdocs build --strict`` (and by ``mkdocs build --strict``
    into ``site-mkdocs/``) in one fresh venv, offline; served on port 0: (url, ProperDocs' log, root)."""
    assert PROPERDOCS is not None, "requirements.txt pins no properdocs (make lock)"
    root = tmp_path_factory.mktemp("properdocs")
    venv = root / "venv"
    python = str(venv / "bin" / "python")
    example.run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    pins = re.findall(r"^([A-Za-z0-9_.-]+==\S+)", REQUIREMENTS, re.M)
    (root / "constraints.txt").write_text("\n".join(pins) + "\n", encoding="utf-8")
    (root / "properdocs.txt").write_text(PROPERDOCS[0] + "\n", encoding="utf-8")
    pip = [sys.executable, "-m", "pip", "--python", python, "--disable-pip-version-check"]
    example.run([*pip, "install", "-q", "--no-compile", "-c", str(root / "constraints.txt"), str(wheel)])
    # ProperDocs needs nothing MkDocs did not already bring: --no-deps, and pip check proves it.
    example.run([*pip, "install", "-q", "--no-compile", "--no-deps", "--require-hashes", "--only-binary=:all:",
                 "-r", str(root / "properdocs.txt")])  # fmt: skip
    example.run([*pip, "check"])
    guide = root / "guide"
    shutil.copytree(example.EXAMPLE, guide, ignore=shutil.ignore_patterns("site"))
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(root), **example.OFFLINE}
    # `-f mkdocs.yml`: ProperDocs reads mkdocs.yml either way, but says so at INFO without it.
    properdocs = [str(venv / "bin" / "properdocs"), "build", "--strict", "-f", "mkdocs.yml"]
    done = example.run(properdocs, cwd=guide, env=env)
    example.run(
        [str(venv / "bin" / "mkdocs"), "build", "--strict", "-d", str(root / "site-mkdocs")],
        cwd=guide,
        env={**env, "NO_MKDOCS_2_WARNING": "1"},
    )
    sock = free_port()
    with serve(guide / "site", sock) as url:
        yield url, done.stderr, root


def test_properdocs_builds_the_example_as_mkdocs_does(properdocs_site: tuple[str, str, Path]) -> None:
    """Every plugin event runs under ProperDocs (assets, Pyodide, CSP, _headers, macros): the site is
    MkDocs' own, byte for byte but the generator tag; its --strict build warns of nothing."""
    _, log, root = properdocs_site
    assert PROPERDOCS is not None
    assert "WARNING" not in log
    # The plugin's own log lines reach ProperDocs' log, where --strict counts warnings.
    assert "theme.font set to false" in log
    site = root / "guide" / "site"
    page = (site / "habits" / "index.html").read_text(encoding="utf-8")
    assert f'content="mkdocs-ProperDocs {PROPERDOCS[1]}, mkdocs-material-' in page
    assert 'http-equiv="Content-Security-Policy"' in page
    assert (site / "_headers").is_file()
    ours, theirs = built_files(site), built_files(root / "site-mkdocs")
    assert sorted(ours) == sorted(theirs)
    # A PDF records when it was printed: the blank worksheets are compared by their text instead.
    assert [name for name in ours if ours[name] != theirs[name] and not name.endswith(".pdf")] == []
    for name in (name for name in ours if name.endswith(".pdf")):
        texts = [
            subprocess.run(
                ["pdftotext", str(base / name), "-"], capture_output=True, text=True, check=True
            ).stdout
            for base in (site, root / "site-mkdocs")
        ]
        assert texts[0] == texts[1], name


def test_properdocs_example_scores_in_chromium(page: Page, properdocs_site: tuple[str, str, Path]) -> None:
    """The reader of test_example.py answers the quiz of the site ProperDocs built and reads its result."""
    url, log, _ = properdocs_site
    example.test_example_quiz_scores_in_chromium(page, (url, log))
