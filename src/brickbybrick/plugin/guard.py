"""Check a page as built: author content never runs code, loads from elsewhere or leaves.

Standard library only. Every page's final HTML (after macros, Markdown, front matter and the
theme's templates) is read by a real HTML parser, with entities decoded and names lowercased
before any comparison, and refused when it holds:

* a ``<script>`` that is not the theme's or this plugin's own (:mod:`trusted`), or a script
  file that is not the theme's bundle, the guide's ``extra_javascript`` or this plugin's;
* an event-handler attribute (``onclick=``...);
* a ``javascript:``, ``vbscript:`` or ``data:`` URL in a link or a resource;
* a ``<meta>`` that neither the theme nor this plugin writes (a refresh, a referrer policy, a
  second policy), anywhere in ``<body>`` or as ``http-equiv`` in ``<head>``;
* ``<base>``, frames, objects and embeds;
* a resource (image, media, stylesheet, form action...) on another host.

A parser can read markup differently from a browser (older Pythons' parser does not know that
``<title>`` holds only text): every dangerous tag name the raw text holds must also be one the
parser saw, or the page is refused as ambiguous.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Finding", "PageScripts", "check_page", "find_line"]

FORBIDDEN_TAGS = frozenset(
    {"base", "iframe", "frame", "frameset", "object", "embed", "applet", "portal", "fencedframe"}
)
#: Tags the raw text is counted for, against what the parser saw.
COUNTED_TAGS = (
    "script",
    "meta",
    "base",
    "iframe",
    "frame",
    "object",
    "embed",
    "applet",
    "portal",
    "fencedframe",
)
#: Attributes that hold a URL of something the page loads (or sends a form or a ping to).
RESOURCE_ATTRS = frozenset(
    {
        "src",
        "srcset",
        "poster",
        "data",
        "action",
        "formaction",
        "background",
        "ping",
        "manifest",
        "codebase",
        "archive",
    }
)
#: Attributes that hold a URL a person follows.
LINK_ATTRS = frozenset({"href", "xlink:href", "cite", "longdesc"})
#: Tags whose ``href`` loads something (not a link a person follows).
LOADING_HREF = frozenset({"link", "use", "image", "feimage", "script"})
#: ``<link rel>`` values that name a page, not load one (any other rel loads its ``href``).
NAMING_RELS = frozenset({"canonical", "next", "prev", "alternate", "author", "license", "help"})
BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
#: ``<meta name>`` values the theme writes; ``charset`` is allowed too. Everything else is refused.
THEME_META_NAMES = frozenset({"viewport", "description", "author", "generator"})
_URL_NOISE = re.compile(r"[\x00-\x20\x7f]+")
_OFF_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)")


@dataclass(frozen=True)
class Finding:
    what: str  # what the page holds, in words
    snippet: str  # the markup as the parser read it, to find its line in the source
    value: str = ""  # the attribute value or script that is refused, to find its line otherwise


@dataclass
class PageScripts:
    """What a page's scripts may be: recognised inline scripts and known script files."""

    is_trusted_inline: Callable[[str], bool]
    is_known_file: Callable[[str], bool]
    own_metas: dict[str, int] = field(default_factory=dict)  # <meta name> this plugin writes: how many
    trusted: list[str] = field(default_factory=list)  # the inline scripts found, for the CSP


def _clean_url(value: str) -> str:
    """A URL as a browser reads its scheme: whitespace and control characters out, lowercase."""
    return _URL_NOISE.sub("", value).replace("\\", "/").lower()


def _urls(name: str, value: str) -> list[str]:
    if name == "srcset":
        return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
    return [value]


