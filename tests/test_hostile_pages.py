"""Author content can never run code: what a hostile contributor would try, checked on the page as built.

Two layers: the checker itself on HTML as a browser would get it (entities, case, split lines,
markup a parser can misread), and real ``mkdocs build --strict`` runs for what only shows once
macros, Markdown, front matter and the theme have made the page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from brickbybrick.plugin import guard, trusted
from helpers import build, mini_project

PAGES = {
    "index.md": "# Home\n\nSee the [quiz](quiz.md).\n",
    "quiz.md": '# Quiz\n\nIntro.\n\n{{ quiz("sample") }}\n',
    "help.md": "# Help\n\n## Get help\n\nCall.\n",
}


def content_findings(html: str) -> list[str]:
    """What the content check (no script of any kind) finds in ``html``."""
    return [finding.what for finding in guard.check_page(html)]


def built_findings(
    html: str, *, inline: frozenset[str] = frozenset(), files: frozenset[str] = frozenset()
) -> list[str]:
    """What the whole-page check finds, trusting the theme's scripts and ``inline`` / ``files``."""
    scripts = guard.PageScripts(
        is_trusted_inline=lambda body: body in inline or trusted.is_theme_script(body),
        is_known_file=lambda src: src in files,
    )
    return [finding.what for finding in guard.check_page(html, scripts)]


# ----------------------------------------------------------------------------- the checker


@pytest.mark.parametrize(
    ("html", "what"),
    [
        ("<script>alert(1)</script>", "a <script>"),
        ("<SCRIPT>alert(1)</SCRIPT>", "a <script>"),
        ("<svg><script>alert(1)</script></svg>", "a <script>"),
        ('<script src="evil.js"></script>', "a <script>"),
        ("<script/src=evil.js></script>", "a <script>"),
        ('<img src="x.png" onerror="alert(1)">', "an event-handler attribute (onerror=)"),
        ('<svg ONLOAD="alert(1)"></svg>', "an event-handler attribute (onload=)"),
        ('<a href="#" onclick="alert(1)">x</a>', "an event-handler attribute (onclick=)"),
        ('<a href="javascript:alert(1)">x</a>', "a javascript: URL in href="),
        ('<a href="&#106;avascript:alert(1)">x</a>', "a javascript: URL in href="),
        ('<a href="&#x6A;ava&#x09;script:alert(1)">x</a>', "a javascript: URL in href="),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "a javascript: URL in href="),
        ('<a href="data:text/html,<script>alert(1)</script>">x</a>', "a data: URL in href="),
        ('<img src="data:image/svg+xml,<svg/>">', "a data: URL in src="),
        ('<a href="vbscript:msgbox(1)">x</a>', "a vbscript: URL in href="),
        ('<svg><a xlink:href="javascript:alert(1)">x</a></svg>', "a javascript: URL in xlink:href="),
        ('<meta http-equiv="refresh" content="0; url=https://example.org/">', "a <meta> in the page's body"),
        (
            '<meta http-equiv="&#114;efresh" content="0; url=https://example.org/">',
            "a <meta> in the page's body",
        ),
        (
            '<meta\nhttp-equiv="refresh"\ncontent="0; url=https://example.org/">',
            "a <meta> in the page's body",
        ),
        ('<meta name="referrer" content="unsafe-url">', "a <meta> in the page's body"),
        ('<base href="https://example.org/">', "a <base> element"),
        ('<iframe src="help.md"></iframe>', "a <iframe> element"),
        ('<object data="x.swf"></object>', "a <object> element"),
        ('<embed src="x.swf">', "a <embed> element"),
        (
            '<img src="https://example.org/pixel.gif" alt="">',
            "a resource from another host (src='https://example.org/pixel.gif')",
        ),
        (
            '<img src="//example.org/pixel.gif" alt="">',
            "a resource from another host (src='//example.org/pixel.gif')",
        ),
        ('<img src="/\\example.org/pixel.gif" alt="">', "a resource from another host"),
        (
            '<img src="x.png" srcset="x.png 1x, https://example.org/p.gif 2x" alt="">',
            "a resource from another host",
        ),
        ('<video poster="https://example.org/p.gif"></video>', "a resource from another host (poster="),
        ('<form action="https://example.org/collect"></form>', "a resource from another host (action="),
        (
            '<button formaction="https://example.org/collect">x</button>',
            "a resource from another host (formaction=",
        ),
        ('<a href="help.md" ping="https://example.org/track">x</a>', "a resource from another host (ping="),
        ('<link rel="stylesheet" href="https://example.org/x.css">', "a resource from another host (href="),
        ('<svg><use href="https://example.org/i.svg#a"></use></svg>', "a resource from another host (href="),
    ],
)
def test_content_that_would_run_load_or_leave_is_found(html: str, what: str) -> None:
    """Every way in: tags, handlers, schemes and hosts, after entities and case are decoded."""
    found = content_findings(f"<p>Some text.</p>{html}<p>More.</p>")
    assert any(item.startswith(what) for item in found), found


