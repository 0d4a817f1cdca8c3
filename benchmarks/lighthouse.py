"""Lighthouse (npm, pinned in package.json) on Debian Chromium, offline.

Chromium gets the same flags as the browser tests, including the host-resolver rule that
makes any request to another host fail; the report's network requests are checked for
third-party hosts as well. The desktop preset is used (no simulated mobile throttling).
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tests.helpers import CHROMIUM, CHROMIUM_ARGS, ROOT

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
PRESET = "desktop"
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100}
TIMEOUT_S = 300


@dataclass(frozen=True)
class LighthouseResult:
    """Scores (0-100) of one page, the hosts it reached besides the origin, and weak audits."""

    page: str
    scores: dict[str, int]
    third_party: tuple[str, ...] = ()
    weak_audits: tuple[str, ...] = ()
    error: str | None = None

    @property
    def met(self) -> bool | None:
        if self.error is not None or len(self.scores) != len(GOALS):
            return None
        return all(self.scores[name] >= goal for name, goal in GOALS.items()) and not self.third_party


def version() -> str | None:
    try:
        return str(json.loads((ROOT / "node_modules" / "lighthouse" / "package.json").read_text())["version"])
    except OSError:
        return None


def chrome_flags() -> str:
    """The browser tests' Chromium flags as one ``--chrome-flags`` string (values with spaces quoted)."""
    flags = ["--headless=new"]
    for arg in CHROMIUM_ARGS:
        name, _, value = arg.partition("=")
        flags.append(f'{name}="{value}"' if " " in value else arg)
    return " ".join(flags)


def command(url: str, output: Path) -> list[str]:
    return [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={output}",
        f"--chrome-flags={chrome_flags()}",
        f"--only-categories={','.join(GOALS)}",
        f"--preset={PRESET}",
        "--quiet",
    ]


def weak_audits(report: dict[str, Any]) -> tuple[str, ...]:
    """Scored audits that cost points (score < 0.9 in performance, < 1 elsewhere)."""
    weak = []
    for name in GOALS:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            limit = 0.9 if name == "performance" else 1
            if ref.get("weight") and audit.get("score") is not None and audit["score"] < limit:
                shown = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                weak.append(f"{ref['id']}{shown}")
    return tuple(weak)


def third_party_hosts(report: dict[str, Any], origin: str) -> tuple[str, ...]:
    items = report["audits"].get("network-requests", {}).get("details", {}).get("items", [])
    hosts = {urlsplit(item["url"]).netloc for item in items if item["url"].startswith("http")}
    return tuple(sorted(hosts - {urlsplit(origin).netloc}))


def parse(page: str, report: dict[str, Any], origin: str) -> LighthouseResult:
    if report.get("runtimeError"):
        return LighthouseResult(page, {}, error=report["runtimeError"].get("message", "runtime error"))
    scores = {
        name: round(category["score"] * 100)
        for name, category in report["categories"].items()
        if category.get("score") is not None
    }
    return LighthouseResult(page, scores, third_party_hosts(report, origin), weak_audits(report))


def run(origin: str, page: str, workdir: Path) -> LighthouseResult:
    """Run Lighthouse on ``origin + page``; on any failure say why instead of raising."""
    if not LIGHTHOUSE.exists():
        return LighthouseResult(page, {}, error="node_modules/.bin/lighthouse is missing (run npm ci)")
    workdir.mkdir(parents=True, exist_ok=True)
    output = workdir / f"lighthouse-{page.strip('/') or 'home'}.json"
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM), "TMPDIR": str(workdir)}
    try:
        result = subprocess.run(
            command(origin + page, output),
            capture_output=True,
            text=True,
            check=False,
            env=env,
            cwd=ROOT,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return LighthouseResult(page, {}, error=f"no report after {TIMEOUT_S} s")
    if result.returncode != 0 or not output.exists():
        why = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        return LighthouseResult(page, {}, error=why)
    return parse(page, json.loads(output.read_text(encoding="utf-8")), origin)
