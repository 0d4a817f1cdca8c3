"""The ``brickbybrick`` MkDocs plugin: one instance owns a build's quizzes, help and runtime.

* ``on_config``: load and validate the help data, every quiz and every worksheet once (located
  errors), check the shipped Pyodide and read the engine's files, turn the theme's web fonts off,
  add the package's CSS and JavaScript;
* ``on_files``: add those assets from the package (nothing is copied into a guide) and the blank
  worksheets' PDFs (so that Markdown links to them are checked), and start Chromium to print them
  (unless they are cached);
* ``on_env``: the theme's templates compiled once into ``.cache/brickbybrick/jinja``; pages with a
  worksheet are written first when Chromium waits to print them;
* ``on_page_markdown``: know which pages have which quizzes and worksheets (before mkdocs-macros
  renders them);
* ``on_page_content``: the macros' HTML in place of their markers (it never goes through
  Markdown), form fields switched off, the privacy notice on quiz pages;
* ``on_post_page`` / ``on_post_template``: the quick exit, the scorer's early start, the theme's
  settings in memory, the CSP; a worksheet's blank PDFs start printing once its page is written;
* ``on_post_build``: Pyodide and the engine, one CSP for every page and ``_headers``, gzip copies
  of large files, then the PDFs waited for.

The macros (:mod:`brickbybrick.macros`) read this instance's state.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import jinja2
from mkdocs.commands.build import build
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from brickbybrick import catalogue, contract, engine, helpfile, render, translation, worksheetfile
from brickbybrick.plugin import compress, csp, guard, languages, livereload, pdf, trusted
from brickbybrick.plugin.config import BrickByBrickConfig
from brickbybrick.plugin.pages import MacroCall, PageChecker, QuizCallError, macro_calls, page_checker
from brickbybrick.plugin.runtime import (
    PACKAGE_DIR,
    Runtime,
    RuntimeFilesError,
    cache_dir,
    prepare,
    scorer_modules,
)
from brickbybrick.quizfile import QuizError, load_quizzes, markdown_to_html

if TYPE_CHECKING:
    from mkdocs.livereload import LiveReloadServer  # imports a web server: only for mkdocs serve

log = logging.getLogger("mkdocs.plugins.brickbybrick")

ASSETS = PACKAGE_DIR / "assets"
ASSET_PREFIX = "assets/brickbybrick/"
SCRIPTS = ("javascripts/safety.js", "javascripts/quiz.js")
STYLESHEET = "stylesheets/brickbybrick.css"  # with worksheet.css after it when there is a worksheet
# Inlined into <head> (hashed in the CSP), not shipped as files: memory.js on every page,
# search-later.js on pages with a quiz (Material only: both adapt the theme's own script).
MEMORY = ASSETS / "javascripts" / "memory.js"
SEARCH_LATER = ASSETS / "javascripts" / "search-later.js"
FILE_CHECK = ASSETS / "javascripts" / "file-check.js"  # on quiz pages: says when opened from a file
INLINED = (MEMORY, SEARCH_LATER, FILE_CHECK)
WORKSHEET_SCRIPT = "javascripts/worksheet.js"
WORKSHEET_PDFS = "worksheets/"  # in the site: worksheets/<id>-a4.pdf, worksheets/<id>-letter.pdf
INSTANT = "navigation.instant"
MD_LINK = re.compile(r"\]\((?P<target>[^)\s#]+\.md)(?P<anchor>#[^)\s]*)?\)")
BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
THEME_STORAGE = re.compile(r"<script>__md_scope=.*?</script>", re.DOTALL)
THEME_BUNDLE = re.compile(r'src="(?P<base>[^"]*)assets/javascripts/bundle\.')
THEME_BUNDLE_FILE = re.compile(r"assets/javascripts/bundle\.[0-9a-f]{8}\.min\.js")
FORM_CONTROL = re.compile(r"<(?:input|textarea|select)\b", re.IGNORECASE)
FORM_OPEN = re.compile(r"<form\b", re.IGNORECASE)
# What a macro leaves in the Markdown: an empty raw-HTML block that Markdown passes through as it
# is; its finished HTML replaces it after Markdown (parsing a whole form as raw HTML is slow).
# Each marker has a random key: a page cannot write one that stands for anything.
MARKER = '<div data-bb-macro="{}"></div>'
MARKER_FOUND = re.compile(r'<div data-bb-macro="([0-9a-f]{32})"></div>')


@functools.cache
def inline_script(path: Path) -> str:
    """A package script to inline into pages, without its comment lines and indentation."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return "\n".join(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("//"))