@pytest.mark.parametrize(
    "html",
    [
        '<p>Call <a href="tel:+18007997233">1-800-799-7233</a> or <a href="https://www.thehotline.org/">chat</a>.</p>',
        '<p><a href="mailto:help@example.org">Write</a> <a href="../help/#get-help">Help</a></p>',
        '<p><img src="../images/plan.png" alt="A plan"></p>',
        "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>",
        '<form class="bb-quiz__form" data-quiz="x" autocomplete="off"><input type="radio" name="a" value="1"></form>',
        '<p title="onclick=alert(1)">Attribute text that merely mentions a handler.</p>',
    ],
)
def test_ordinary_content_passes(html: str) -> None:
    """Links a reader follows, local images, code shown as text and quiz forms are all fine."""
    assert content_findings(html) == []


def test_markup_a_parser_can_misread_is_refused() -> None:
    """Where a parser and a browser may disagree (a script inside <title>), the page is refused."""
    page = (
        '<html><head><meta charset="utf-8"><title><a title="</title><script>alert(1)</script>"></title>'
        "</head><body><p>x</p></body></html>"
    )
    assert any("a <script>" in what for what in built_findings(page)), built_findings(page)


def theme_page(head: str = "", body: str = "") -> str:
    base = next(script for name, script in trusted.MATERIAL_SCRIPTS if name.endswith("base.html"))
    scope = base.replace("{{ config.extra.scope | d(base_url) }}", "..")
    return (
        f'<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f'<meta name="description" content="A guide"><title>Page</title><script>{scope}</script>{head}</head>'
        f'<body><script id="__config" type="application/json">{{"base": ".."}}</script>{body}'
        '<script src="../assets/javascripts/bundle.a5f9d56c.min.js"></script></body></html>'
    )


def test_the_theme_and_known_files_pass() -> None:
    """The theme's own inline scripts, its settings block and known script files are what a page may run."""
    assert (
        built_findings(theme_page(), files=frozenset({"../assets/javascripts/bundle.a5f9d56c.min.js"})) == []
    )


@pytest.mark.parametrize(
    ("head", "body", "what"),
    [
        (
            "",
            "<script>fetch('/x?' + document.forms[0])</script>",
            "an inline <script> that is not the theme's",
        ),
        ("<script>var a = 1</script>", "", "an inline <script> that is not the theme's"),
        ("", '<script type="module">import("/x.js")</script>', "an inline <script> that is not the theme's"),
        (
            "",
            '<script type="importmap">{"imports": {}}</script>',
            "an inline <script> that is not the theme's",
        ),
        ("", '<script src="../evil.js"></script>', "a script file that is not the theme's or this plugin's"),
        (
            '<meta name="referrer" content="unsafe-url">',
            "",
            'a <meta name="referrer"> that neither the theme',
        ),
        (
            '<meta http-equiv="refresh" content="0;url=https://example.org">',
            "",
            'a <meta http-equiv="refresh">',
        ),
        ('<meta http-equiv="Content-Security-Policy" content="default-src *">', "", "a <meta http-equiv"),
        ('<meta name="description" content="twice">', "", 'a second <meta name="description">'),
        ('<meta name="bb-runtime" content="scorer" data-pyodide="/evil/">', "", 'a <meta name="bb-runtime">'),
        ('<base href="/evil/">', "", "a <base> element"),
    ],
)
def test_a_page_as_built_holds_only_the_theme_and_plugin_scripts(head: str, body: str, what: str) -> None:
    """Any other inline script, script file, meta or base in the whole page is refused."""
    found = built_findings(
        theme_page(head, body), files=frozenset({"../assets/javascripts/bundle.a5f9d56c.min.js"})
    )
    assert any(item.startswith(what) for item in found), found