class _Scanner(HTMLParser):
    def __init__(self, scripts: PageScripts | None) -> None:
        super().__init__(convert_charrefs=True)
        self.scripts = scripts
        self.findings: list[Finding] = []
        self.starts: Counter[str] = Counter()
        self.metas: Counter[str] = Counter()
        self.in_body = scripts is None  # a page's content is what goes into its <body>
        self._script: tuple[dict[str, str], str] | None = None
        self._script_body: list[str] = []

    def _find(self, what: str, value: str = "") -> None:
        self.findings.append(Finding(what, self.get_starttag_text() or "", value))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag == "script":
            self.handle_endtag(tag)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.starts[tag] += 1
        values = {name: value or "" for name, value in attrs}
        if tag == "body":
            self.in_body = True
        if tag in FORBIDDEN_TAGS:
            self._find(f"a <{tag}> element")
        for name, value in values.items():
            if name.startswith("on"):
                self._find(f"an event-handler attribute ({name}=)", name)
            if name in RESOURCE_ATTRS or name in LINK_ATTRS:
                loads = name in RESOURCE_ATTRS or (
                    tag in LOADING_HREF and not self._names_a_page(tag, values)
                )
                self._check_url(name, value, loads=loads)
        if tag == "meta":
            self._check_meta(values)
        elif tag == "script":
            self._script = (values, self.get_starttag_text() or "<script>")
            self._script_body = []

    @staticmethod
    def _names_a_page(tag: str, values: dict[str, str]) -> bool:
        rels = set(values.get("rel", "").lower().split())
        return tag == "link" and bool(rels) and rels <= NAMING_RELS

    def _check_url(self, name: str, value: str, *, loads: bool) -> None:
        for url in _urls(name, value):
            clean = _clean_url(url)
            if clean.startswith(BAD_SCHEMES):
                self._find(f"a {clean.split(':')[0]}: URL in {name}=", url.strip())
            elif loads and _OFF_HOST.match(clean):
                self._find(f"a resource from another host ({name}={url.strip()!r})", url.strip())

    def _check_meta(self, values: dict[str, str]) -> None:
        if set(values) == {"charset"} and not self.in_body:
            return
        name = values.get("name", "").strip().lower()
        self.metas[name] += 1
        own = self.scripts.own_metas if self.scripts else {}
        if self.in_body:
            self._find("a <meta> in the page's body")
        elif "http-equiv" in values:
            self._find(f'a <meta http-equiv="{values["http-equiv"].strip().lower()}">')
        elif name in THEME_META_NAMES:
            if self.metas[name] > 1:
                self._find(f'a second <meta name="{name}">')
        elif self.metas[name] > own.get(name, 0):
            self._find(f'a <meta name="{name}"> that neither the theme nor this plugin writes')

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script_body.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag != "script" or self._script is None:
            return
        attrs, start = self._script
        body = "".join(self._script_body)
        self._script = None
        self._check_script(attrs, start, body)

    def _check_script(self, attrs: dict[str, str], start: str, body: str) -> None:
        if self.scripts is None:
            self.findings.append(Finding("a <script>", start, body.strip()[:40]))
            return
        kind = attrs.get("type", "").strip().lower()
        if "src" in attrs:
            if body.strip() or not self.scripts.is_known_file(attrs["src"]):
                self.findings.append(
                    Finding(f"a script file that is not the theme's or this plugin's ({attrs['src']})", start)
                )
        elif kind == "application/json" and attrs.get("id") == "__config" and set(attrs) == {"id", "type"}:
            pass  # the theme's settings: data, never run
        elif kind not in ("", "text/javascript") or not self.scripts.is_trusted_inline(body):
            self.findings.append(
                Finding("an inline <script> that is not the theme's or this plugin's", start)
            )
        else:
            self.scripts.trusted.append(body)


def check_page(html: str, scripts: PageScripts | None = None) -> list[Finding]:
    """What ``html`` holds that a guide's page may not. ``scripts`` None: no script at all (content)."""
    scanner = _Scanner(scripts)
    scanner.feed(html)
    scanner.close()
    if scanner._script is not None:  # a <script> never closed
        scanner._check_script(*scanner._script, "".join(scanner._script_body))
    findings = scanner.findings
    for tag in COUNTED_TAGS:
        raw = len(re.findall(rf"<{tag}[\s/>]", html, re.IGNORECASE))
        if raw > scanner.starts[tag]:
            findings.append(Finding(f"markup that hides a <{tag}> from the parser", f"<{tag}"))
    return findings


def find_line(source: str, finding: Finding) -> int | None:
    """The first line of ``source`` holding the finding's markup or value as written, if any.

    None when the page's source does not hold it as such (a macro or the theme wrote it).
    """
    lowered = source.lower()
    for snippet in (finding.snippet, finding.value):
        if not snippet:
            continue
        at = lowered.find(snippet.lower())
        if at >= 0:
            return lowered.count("\n", 0, at) + 1
    return None