class BrickByBrickPlugin(BasePlugin[BrickByBrickConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.quizzes: dict[str, engine.Spec] = {}
        self.help: helpfile.HelpData | None = None
        self.runtime: Runtime | None = None
        self.quiz_pages: dict[str, list[str]] = {}
        self.macro_html: dict[str, str] = {}  # what each marker of the page being built stands for
        self.script_hashes: set[str] = set()
        self.serving = False
        self.words = catalogue.load(catalogue.BASE)
        self.root = Path.cwd()
        self.docs_dir = Path("docs")
        self.worksheets: dict[str, worksheetfile.Worksheet] = {}
        self.worksheet_pages: dict[str, list[MacroCall]] = {}  # page -> its worksheet calls
        self._sheet_page: dict[str, str] = {}  # worksheet id -> the page its PDFs are printed from
        self._printed: set[str] = set()  # worksheets (and the hand-written page) sent to print
        self._pdf_files: list[File] = []  # the PDFs' places in the site (written empty, then printed)
        self._printer = pdf.WorksheetPrinter()
        self._pdf_sources = "any"
        self._pages: list[File] = []  # the guide's Markdown pages, to name the source of a finding
        # One guide in several languages (plugin/languages.py): this build's language and every
        # language's pages; the other languages' configurations, built after this one.
        self.nested = False  # set by the guide's main build on the plugin of another language
        self.shared_pyodide = False  # another language's pages load the main site's Pyodide
        self.here = languages.Language(catalogue.BASE, "", "")
        self.languages: list[languages.Language] = []
        self.language_pages: dict[str, set[str]] = {}
        self._others: dict[str, MkDocsConfig] = {}

    # ----------------------------------------------------------------------- set-up

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Know whether the site is served for its author (live reload) or built to be published."""
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self.root = Path(config.config_file_path).resolve().parent if config.config_file_path else Path.cwd()
        self.docs_dir = Path(config.docs_dir)
        self.quiz_pages = {}
        # Under `mkdocs serve` only, the author's page reloads itself: its one script is allowed.
        self.script_hashes = {csp.script_hash(livereload.SCRIPT)} if self.serving else set()
        if self.serving:
            livereload.forget_logged_errors()  # this rebuild says again what the last one said
        self.worksheet_pages = {}
        self._sheet_page = {}
        self._printed = set()
        if config.theme.name == "material" and config.theme.get("font") is not False:
            # Material's default font comes from Google Fonts: a request to another host.
            config.theme["font"] = False
            log.info("theme.font set to false: every byte of this site comes from its own host")
        name = "material/offline"  # Material registers its offline plugin under this name
        if name in config.plugins:
            raise PluginError(
                f"mkdocs.yml: plugins: {name}: a site for opening from files cannot score its quizzes "
                "(browsers refuse the scorer's module worker on a page opened from a file). Remove it, "
                "and serve the site from any web server instead, even `python3 -m http.server` on this "
                "device; a page opened from a file anyway says that its quizzes cannot be scored there"
            )
        exit_config = self.config.quick_exit
        if exit_config.enabled and not (exit_config.url or "").startswith("https://"):
            raise PluginError(
                "mkdocs.yml: plugins.brickbybrick.quick_exit.url: set the https:// address of a neutral "
                "page for the quick exit to leave for (e.g. a weather or news page)"
            )
        self.words = self._catalogue(config)
        self._set_up_languages(config)
        checker = page_checker(self.docs_dir)
        self.help = self._load_help(checker)
        self.quizzes = self._load_quizzes(checker)
        try:
            self.runtime = prepare() if self.quizzes else None
        except RuntimeFilesError as error:
            raise PluginError(str(error)) from None
        self.worksheets = self._load_worksheets(checker)
        worksheet = self.config.worksheet.page
        if worksheet and (problem := checker(worksheet)):
            raise PluginError(f"mkdocs.yml: plugins.brickbybrick.worksheet.page: {problem}")

        config.extra_css.append(ASSET_PREFIX + STYLESHEET)
        scripts = list(SCRIPTS)
        if self._has_worksheets():
            scripts.append(WORKSHEET_SCRIPT)
        for script in scripts:
            value = ExtraScriptValue(ASSET_PREFIX + script)
            value.type = "module"
            config.extra_javascript.append(value)
        return config

    def _catalogue(self, config: MkDocsConfig) -> catalogue.Catalogue:
        """The guide's words: the catalogue in its language, with its own messages and shortcuts."""
        language = self.config.language or config.theme.get("language") or catalogue.BASE
        shortcuts = {
            "quiz.notice": self.config.quiz_notice,
            "result.disclaimer": self.config.disclaimer,
            "page.noscript": self.config.noscript_notice,
            "page.exit.label": self.config.quick_exit.label,
            "page.exit.hint": self.config.quick_exit.hint,
        }
        overrides = {key: value for key, value in shortcuts.items() if value is not None}
        try:
            words = catalogue.load(language, {**overrides, **self.config.messages})
        except catalogue.CatalogueError as error:
            raise PluginError(f"mkdocs.yml: plugins.brickbybrick.{error}") from None
        if words.fallbacks:
            log.warning(
                f"the plugin has no {language!r} words for {len(words.fallbacks)} messages, shown in English "
                f"until you translate them under plugins.brickbybrick.messages in mkdocs.yml: "
                f"{', '.join(words.fallbacks)}"
            )
        return words

    def _set_up_languages(self, config: MkDocsConfig) -> None:
        """The guide's other languages (built after this one, into site/<code>/) and the language
        switch's entries in ``extra.alternate``, unless the guide wrote its own."""
        if not self.nested:
            self.here = languages.Language(self.words.language, "", self.words.text("language.name"))
            self._others = {
                code: languages.load_language(config, code, str(path))
                for code, path in self.config.languages.items()
                if languages.primary(code) != languages.primary(self.words.language)  # itself
            }
            self.languages = [self.here] + [
                languages.Language(code, f"{code}/", self._language_name(code, other))
                for code, other in self._others.items()
            ]
            self.language_pages = {self.here.code: languages.document_pages(config)} | {
                code: languages.document_pages(other) for code, other in self._others.items()
            }
            for language in self.languages[1:]:
                plugin = self._others[language.code].plugins.get("brickbybrick")
                if not isinstance(plugin, BrickByBrickPlugin):
                    raise PluginError(
                        f"{self._others[language.code].config_file_path}: plugins: brickbybrick is missing"
                    )
                plugin.nested = True
                plugin.here = language
                plugin.languages = self.languages
                plugin.language_pages = self.language_pages
        if len(self.languages) > 1 and not config.extra.get("alternate"):
            config.extra["alternate"] = [
                {
                    "name": language.name,
                    "link": languages.relative(language.prefix, self.here.prefix),
                    "lang": language.code,
                }
                for language in self.languages
            ]

    @staticmethod
    def _language_name(code: str, config: MkDocsConfig) -> str:
        """A language's own name ("Español"), in its catalogue or its guide's messages."""
        plugin = config.plugins.get("brickbybrick")
        messages = plugin.config.messages if isinstance(plugin, BrickByBrickPlugin) else {}
        try:
            return catalogue.load(code, messages).text("language.name")
        except catalogue.CatalogueError as error:
            raise PluginError(f"{config.config_file_path}: plugins.brickbybrick.{error}") from None

    def _has_worksheets(self) -> bool:
        return bool(self.worksheets or self.config.worksheet.page)

    def _load_worksheets(self, checker: PageChecker) -> dict[str, worksheetfile.Worksheet]:
        try:
            return worksheetfile.load_worksheets(
                self.root / self.config.worksheets_dir, root=self.root, check_page=checker
            )
        except QuizError as error:
            raise PluginError(str(error)) from None

    def _start_browser(self, config: MkDocsConfig, pages: list[File]) -> None:
        """Start Chromium now, so that it is up when the first page with a worksheet is written.

        Not when the worksheets' sources are those of cached PDFs (a rebuild): the rendered
        pages then decide, and Chromium only starts if one really changed.
        """
        chromium = pdf.find_chromium(self.config.chromium)
        if chromium is None or pdf.skipped() or not pages:
            return
        sheets = self.root / self.config.worksheets_dir
        sources = [
            *(Path(page.abs_src_path) for page in pages if page.abs_src_path),
            *sorted(sheets.glob("*.yml")),
            *sorted(ASSETS.rglob("*")),
        ]
        if config.config_file_path:
            sources.append(Path(config.config_file_path))
        self._pdf_sources = pdf.source_digest(sources, chromium, config.site_url, config.nav)
        if not pdf.probably_cached(config, self._pdf_sources):
            self._printer.start_early(chromium)

    def _relative(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def _load_help(self, checker: PageChecker) -> helpfile.HelpData | None:
        path = self.root / self.config.help_file
        if not path.is_file():
            return None
        try:
            data = helpfile.load_help(path, display_name=self._relative(path), words=self.words)
        except QuizError as error:
            raise PluginError(str(error)) from None
        if problem := checker(data.page):
            raise PluginError(f"{data.filename}: page: {problem}")
        return data

    def _load_quizzes(self, checker: PageChecker) -> dict[str, engine.Spec]:
        directory = self.root / self.config.quizzes_dir
        if not directory.is_dir():
            return {}
        for stray in sorted(directory.glob("*.yaml")):
            raise PluginError(
                f"{self._relative(stray)}: only .yml quiz files are read: rename it to {stray.stem}.yml"
            )
        try:
            quizzes = load_quizzes(
                directory,
                root=self.root,
                check_page=checker,
                help_data=self.help,
                require_help=True,
                available_modules=scorer_modules(),
                messages=self.words.subset(catalogue.ENGINE_PREFIXES),
            )
            return self._translated(quizzes, directory / self.words.language, checker)
        except QuizError as error:
            raise PluginError(str(error)) from None

    def _translated(
        self, quizzes: dict[str, engine.Spec], translations: Path, checker: PageChecker
    ) -> dict[str, engine.Spec]:
        """A guide in another language: every quiz's texts from ``quizzes/<language>/<id>.yml``
        (structure, keys and danger rules stay the quiz file's). Without that folder, as written."""
        if self.words.language == catalogue.BASE or not translations.is_dir():
            return quizzes
        for stray in sorted(path for path in translations.glob("*.yml") if path.stem not in quizzes):
            raise PluginError(
                f"{self._relative(stray)}: translates no quiz (expected one of: {', '.join(quizzes)})"
            )
        translated = {}
        for quiz_id, spec in quizzes.items():
            path = translations / f"{quiz_id}.yml"
            if not path.is_file():
                raise PluginError(
                    f"{self._relative(path)}: missing: every quiz of {self.config.quizzes_dir}/ needs its "
                    f"{self.words.language} texts here (or remove the folder to build the quizzes as written)"
                )
            translated[quiz_id] = translation.load_translation(
                path, spec, display_name=self._relative(path), check_page=checker
            )
        return translated

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        """Rebuild on changes to quiz files and help data, not only to docs/."""
        quizzes = self.root / self.config.quizzes_dir
        if quizzes.is_dir():
            server.watch(str(quizzes))
        help_file = self.root / self.config.help_file
        if help_file.is_file():
            server.watch(str(help_file))
        worksheets = self.root / self.config.worksheets_dir
        if worksheets.is_dir():
            server.watch(str(worksheets))
        for other in self._others.values():  # the other languages: their pages, words and configuration
            plugin = other.plugins["brickbybrick"]
            assert isinstance(plugin, BrickByBrickPlugin)
            other_root = Path(str(other.config_file_path)).resolve().parent
            for path in (
                Path(str(other.config_file_path)),
                Path(other.docs_dir),
                other_root / plugin.config.quizzes_dir,
                other_root / plugin.config.help_file,
                other_root / plugin.config.worksheets_dir,
            ):
                if path.exists():
                    server.watch(str(path))
        livereload.install(server)
        return server

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add the package's scripts to the site (served from ``assets/brickbybrick/``), its
        styles as one stylesheet (one render-blocking request, not two), and the places of the
        blank worksheets' PDFs; start Chromium for them."""
        self._pages = list(files.documentation_pages())
        self._add_worksheet_pdfs(files, config)
        for path in sorted((ASSETS / "javascripts").glob("*.js")):
            if path not in INLINED:
                uri = ASSET_PREFIX + path.relative_to(ASSETS).as_posix()
                files.append(File.generated(config, uri, abs_src_path=str(path)))
        styles = [ASSETS / STYLESHEET, ASSETS / "stylesheets" / "result.css"]
        if self._has_worksheets():
            styles.append(ASSETS / "stylesheets" / "worksheet.css")
        css = "\n".join(path.read_text(encoding="utf-8") for path in styles)
        files.append(File.generated(config, ASSET_PREFIX + STYLESHEET, content=css))
        return files

    def _add_worksheet_pdfs(self, files: Files, config: MkDocsConfig) -> None:
        """Each placed worksheet's two PDFs, as files of the site (empty until printed): a link to
        one from a chapter's Markdown is then checked like any other."""
        self._pdf_files = []
        pages = []
        placed: set[str] = set()
        for page in self._pages if self.worksheets else []:
            source = page.content_string
            if "worksheet" not in source:
                continue
            try:
                calls = macro_calls(source, "worksheet")
            except QuizCallError:
                calls = []  # said with its line when the page's Markdown is read
            if calls:
                pages.append(page)
            placed.update(call.id for call in calls if call.id in self.worksheets)
        for sheet_id in sorted(placed):
            for paper in worksheetfile.PAPERS:
                pdf_file = File.generated(config, self._pdf_uri(sheet_id, paper), content=b"")
                files.append(pdf_file)
                self._pdf_files.append(pdf_file)
        legacy = self.config.worksheet.page
        if legacy and (legacy_page := files.get_file_from_path(legacy)) is not None:
            pages.append(legacy_page)
        self._start_browser(config, pages)

    @staticmethod
    def _pdf_uri(sheet_id: str, paper: str) -> str:
        return f"{WORKSHEET_PDFS}{sheet_id}-{paper}.pdf"

    # ----------------------------------------------------------------------- pages

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """The theme's templates compile once; the worksheet page is built first when Chromium waits.

        Jinja's bytecode cache keeps each compiled template with its source's checksum (a changed
        template compiles again): compiling Material's took about 0.2 s of every build. Every
        page's Markdown is rendered by now; only the order in which the pages are written changes
        (the navigation is made already), so that the PDF prints while the other pages build.
        """
        if env.bytecode_cache is None and (compiled := cache_dir(config, "jinja")) is not None:
            compiled.mkdir(parents=True, exist_ok=True)
            env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(compiled))
        first = set(self._sheet_page.values()) | {self.config.worksheet.page}
        if self._printer.started_early:
            for file in [page for page in files.documentation_pages() if page.src_uri not in first]:
                files.remove(file)
                files.append(file)
        self._warn_without_instant(config)
        return env

    def _instant(self, config: MkDocsConfig) -> bool:
        return INSTANT in (config.theme.get("features") or [])

    def _warn_without_instant(self, config: MkDocsConfig) -> None:
        """Once: a worksheet's focus areas can be filled only from quizzes on its own page."""
        if self._instant(config):
            return
        for page, calls in self.worksheet_pages.items():
            for call in calls:
                if not self.worksheets[call.id].focus_areas:
                    continue
                elsewhere = sorted(other for other in self.quiz_pages if other != page)
                if elsewhere:
                    log.warning(
                        f"{self.docs_dir.name}/{page}:{call.line}: worksheet({call.id!r}): its focus areas can "
                        f"only be filled from quizzes taken on the same page, not from {self.docs_dir.name}/{elsewhere[0]}"
                        f"{' and others' if len(elsewhere) > 1 else ''}: add {INSTANT} to theme.features "
                        "in mkdocs.yml (Material) so that a visit's results reach it (the page says so meanwhile)"
                    )
                    return

    @event_priority(100)  # before mkdocs-macros renders the page
    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Know each page's quizzes; a call that cannot work fails with ``docs/page.md:LINE``."""
        self.macro_html = {}
        where = f"{self.docs_dir.name}/{page.file.src_uri}"
        source = page.file.content_string
        offset = source[: len(source) - len(markdown)].count("\n") if source.endswith(markdown) else 0
        calls = self._calls(markdown, "quiz", self.quizzes, self.config.quizzes_dir, where, offset)
        if calls:
            self._check_macros(config, f"{where}:{calls[0].line}", "quizzes")
            self.quiz_pages[page.file.src_uri] = [call.id for call in calls]
        sheets = self._calls(
            markdown, "worksheet", self.worksheets, self.config.worksheets_dir, where, offset
        )
        if sheets:
            self._check_macros(config, f"{where}:{sheets[0].line}", "worksheets")
            self.worksheet_pages[page.file.src_uri] = sheets
            for call in sheets:
                self._sheet_page.setdefault(call.id, page.file.src_uri)
        return markdown

    def _calls(
        self, markdown: str, name: str, known: dict[str, Any], directory: str, where: str, offset: int
    ) -> list[MacroCall]:
        """A page's calls of macro ``name``, at their lines in the file; one that cannot work
        fails with ``docs/page.md:LINE``."""
        try:
            calls = macro_calls(markdown, name)
        except QuizCallError as error:
            raise PluginError(f"{where}:{error.line + offset}: {error}") from None
        for call in calls:
            if call.id not in known:
                raise PluginError(
                    f"{where}:{call.line + offset}: {name}({call.id!r}): no such {name} in "
                    f"{directory}/ (expected one of: {', '.join(known) or 'none'})"
                )
        return [MacroCall(call.id, call.line + offset, call.under_level) for call in calls]

    def _check_macros(self, config: MkDocsConfig, where: str, what: str) -> None:
        macros = config.plugins.get("macros")
        modules = macros.config.get("modules", []) if macros is not None else []
        if "brickbybrick" not in (modules or []):
            raise PluginError(
                f"{where}: {what} need the macros plugin with this package's macros: "
                "add '- macros: {modules: [brickbybrick]}' under plugins in mkdocs.yml"
            )

    def href(self, target: str, page: Page, config: MkDocsConfig) -> str:
        """The URL of ``page.md#anchor`` (relative to the docs) from ``page``."""
        path, _, anchor = target.partition("#")
        file = File(path, str(self.docs_dir), config.site_dir, config.use_directory_urls)
        url = file.url_relative_to(page.file)
        return f"{url}#{anchor}" if anchor else url

    def site_href(self, path: str, page: Page) -> str:
        return str(get_relative_url(path, page.url))

    def quiz_html(self, quiz_id: str, page: Page, config: MkDocsConfig) -> str:
        """The quiz as a form, with its browser spec and where the scorer's files are."""
        spec = self.quizzes[quiz_id]
        help_href = self.href(self.help.page, page, config) if self.help else None
        shown = render.browser_spec(spec, lambda target: self.href(target, page, config), help_href)
        panel = ""
        if spec["help"] is not None and self.help is not None and help_href is not None:
            panel = helpfile.render_panel(self.help, spec["help"]["panel"], help_href)
        form = render.render_quiz(
            shown, words=self.words, help_panel=panel, notice=self.words.text("quiz.notice")
        )
        return self.marker(form + self._runtime_tag("div", page))

    def worksheet_html(self, sheet_id: str, page: Page, config: MkDocsConfig) -> str:
        """The worksheet as a form, with its print button and the links to its blank PDFs."""
        calls = self.worksheet_pages.get(page.file.src_uri, [])
        level = next((call.under_level for call in calls if call.id == sheet_id), 1)
        language = self.config.language or config.theme.get("language")
        links = worksheetfile.WorksheetLinks(
            pdfs=tuple(
                (paper, self.site_href(self._pdf_uri(sheet_id, paper), page))
                for paper in worksheetfile.paper_order(language)
            ),
            help=self.href(self.help.page, page, config) if self.help else None,
            page=lambda target: self.href(target, page, config),
        )
        form = worksheetfile.render_worksheet(
            self.worksheets[sheet_id],
            words=self.words,
            links=links,
            heading_level=level + 1,
            instant=self._instant(config),
        )
        return self.marker(form)

    def marker(self, html_text: str) -> str:
        """A block that stands for ``html_text`` in the Markdown until ``on_page_content``."""
        key = secrets.token_hex(16)
        self.macro_html[key] = html_text
        return "\n\n" + MARKER.format(key) + "\n\n"

    def _runtime_tag(self, tag: str, page: Page) -> str:
        assert self.runtime is not None
        if self.shared_pyodide:  # the same files at the same address: cached once for every language
            pyodide = languages.relative(self.runtime.pyodide_path, self.here.prefix + page.url)
        else:
            pyodide = self.site_href(self.runtime.pyodide_path, page)
        engine_dir = self.site_href(self.runtime.engine_path, page)
        files = html.escape(json.dumps(self.runtime.files, separators=(",", ":")))
        attrs = (
            f'data-pyodide="{html.escape(pyodide)}" data-engine="{html.escape(engine_dir)}" '
            f'data-lockfile="{html.escape(self.runtime.lockfile)}" data-files="{files}" '
            f'data-protocol="{contract.PROTOCOL_VERSION}"'
        )
        if tag == "meta":
            return f'<meta name="bb-runtime" content="scorer" {attrs}>'
        return f'<div class="bb-runtime" hidden {attrs}></div>'

    def help_directory(self) -> str:
        """Every help section, for the guide's help page (``{{ help_directory() }}``)."""
        if self.help is None:
            raise PluginError(f"help_directory(): there is no {self.config.help_file} beside mkdocs.yml")
        return helpfile.render_directory(self.help)  # Markdown: its headings make the page's TOC

    def on_page_content(self, html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """The page's content checked (no script at all); the macros' HTML; form fields start
        switched off; the privacy notice tops quiz pages."""
        self._refuse(guard.check_page(html_text), page.file, "page")
        html_text = MARKER_FOUND.sub(lambda match: self.macro_html.get(match[1], match[0]), html_text)
        self.macro_html = {}
        html_text = self._off_without_script(html_text)
        notice = self.config.privacy_notice
        if not notice or page.file.src_uri not in self.quiz_pages:
            return html_text

        def link(match: re.Match[str]) -> str:
            return f"]({self.href(match['target'] + (match['anchor'] or ''), page, config)})"

        rendered = markdown_to_html(MD_LINK.sub(link, notice))
        return f'<div class="bb-privacy-notice">{rendered}</div>{html_text}'

    def _off_without_script(self, html_text: str) -> str:
        """Every field in the page's content starts ``disabled``; safety.js switches them on.

        Without JavaScript nothing can clear a form as the reader leaves, and Chromium's
        back/forward cache keeps even ``no-store`` pages: Back would show every answer again.
        A field that cannot be filled in cannot come back. A ``<noscript>`` note before each
        form says why (and, in a quiz with critical items, CSS then shows its help panel).
        """
        if not FORM_CONTROL.search(html_text):
            return html_text
        html_text = FORM_CONTROL.sub(lambda match: f"{match.group(0)} disabled data-bb-off", html_text)
        note = (
            f'<noscript><p class="bb-noscript">{html.escape(self.words.text("page.noscript"))}</p></noscript>'
        )
        html_text, forms = FORM_OPEN.subn(lambda match: note + match.group(0), html_text)
        return html_text if forms else note + html_text

    @event_priority(-100)  # last, once every other plugin has finished changing the page
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        if page.file.src_uri in self.quiz_pages:
            # Start the scorer from <head>: an async module runs as soon as it arrives, before
            # the theme's stylesheets and bundle compete with it.
            script = self.site_href(ASSET_PREFIX + "javascripts/quiz.js", page)
            head = f"<script>{inline_script(FILE_CHECK)}</script>"
            head += f'{self._runtime_tag("meta", page)}<script type="module" async src="{html.escape(script)}"></script>'
            if THEME_BUNDLE.search(output):  # Material's search worker waits for the scorer
                head += f"<script>{inline_script(SEARCH_LATER)}</script>"
            output = output.replace("</title>", "</title>" + head, 1)
        if len(self.languages) > 1:
            output = self._switch(output, page)
        output = self._finish(output, config, page.url, page.file)
        self._print_worksheets(output, page, config)
        return output

    def _switch(self, output: str, page: Page) -> str:
        """The language switch leads to this page in each language (or to its home page, said once)."""
        for language in self.languages:
            if page.file.src_uri not in self.language_pages.get(language.code, set()):
                log.warning(
                    f"{self.docs_dir.name}/{page.file.src_uri}: not translated into {language.code} "
                    f"yet: its language switch leads to the {language.code} home page"
                )
        return languages.switch_links(
            output,
            page_url=page.url,
            src_uri=page.file.src_uri,
            here=self.here,
            languages=self.languages,
            pages=self.language_pages,
        )

    @event_priority(-100)
    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        if not template_name.endswith(".html"):
            return output_content
        return self._finish(output_content, config, template_name, None)

    def _finish(self, output: str, config: MkDocsConfig, url: str, file: File | None) -> str:
        """The quick exit first in ``<body>``; theme settings in memory; the page as built checked;
        the CSP, hashing exactly the theme's and this plugin's inline scripts, first in ``<head>``."""
        output = BODY_OPEN.sub(lambda match: match.group(0) + self._quick_exit(), output, count=1)
        bundle = THEME_BUNDLE.search(output)
        if bundle is not None:  # Material: its settings go to memory, not to the device's storage
            # Inline (the CSP hashes it): a script file here would block the page's first paint.
            memory = f"<script>{inline_script(MEMORY)}</script>"
            output, found = THEME_STORAGE.subn(lambda match: match.group(0) + memory, output, count=1)
            if not found:
                raise PluginError(
                    f"{self._where(file, url)}: the theme's inline scripts are not the ones this plugin knows "
                    f"(mkdocs-material {trusted.MATERIAL_VERSIONS}, without changes to partials/javascripts/): "
                    "its settings could not be kept in memory, and the site's protections would not hold"
                )
        # The browser's words, in one attribute of every page (navigation.instant keeps the first
        # page's <head>: the words are the same on every page of a build).
        words = json.dumps(
            self.words.subset(catalogue.SCRIPT_PREFIXES), ensure_ascii=False, separators=(",", ":")
        )
        output = output.replace(
            "</head>", f'<meta name="bb-messages" content="{html.escape(words)}"></head>', 1
        )
        scripts = self._page_scripts(
            config, url, quiz_page=file is not None and file.src_uri in self.quiz_pages
        )
        self._refuse(guard.check_page(output, scripts), file, url, as_built=True)
        self.script_hashes.update(csp.script_hash(body) for body in scripts.trusted)
        return csp.add_meta_policy(output, scripts.trusted)

    def _page_scripts(self, config: MkDocsConfig, url: str, *, quiz_page: bool) -> guard.PageScripts:
        """What this page's scripts may be: the theme's and this plugin's, nothing else."""
        own = {inline_script(path) for path in INLINED}
        site = urlsplit(config.site_url or "/").path.rstrip("/") + "/"
        known = {site + ASSET_PREFIX + script for script in (*SCRIPTS, "javascripts/worksheet.js")}
        known |= {urljoin(site, str(script)) for script in config.extra_javascript}
        page_base = urljoin("https://site.invalid" + site, url)

        def is_known_file(src: str) -> bool:
            resolved = urlsplit(urljoin(page_base, src))
            if resolved.netloc != "site.invalid" or resolved.query or resolved.fragment:
                return False
            path = resolved.path
            return path in known or THEME_BUNDLE_FILE.fullmatch(path.removeprefix(site)) is not None

        return guard.PageScripts(
            is_trusted_inline=lambda body: body in own or trusted.is_theme_script(body),
            is_known_file=is_known_file,
            own_metas={"bb-runtime": 1 if quiz_page else 0, "bb-messages": 1},
        )

    def _where(self, file: File | None, url: str) -> str:
        return f"{self.docs_dir.name}/{file.src_uri}" if file is not None else url

    def _refuse(
        self, findings: list[guard.Finding], file: File | None, url: str, *, as_built: bool = False
    ) -> None:
        """Fail the build on the first finding, naming the page and the line where it can be known."""
        if not findings:
            return
        finding = findings[0]
        where = self._where(file, url)
        if file is not None and (line := guard.find_line(file.content_string, finding)) is not None:
            where = f"{where}:{line}"
        elif file is None:  # a theme page (404.html): its navigation shows every page's title
            for source in self._pages:
                if (line := guard.find_line(source.content_string, finding)) is not None:
                    where = f"{where} (from {self._where(source, source.url)}:{line})"
                    break
        stage = "as built (front matter, macros and theme included) " if as_built else ""
        more = f" (and {len(findings) - 1} more)" if len(findings) > 1 else ""
        raise PluginError(f"{where}: the page {stage}has {finding.what}{more}; the site's policy allows none")

    def _quick_exit(self) -> str:
        exit_config = self.config.quick_exit
        if not exit_config.enabled:
            return ""
        words = self.words
        return (
            f'<div class="bb-quick-exit" role="region" aria-label="{html.escape(words.text("page.exit.region"))}">'
            f'<a class="bb-quick-exit__control" href="{html.escape(exit_config.url or "")}" rel="noreferrer" data-quick-exit>'
            f"{html.escape(words.text('page.exit.label'))}"
            f'<span class="bb-quick-exit__hint">{html.escape(words.text("page.exit.hint"))}</span>'
            "</a></div>"
        )

    def _print_worksheets(self, output: str, page: Page, config: MkDocsConfig) -> None:
        """Print the blank PDFs of this page's worksheets in the background while the rest of the
        site builds: each worksheet alone, in A4 and in US Letter (the hand-written page of the
        ``worksheet: {page: ...}`` option: the whole page, at Chromium's default size)."""
        src = page.file.src_uri
        target = Path(page.file.abs_dest_path)
        site = Path(config.site_dir)
        jobs = []
        for sheet_id in (call.id for call in self.worksheet_pages.get(src, [])):
            if self._sheet_page.get(sheet_id) != src or sheet_id in self._printed:
                continue
            self._printed.add(sheet_id)
            jobs += [
                pdf.PrintJob(
                    target=site / self._pdf_uri(sheet_id, name),
                    fragment=f"#ws-{sheet_id}-{name}",
                    paper=paper,
                    name=f"{sheet_id}-{name}",
                )
                for name, paper in worksheetfile.PAPERS.items()
            ]
        if self.config.worksheet.page == src and src not in self._printed:
            self._printed.add(src)
            jobs.append(pdf.PrintJob(target.with_name(self.config.worksheet.pdf), name="page"))
        if not jobs:
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")  # MkDocs writes the same text after this hook
        self._printer.submit(
            config,
            target,
            jobs,
            chromium=pdf.find_chromium(self.config.chromium),
            page_text=output,
            sources=self._pdf_sources,
        )

    # ----------------------------------------------------------------------- the end

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Ship Pyodide and the engine; one CSP on every page and in ``_headers``; wait for the PDF."""
        site_dir = Path(config.site_dir)
        if self.runtime is not None:
            self.runtime.install(site_dir, pyodide=not self.shared_pyodide)
        for page in site_dir.rglob("*.html"):
            text = page.read_text(encoding="utf-8")
            rewritten = page.with_name(page.name + ".bb-tmp")
            rewritten.write_text(csp.set_meta_policy(text, self.script_hashes), encoding="utf-8")
            rewritten.replace(page)  # whole: Chromium may be loading the worksheet page meanwhile
        (site_dir / "_headers").write_text(csp.headers_file(self.script_hashes), encoding="utf-8")
        compress.precompress(site_dir, cache_dir(config, "gzip"))  # while the PDFs print
        printed = set(self._printer.finish())  # raises the PluginError of a failed print
        for file in self._pdf_files:  # not printed (no Chromium, BB_SKIP_PDF): no empty PDF
            target = Path(file.abs_dest_path)
            if target not in printed:
                target.unlink(missing_ok=True)
        if self._others:
            self._build_languages(config)

    def _build_languages(self, config: MkDocsConfig) -> None:
        """Build each other language into site/<code>/; one ``_headers`` allows all their scripts;
        the sitemaps name each page's other languages."""
        site_dir = Path(config.site_dir)
        hashes = set(self.script_hashes)
        for code, other in self._others.items():
            log.info(f"Building the {code} guide into {site_dir.name}/{code}/")
            plugin = other.plugins["brickbybrick"]
            assert isinstance(plugin, BrickByBrickPlugin)
            plugin.shared_pyodide = self.runtime is not None
            other.plugins.on_startup(command="serve" if self.serving else "build", dirty=False)
            try:
                build(other, serve_url=other.site_url if self.serving else None)
            finally:
                other.plugins.on_shutdown()
            hashes |= plugin.script_hashes
            (site_dir / code / "_headers").unlink(missing_ok=True)  # hosts read the root's only
        (site_dir / "_headers").write_text(csp.headers_file(hashes), encoding="utf-8")
        site_url = config.site_url or ""
        addresses: dict[str, dict[str, str]] = {}
        for language in self.languages:
            for page in self.language_pages.get(language.code, set()):
                url = File(page, "", "", use_directory_urls=config.use_directory_urls).url
                addresses.setdefault(page, {})[language.code] = urljoin(site_url, language.prefix + url)
        languages.add_sitemap_alternates(site_dir, self.languages, addresses)

    def on_build_error(self, *, error: Exception) -> None:
        self._printer.close()

    def on_shutdown(self) -> None:
        self._printer.shutdown()
