"""Shared fixtures: pytest-playwright runs Debian's Chromium, offline-guarded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from helpers import CHROMIUM, CHROMIUM_ARGS, ROOT, BuiltSite, build, free_port, serve


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