def test_theme_scripts_match_the_installed_theme() -> None:
    """The list of the theme's inline scripts is the installed mkdocs-material's, exactly."""
    import re

    import material

    partials = Path(material.__file__).parent / "templates" / "partials" / "javascripts"
    installed = [
        (f"partials/javascripts/{path.name}", body)
        for path in sorted(partials.glob("*.html"))
        for body in re.findall(r"<script>(.*?)</script>", path.read_text(encoding="utf-8"), re.DOTALL)
    ]
    assert installed == list(trusted.MATERIAL_SCRIPTS)


def test_find_line_names_the_source_line_or_nothing() -> None:
    """The line is given when the source holds the markup as written; otherwise none is guessed."""
    source = "# Title\n\nText.\n\n<SCRIPT>alert(1)</SCRIPT>\n"
    [finding] = guard.check_page("<h1>Title</h1><p>Text.</p><SCRIPT>alert(1)</SCRIPT>")
    assert guard.find_line(source, finding) == 5
    [made] = guard.check_page("<script>alert(1)</script>")
    assert guard.find_line('{{ "<scr" ~ "ipt>al" ~ "ert(1)</scr" ~ "ipt>" }}\n', made) is None


# ----------------------------------------------------------------------------- real builds


def build_pages(
    tmp_path: Path, pages: dict[str, str], extra: dict[str, str] | None = None
) -> tuple[int, str]:
    project = mini_project(tmp_path / "project", pages={**PAGES, **pages})
    for name, text in (extra or {}).items():
        (project / name).parent.mkdir(parents=True, exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    return done.returncode, done.stdout + done.stderr


HOME = "# Home\n\nSee the [quiz](quiz.md).\n\n"


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        # A script indented four spaces inside a <div> (raw HTML: not a code block).
        (HOME + "<div>\n    <script>alert(1)</script>\n</div>\n", "docs/index.md:6: the page has a <script>"),
        # Backticks inside attributes, so a line scanner skipped the script as code.
        (
            HOME + '<div title="`"><script>alert(1)</script><span title="`"></span></div>\n',
            "docs/index.md:5: the page has a <script>",
        ),
        # A script assembled by the macros, after any check of the Markdown.
        (
            HOME + '{{ "<scr" ~ "ipt>al" ~ "ert(1)</scr" ~ "ipt>" }}\n',
            "docs/index.md: the page has a <script>",
        ),
        (
            HOME + '<meta http-equiv="&#114;efresh" content="0; url=https://example.org/">\n',
            "docs/index.md:5: the page has a <meta> in the page's body",
        ),
        (
            HOME + '<meta\nhttp-equiv="refresh"\ncontent="0; url=https://example.org/">\n',
            "docs/index.md:5: the page has a <meta> in the page's body",
        ),
        (
            HOME + '<meta name="referrer" content="unsafe-url">\n',
            "docs/index.md:5: the page has a <meta> in the page's body",
        ),
        (HOME + "[Click](javascript:alert(1))\n", "docs/index.md:5: the page has a javascript: URL in href="),
        (
            HOME + "![pixel](https://example.org/pixel.gif)\n",
            "docs/index.md:5: the page has a resource from another host",
        ),
        (
            HOME + '<a href="#" onclick="alert(1)">Click</a>\n',
            "docs/index.md:5: the page has an event-handler attribute (onclick=)",
        ),
        # Front matter the theme writes into <head> without escaping.
        (
            "---\ntitle: '</title><script>alert(1)</script>'\n---\n" + HOME,
            "404.html (from docs/index.md:2): the page as built (front matter, macros and theme included) has an inline <script> that is not the theme's",
        ),
        (
            "---\ndescription: '\"><script>alert(1)</script>'\n---\n" + HOME,
            "docs/index.md:2: the page as built (front matter, macros and theme included) has an inline <script> that is not the theme's",
        ),
        (
            '---\ndescription: \'"><meta http-equiv="refresh" content="0;url=https://example.org">\'\n---\n'
            + HOME,
            'docs/index.md:2: the page as built (front matter, macros and theme included) has a <meta http-equiv="refresh">',
        ),
    ],
)
def test_hostile_chapter_fails_the_build(tmp_path: Path, page: str, expected: str) -> None:
    """Each attack a contributor with one changed chapter could make fails the build, naming the page."""
    code, output = build_pages(tmp_path, {"index.md": page})
    assert code != 0
    assert expected in output, output[-2000:]
    assert "Traceback" not in output


