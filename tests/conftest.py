"""Shared fixtures: pytest-playwright runs Debian's Chromium, offline-guarded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from brickbybrick.plugin.pdf import QUIET_FLAGS

CHROMIUM = Path("/usr/bin/chromium")
# Every host but the local one fails to resolve: a third-party request fails loudly.
OFFLINE_GUARD = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
CHROMIUM_ARGS = [*QUIET_FLAGS, OFFLINE_GUARD]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's Chromium (Playwright cannot download browsers here)."""
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}
