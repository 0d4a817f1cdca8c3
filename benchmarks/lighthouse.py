"""Lighthouse (npm, pinned in package.json) on Debian Chromium, offline.

Chromium gets the same flags as the browser tests, including the host-resolver rule that
makes any request to another host fail; the report's network requests are checked for
third-party hosts as well. Two configurations: the ``desktop`` preset (no simulated
throttling) and Lighthouse's default, ``mobile`` (a Moto G Power-sized screen, simulated
Slow 4G and a 4x CPU slowdown).
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
PRESETS = {"desktop": ["--preset=desktop"], "mobile": []}  # mobile is Lighthouse's default config
GOALS = {"performance": 95, "accessibility": 100, "best-practices": 100}
TIMEOUT_S = 300
ATTEMPTS = 3
# The performance metrics behind the score, shown beside it: audit id -> short name.
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
    "speed-index": "SI",
}


@dataclass(frozen=True)
class LighthouseResult:
    """Scores (0-100) of one page, the hosts it reached besides the origin, and weak audits."""

    page: str
    preset: str
    scores: dict[str, int]
    third_party: tuple[str, ...] = ()
    weak_audits: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()  # e.g. "LCP 2.1 s"
    savings: tuple[str, ...] = ()  # audits Lighthouse estimates would save FCP / LCP / TBT time
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


def command(url: str, output: Path, preset: str) -> list[str]:
    return [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={output}",
        f"--chrome-flags={chrome_flags()}",
        f"--only-categories={','.join(GOALS)}",
        *PRESETS[preset],
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


def metrics(report: dict[str, Any]) -> tuple[str, ...]:
    """The performance metrics as Lighthouse displays them (``LCP 2.1 s``)."""
    shown = []
    for audit_id, name in METRICS.items():
        audit = report["audits"].get(audit_id, {})
        if audit.get("displayValue"):
            shown.append(f"{name} {audit['displayValue']}".replace("\u00a0", " "))
    return tuple(shown)


def savings(report: dict[str, Any]) -> tuple[str, ...]:
    """Failing audits with estimated metric savings, largest first (``render-blocking-resources: …``)."""
    found = []
    for audit_id, audit in report["audits"].items():
        saved = {name: value for name, value in (audit.get("metricSavings") or {}).items() if value}
        if not saved or (audit.get("score") is not None and audit["score"] >= 1):
            continue
        detail = ", ".join(f"{name} {value:,.0f} ms" for name, value in saved.items() if name != "CLS")
        shown = f"{audit['displayValue']}; ".replace("\u00a0", " ") if audit.get("displayValue") else ""
        found.append((max(saved.values()), f"{audit_id} ({shown}{detail})"))
    return tuple(text for _, text in sorted(found, key=lambda item: -item[0])[:5])


def parse(page: str, preset: str, report: dict[str, Any], origin: str) -> LighthouseResult:
    if report.get("runtimeError"):
        message = report["runtimeError"].get("message", "runtime error")
        return LighthouseResult(page, preset, {}, error=message)
    scores = {
        name: round(category["score"] * 100)
        for name, category in report["categories"].items()
        if category.get("score") is not None
    }
    return LighthouseResult(
        page,
        preset,
        scores,
        third_party_hosts(report, origin),
        weak_audits(report),
        metrics(report),
        savings(report),
    )


def run(origin: str, page: str, workdir: Path, preset: str, index: int = 1) -> LighthouseResult:
    """Run Lighthouse on ``origin + page``; on any failure say why instead of raising.

    A run that ends in a Lighthouse runtime error (e.g. ``NO_NAVSTART``: "Please run Lighthouse
    again") is run again, up to ``ATTEMPTS`` times in all.
    """
    result = run_once(origin, page, workdir, preset, index)
    for attempt in range(2, ATTEMPTS + 1):
        if result.error is None:
            break
        print(f"  Lighthouse /{page} ({preset}): {result.error}; attempt {attempt}", flush=True)
        result = run_once(origin, page, workdir, preset, index)
    return result


def run_once(origin: str, page: str, workdir: Path, preset: str, index: int) -> LighthouseResult:
    if not LIGHTHOUSE.exists():
        return LighthouseResult(
            page, preset, {}, error="node_modules/.bin/lighthouse is missing (run npm ci)"
        )
    workdir.mkdir(parents=True, exist_ok=True)
    output = workdir / f"lighthouse-{page.strip('/') or 'home'}-{preset}-{index}.json"
    output.unlink(missing_ok=True)
    env = {**os.environ, "CHROME_PATH": str(CHROMIUM), "TMPDIR": str(workdir)}
    try:
        result = subprocess.run(
            command(origin + page, output, preset),
            capture_output=True,
            text=True,
            check=False,
            env=env,
            cwd=ROOT,
            timeout=TIMEOUT_S,
        )
    except subprocess.TimeoutExpired:
        return LighthouseResult(page, preset, {}, error=f"no report after {TIMEOUT_S} s")
    if result.returncode != 0 or not output.exists():
        why = (result.stderr.strip().splitlines() or [f"exit {result.returncode}"])[-1]
        return LighthouseResult(page, preset, {}, error=why)
    return parse(page, preset, json.loads(output.read_text(encoding="utf-8")), origin)