def test_an_included_file_is_checked_too(tmp_path: Path) -> None:
    """A macro ``{% include %}`` of a text file lands in the page and is checked like the rest."""
    code, output = build_pages(
        tmp_path,
        {"index.md": HOME + '{% include "notes.txt" %}\n'},
        extra={"docs/notes.txt": "<script>alert(1)</script>\n"},
    )
    assert code != 0
    assert "docs/index.md: the page has a <script>" in output, output[-2000:]


def test_a_script_file_beside_the_chapters_cannot_be_loaded(tmp_path: Path) -> None:
    """A script served from the site's own host is still refused when a chapter loads it."""
    code, output = build_pages(
        tmp_path,
        {"index.md": HOME + '<script src="evil.js"></script>\n'},
        extra={"docs/evil.js": "alert(1)\n"},
    )
    assert code != 0
    assert "docs/index.md:5: the page has a <script>" in output


def test_a_changed_theme_script_fails_the_build_instead_of_turning_protections_off(tmp_path: Path) -> None:
    """An override of the theme's inline script is not recognised: the build says so, nothing is silently off."""
    project = mini_project(tmp_path / "project", pages=PAGES)
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        config.replace("  name: material\n", "  name: material\n  custom_dir: overrides\n")
    )
    override = project / "overrides" / "partials" / "javascripts" / "base.html"
    override.parent.mkdir(parents=True)
    override.write_text(
        "<script>window.__md_get = () => null; localStorage.x = 1</script>\n", encoding="utf-8"
    )
    done = build(project, tmp_path / "site", "http://127.0.0.1:8000/")
    assert done.returncode != 0
    assert "the theme's inline scripts are not the ones this plugin knows (mkdocs-material" in done.stderr


def test_code_that_shows_markup_builds(tmp_path: Path) -> None:
    """The same markup inside code spans or fenced code is text, not HTML, and builds."""
    page = HOME + "Write `<script>` or:\n\n```html\n<script>alert(1)</script>\n```\n"
    code, output = build_pages(tmp_path, {"index.md": page})
    assert code == 0, output


def test_a_built_site_never_allows_live_reload(tmp_path: Path) -> None:
    """Live reload's script is allowed under `mkdocs serve` only: a built page's policy does not name it."""
    from brickbybrick.plugin import csp, livereload

    code, output = build_pages(tmp_path, {})
    assert code == 0, output
    html = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert "Content-Security-Policy" in html
    assert csp.script_hash(livereload.SCRIPT) not in html
    assert csp.script_hash(livereload.SCRIPT) not in (tmp_path / "site" / "_headers").read_text(
        encoding="utf-8"
    )
