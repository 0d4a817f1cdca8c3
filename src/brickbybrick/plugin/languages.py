"""One guide in several languages, each built by its own ``mkdocs.yml`` into ``site/<code>/``.

The guide's ``mkdocs.yml`` names its other languages, Material's convention of one configuration
per language::

    plugins:
      - brickbybrick:
          languages:
            es: es/mkdocs.yml   # INHERIT: ../mkdocs.yml; theme.language: es; its own docs/

After the guide's own build, each language is built by MkDocs, with its own plugins and words,
into ``<site_dir>/<code>/``: under ``mkdocs build`` and ``mkdocs serve`` alike, so one command
builds or serves every language. Pages of the same file name are the same page in each language:

* the language switch (Material's, from ``extra.alternate``, filled in here when the guide does not
  set it) leads to the same page in the other language, as a plain link that works without
  script; a page not yet translated leads to that language's home page, with a warning;
* each sitemap names each page's other languages (``hreflang`` alternates). The pages' own
  ``<link rel="alternate" hreflang>`` tags name the languages' home pages: Material's script
  fetches ``sitemap.xml`` beside each of them, which exists only there;
* one ``_headers`` file, at the site's root, allows the scripts of every language (the theme's
  inline configuration differs by language), since hosts read only that one.
"""

from __future__ import annotations

import gzip
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from mkdocs.config import config_options, load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

__all__ = [
    "Language",
    "add_sitemap_alternates",
    "document_pages",
    "load_language",
    "relative",
    "switch_links",
]

#: Material's language switch: one link per language of ``extra.alternate``.
SWITCH_LINK = re.compile(
    r'<a href="[^"]*" hreflang="(?P<lang>[^"]*)" class="md-select__link">', re.IGNORECASE
)
SITEMAP_URL = re.compile(r"<url>\s*<loc>(?P<loc>[^<]*)</loc>")


@dataclass(frozen=True)
class Language:
    """One language of the guide: its code, where its site is (``""`` or ``"es/"``), its own name."""

    code: str
    prefix: str
    name: str


def primary(code: str) -> str:
    """``es`` for ``es``, ``es-MX`` or ``es_MX``."""
    return re.split(r"[-_]", code, maxsplit=1)[0].lower()


def relative(target: str, here: str) -> str:
    """The link from the page at ``here`` to ``target``, both from the main site's root."""
    link = get_relative_url(target or ".", here or ".")
    if (not target or target.endswith("/")) and not link.endswith("/"):
        link += "/"
    return link


def load_language(main: MkDocsConfig, code: str, config_file: str) -> MkDocsConfig:
    """The configuration of one other language, built into ``<site_dir>/<code>/``."""
    where = f"mkdocs.yml: plugins.brickbybrick.languages.{code}"
    if not re.fullmatch(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", code):
        raise PluginError(f"{where}: a language code such as es or pt-BR")
    root = Path(main.config_file_path).resolve().parent if main.config_file_path else Path.cwd()
    path = (root / config_file).resolve()
    if not path.is_file():
        raise PluginError(f"{where}: there is no {config_file} beside mkdocs.yml")
    if main.config_file_path and path == Path(main.config_file_path).resolve():
        raise PluginError(f"{where}: the guide's own mkdocs.yml; name another language's configuration")
    # MkDocs keeps one instance of a plugin with on_startup for the whole process (for `mkdocs
    # serve`): this language's plugins must be its own, not the guide's with its options changed.
    plugins = dict(MkDocsConfig._schema)["plugins"]
    assert isinstance(plugins, config_options.Plugins)
    cache, plugins.plugin_cache = plugins.plugin_cache, {}
    try:
        config = load_config(
            config_file=str(path), site_dir=str(Path(main.site_dir) / code), strict=main.strict
        )
    finally:
        plugins.plugin_cache = cache
    language = config.theme.get("language") or "en"
    if primary(language) != primary(code):
        raise PluginError(f"{config_file}: theme.language is {language!r}: set it to {code!r}")
    if Path(config.docs_dir).resolve() == Path(main.docs_dir).resolve():
        raise PluginError(
            f"{config_file}: docs_dir: the {code} pages need their own folder (e.g. docs beside it)"
        )
    if main.site_url:
        config.site_url = main.site_url.rstrip("/") + f"/{code}/"
    return config


def document_pages(config: MkDocsConfig | Any) -> set[str]:
    """The Markdown pages of a language (their paths in its docs folder)."""
    docs = Path(config.docs_dir)
    return {path.relative_to(docs).as_posix() for path in docs.rglob("*.md")}


def switch_links(
    output: str,
    *,
    page_url: str,
    src_uri: str,
    here: Language,
    languages: list[Language],
    pages: dict[str, set[str]],
) -> str:
    """Point each link of the language switch at this page in that language (its home page if the
    page is not translated), and mark it with its language for screen readers."""
    by_code = {language.code: language for language in languages}

    def link(match: re.Match[str]) -> str:
        language = by_code.get(match["lang"])
        if language is None:  # the guide's own alternate, to another site: as the guide wrote it
            return match.group(0)
        target = language.prefix + (page_url if src_uri in pages.get(language.code, set()) else "")
        href = relative(target, here.prefix + page_url)
        current = ' aria-current="page"' if language == here else ""
        return (
            f'<a href="{html.escape(href)}" hreflang="{html.escape(language.code)}" '
            f'lang="{html.escape(language.code)}"{current} class="md-select__link">'
        )

    return SWITCH_LINK.sub(link, output)


def add_sitemap_alternates(
    site_dir: Path, languages: list[Language], urls: dict[str, dict[str, str]]
) -> None:
    """Name each page's other languages in every language's sitemap (``xhtml:link`` alternates).

    ``urls`` maps a page (its source path) to its address in each language that has it.
    """
    for language in languages:
        sitemap = site_dir / language.prefix / "sitemap.xml"
        if not sitemap.is_file():
            continue
        by_loc = {
            addresses[language.code]: addresses for addresses in urls.values() if language.code in addresses
        }

        def entry(match: re.Match[str], by_loc: dict[str, dict[str, str]] = by_loc) -> str:
            addresses = by_loc.get(html.unescape(match["loc"]))
            if not addresses or len(addresses) < 2:
                return match.group(0)
            links = "".join(
                f'\n    <xhtml:link rel="alternate" hreflang={quoteattr(code)} href={quoteattr(address)}/>'
                for code, address in addresses.items()
            )
            return match.group(0) + links

        text = sitemap.read_text(encoding="utf-8")
        text = SITEMAP_URL.sub(entry, text)
        text = text.replace(
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
            1,
        )
        sitemap.write_text(text, encoding="utf-8")
        packed = sitemap.with_name("sitemap.xml.gz")
        if packed.is_file():
            with gzip.GzipFile(packed, "wb", mtime=0) as out:
                out.write(text.encode("utf-8"))
