"""The built guide as files: nothing points to another host unless a person clicks it, CSP everywhere."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from brickbybrick.plugin import csp, plugin, trusted
from helpers import ROOT, BuiltSite, headers_for, site_headers


class _Urls(HTMLParser):
    """Every URL-bearing attribute of a page, with the element it sits on."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name in ("href", "src", "action", "data", "poster", "srcset"):
            if named.get(name):
                self.found.append((tag, named[name] or "", named))


@pytest.fixture(scope="module")
def site(real_site_build: BuiltSite) -> Path:
    """The files of the guide's one build in this test session."""
    return real_site_build.site_dir


def _pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def _by_language(site: Path) -> dict[str, list[Path]]:
    """The pages of each language of the guide: English at the root, Spanish under es/."""
    pages = _pages(site)
    spanish = [page for page in pages if page.relative_to(site).parts[0] == "es"]
    return {"en": [page for page in pages if page not in spanish], "es": spanish}


def test_no_url_to_another_host_except_chosen_links(site: Path) -> None:
    """Only links a person chooses to click lead elsewhere, and they send no referrer."""
    problems = []
    for page in _pages(site):
        parser = _Urls()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, url, attrs in parser.found:
            if not re.match(r"^(https?:)?//", url) or url.startswith("http://127.0.0.1:"):
                continue
            if tag != "a":
                problems.append(f"{page.relative_to(site)}: <{tag}> loads {url}")
            elif "noreferrer" not in (attrs.get("rel") or "").split():
                problems.append(f"{page.relative_to(site)}: link to {url} lacks rel=noreferrer")
    assert problems == []


def test_no_third_party_url_in_scripts_or_styles(site: Path) -> None:
    """The site's own JavaScript and CSS fetch nothing from another host (theme bundles included)."""
    offenders = []
    scripts = [
        *(site / "assets" / "javascripts").rglob("*.js"),
        *(site / "assets" / "brickbybrick").rglob("*.js"),
    ]
    assert len(scripts) > 5
    for path in [*site.rglob("*.css"), *scripts]:
        text = path.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"url\(\s*['\"]?(https?://[^)'\"]+)", text):
            offenders.append(f"{path.relative_to(site)}: {url}")
    assert offenders == []


INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.DOTALL | re.IGNORECASE)


def _inline_script_hashes(site: Path, pages: list[Path] | None = None) -> set[str]:
    """Hashes of every inline script that runs on the site's pages (or on ``pages``): each the theme's
    or the plugin's own."""
    own = {plugin.inline_script(path) for path in plugin.INLINED}
    hashes: set[str] = set()
    for page in _pages(site) if pages is None else pages:
        for match in INLINE_SCRIPT.finditer(page.read_text(encoding="utf-8")):
            if "src=" in match["attrs"] or 'type="application/json"' in match["attrs"]:
                continue
            assert match["body"] in own or trusted.is_theme_script(match["body"]), (page, match["body"][:80])
            hashes.add(csp.script_hash(match["body"]))
    assert len(hashes) >= 4  # the theme's three, the plugin's two (one on quiz pages only)
    return hashes


def test_every_page_carries_the_strict_policy(site: Path) -> None:
    """Every page has the CSP meta tag first in <head>, allowing exactly the inline scripts its language's
    site has (the theme's inline configuration differs by language)."""
    for pages in _by_language(site).values():
        hashes = _inline_script_hashes(site, pages)
        expected = f'<meta http-equiv="Content-Security-Policy" content="{csp.policy(hashes)}">'
        for page in pages:
            html = page.read_text(encoding="utf-8")
            assert expected in html, page
            assert html.index(expected) < html.index("<script"), page
            assert "'unsafe-inline'" not in html
            assert "'unsafe-eval'" not in html.replace("'wasm-unsafe-eval'", "")


def test_headers_file_matches_the_pages(site: Path) -> None:
    """The _headers file sends the pages' policy (same script hashes) plus what only a header can say."""
    hashes = _inline_script_hashes(site)
    rules = site_headers(site)
    assert rules[0][0] == "/*"
    sent = headers_for(rules, "/assets/brickbybrick/javascripts/quiz.js")
    assert "Cache-Control" not in sent  # scripts, styles and Pyodide may be cached
    for page in ("/", "/pillars/", "/404.html"):
        assert headers_for(rules, page)["Cache-Control"] == "no-store", page
    assert sent["Content-Security-Policy"] == csp.policy(hashes, header=True)
    assert sent["Content-Security-Policy"].startswith(csp.policy(hashes))
    assert sent["Content-Security-Policy"].endswith("; frame-ancestors 'none'")
    assert {name: sent[name] for name in csp.HEADER_EXTRAS} == csp.HEADER_EXTRAS
    assert sent["Strict-Transport-Security"].startswith("max-age=")
    assert int(sent["Strict-Transport-Security"].split("=")[1]) >= 31536000
    assert sent["Cross-Origin-Opener-Policy"] == "same-origin"
    features = dict(part.strip().split("=") for part in sent["Permissions-Policy"].split(","))
    assert "interest-cohort" not in features  # FLoC is gone; its successor is browsing-topics
    for feature in ("browsing-topics", "camera", "microphone", "geolocation", "payment", "usb"):
        assert features[feature] == "()", feature


def test_quiz_pages_link_to_staying_safe(site: Path) -> None:
    """Every page with a quiz opens with a notice that links to Staying safe online; others do not."""
    for page in _pages(site):
        html = page.read_text(encoding="utf-8")
        has_quiz = 'data-quiz="' in html
        assert ("bb-privacy-notice" in html) == has_quiz, page
    notices = [p for p in _pages(site) if "bb-privacy-notice" in p.read_text(encoding="utf-8")]
    assert len(notices) == 5 * len(_by_language(site))  # five quizzes in each language


def test_no_service_worker_or_storage_in_site_code(site: Path) -> None:
    """The project's own scripts never register a service worker nor touch persistent storage."""
    scripts = sorted((ROOT / "src" / "brickbybrick" / "assets" / "javascripts").glob("*.js"))
    assert [path.name for path in scripts] == [
        "file-check.js",
        "memory.js",
        "messages.js",
        "protocol.js",
        "quiz.js",
        "result.js",
        "safety.js",
        "scorer-worker.js",
        "search-later.js",
        "worksheet.js",
    ]
    for path in scripts:
        # The code itself: comments and quoted names (the scorer's list of what it removes from
        # itself names serviceWorker and storage) are not uses.
        text = re.sub(r"//[^\n]*|\"[^\"\n]*\"", "", path.read_text(encoding="utf-8"))
        for forbidden in (
            "serviceWorker",
            "localStorage",
            "sessionStorage",
            "indexedDB",
            "document.cookie",
            "caches.",
        ):
            assert forbidden not in text, f"{path.name} uses {forbidden}"
