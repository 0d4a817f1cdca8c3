"""Shared fixtures: pytest-playwright runs Debian's Chromium, offline-guarded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from brickbybrick.plugin.pdf import QUIET_FLAGS
from helpers import ROOT, BuiltSite, build, free_port, serve

CHROMIUM = Path("/usr/bin/chromium")
# Every host but the local one fails to resolve: a third-party request fails loudly.
OFFLINE_GUARD = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
CHROMIUM_ARGS = [*QUIET_FLAGS, OFFLINE_GUARD]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium (Playwright cannot download browsers here)."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def real_site_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltSite]:
    """The project's own guide, built once per test session with --strict for the origin it is served on."""
    root = tmp_path_factory.mktemp("real-site")
    sock = free_port()
    origin = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    result = build(ROOT, root / "site", origin)
    assert result.returncode == 0, result.stderr
    with serve(root / "site", sock) as url:
        yield BuiltSite(url, root / "site", result.stderr)
