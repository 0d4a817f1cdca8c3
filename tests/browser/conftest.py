"""Browser fixtures: sites built once per session with --strict and served on port 0."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, Request
from quizpage import hold_scorer

from brickbybrick import catalogue
from helpers import FIXTURES, BuiltSite, build, free_port, mini_project, serve

FIXTURE_PAGES = {
    "index.md": "# Fixture home\n\nGo to the [sample quiz](quiz.md) or [another page](other.md).\n",
    "quiz.md": '# Sample quiz\n\nAnswer these.\n\n{{ quiz("sample") }}\n\n## After\n\nText.\n',
    "other.md": "# Other page\n\nNo quiz here. Back to the [sample quiz](quiz.md).\n",
    "extension.md": '# Extension quiz\n\n{{ quiz("ext-demo") }}\n',
    "hostile.md": '# Hostile strings\n\n{{ quiz("hostile") }}\n',
    "loop.md": '# Loop\n\n{{ quiz("loop") }}\n',
    "scoring.md": '# Scored like the paper\n\n{{ quiz("self-esteem") }}\n',
    "help.md": "# Help\n\n## Get help\n\nCall someone you trust.\n",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture
def scorer_held(page: Page) -> Page:
    hold_scorer(page)
    return page


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The fixture mini-site (sample and extension quizzes), built for the origin it is served on."""
    root = tmp_path_factory.mktemp("fixture-site")
    project = mini_project(
        root / "project",
        pages=FIXTURE_PAGES,
        quiz_dirs=(
            FIXTURES / "quizzes",
            FIXTURES / "extension",
            FIXTURES / "hostile",
            FIXTURES / "loop",
            FIXTURES / "scoring",
        ),
    )
    sock = free_port()
    origin = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    result = build(project, root / "site", origin)
    assert result.returncode == 0, result.stderr
    with serve(root / "site", sock) as url:
        yield url


@pytest.fixture(scope="session")
def base_url(fixture_site: str) -> str:
    return fixture_site


@pytest.fixture
def requests_seen(page: Page) -> list[str]:
    """Every URL the page requested during the test."""
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


@pytest.fixture(autouse=True)
def _only_local_requests(request: pytest.FixtureRequest) -> Iterator[None]:
    """Every request of every browser test goes to the local origin, and no CSP violation is reported."""
    if "page" not in request.fixturenames:
        yield
        return
    page: Page = request.getfixturevalue("page")
    seen: list[Request] = []
    violations: list[str] = []
    page.context.on("request", lambda r: seen.append(r))
    page.on(
        "console",
        lambda msg: violations.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    yield
    if request.node.get_closest_marker("provokes_csp") is None:
        assert violations == [], f"Content-Security-Policy violations: {violations}"
    marker = request.node.get_closest_marker("allow_hosts")
    allowed = tuple(f"https://{host}/" for host in (marker.args if marker else ()))
    local = ("http://127.0.0.1:", "data:", "blob:")
    foreign = [r.url for r in seen if not r.url.startswith(local + allowed)]
    assert foreign == [], f"requests left the local origin: {foreign}"


@pytest.fixture
def console_errors(page: Page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    return errors


@pytest.fixture(scope="session")
def real_site(real_site_build: BuiltSite) -> str:
    """The URL the real guide is served on."""
    return real_site_build.url


@pytest.fixture(scope="session")
def real_site_pages(real_site: str) -> list[str]:
    """Every page URL listed in the real site's sitemap."""
    with urllib.request.urlopen(real_site + "sitemap.xml") as response:
        sitemap = response.read().decode()
    return re.findall(r"<loc>(.*?)</loc>", sitemap)


@dataclass(frozen=True)
class Guide:
    """The real guide in one of its languages: where it is, its pages and the plugin's words in it."""

    language: str
    url: str
    pages: list[str]
    words: catalogue.Catalogue


#: The guide's languages and where each one's site is (mkdocs.yml: plugins.brickbybrick.languages).
GUIDE_LANGUAGES = {"en": "", "es": "es/"}


@pytest.fixture(scope="session", params=list(GUIDE_LANGUAGES))
def guide(request: pytest.FixtureRequest, real_site: str) -> Guide:
    """The real guide in each of its languages, every page from that language's own sitemap."""
    language: str = request.param
    url = real_site + GUIDE_LANGUAGES[language]
    with urllib.request.urlopen(url + "sitemap.xml") as response:
        pages = re.findall(r"<loc>(.*?)</loc>", response.read().decode())
    return Guide(language, url, pages, catalogue.load(language))
