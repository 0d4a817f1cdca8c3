"""The action-plan worksheet on the real guide (worksheets/action-plan.yml, placed in
docs/worksheet.md): filled on screen, printed to A4 and US Letter, and printed blank by the build."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from quizpage import READY_TIMEOUT_MS, QuizForm

from brickbybrick.engine import score
from brickbybrick.plugin import pdf
from brickbybrick.quizfile import load_quiz
from brickbybrick.worksheetfile import PAPERS
from helpers import CHROMIUM, ROOT, BuiltSite

STEP_TITLES = (
    "Audit your small behaviors",
    "Practice radical honesty",
    "Respond to vulnerability with curiosity",
    "Keep your word on small things",
    "Create emotional safety rules",
    "Check in regularly",
    "Address trust breaks immediately",
    "Practice repair skills",
)
# Text that is on the page (site chrome, screen-only tools and notes) but must not be on paper.
NOT_ON_PAPER = (
    "Brick by Brick",
    "Trust destroyers",
    "The four pillars",
    "Search",
    "Exit this page",
    "Skip to content",
    "Print this worksheet",
    "Blank worksheet, A4",
    "Blank worksheet, US Letter",
    "Clear the worksheet",
    "Before you print",
    "Nothing you type here",
    "the eight steps of",
    "Small commitments",
    "Fill in from my lowest scores",
    "Previous",
    "reflection aids",
)
# Where each block starts and ends on paper: both ends must print on the same page.
BLOCKS = (
    ("My focus areas", "The areas I want to work on first"),
    (STEP_TITLES[0], "I’ll notice how I respond"),
    (STEP_TITLES[1], "No convenient fibs"),
    (STEP_TITLES[2], "Do you want ideas"),
    (STEP_TITLES[3], "If I can’t keep something"),
    (STEP_TITLES[4], "We’ll keep our rules"),
    (STEP_TITLES[5], "What would help"),
    (STEP_TITLES[6], "I’ll raise small things"),
    (STEP_TITLES[7], "I’ll ask what would help make it right"),
    ("My one small thing", "when we’ll check in on how it went"),
)
PAPER = {"A4": 297 / 210, "Letter": 11 / 8.5}  # height / width
MAX_BLANK_PAGES = 2
TICK = "✓"


@pytest.fixture(scope="module")
def worksheet_site(real_site_build: BuiltSite) -> BuiltSite:
    """The project's own guide, built with --strict (blank PDF included) for the origin it is served on."""
    return real_site_build


@pytest.fixture
def ws_page(browser: Browser, worksheet_site: BuiltSite) -> Iterator[Page]:
    """A page of a fresh context on the built guide; every request must stay on its origin."""
    context = browser.new_context(base_url=worksheet_site.url)
    seen: list[str] = []
    context.on("request", lambda request: seen.append(request.url))
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    foreign = [url for url in seen if not url.startswith((worksheet_site.url, "data:", "blob:"))]
    assert foreign == [], f"requests left the local origin: {foreign}"
    assert errors == [], f"errors in the page: {errors}"


# --------------------------------------------------------------------------- helpers


def open_worksheet(page: Page) -> None:
    page.goto("worksheet/")
    expect(page.locator("form[data-worksheet]")).to_have_class(re.compile(r"\bbb-ws--js\b"))


def print_pdf(page: Page, paper: str, path: Path) -> Path:
    path.write_bytes(page.pdf(format=paper, print_background=False))
    return path


def pdf_info(pdf: Path) -> str:
    return subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout


def pdf_pages(pdf: Path) -> int:
    info = pdf_info(pdf)
    match = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    assert match, info
    return int(match[1])


def pdf_text(pdf: Path, *, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    args += ["-f", str(first)] if first else []
    args += ["-l", str(last)] if last else []
    args += ["-layout"] if layout else []
    return subprocess.run([*args, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def png_gray(path: Path) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit grayscale or RGB PNG (as pdftoppm writes) into rows of gray pixels."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat = 8, b""
    width = height = bpp = 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, interlace) == (8, 0), "expected 8 bits per channel, not interlaced"
            assert color in (0, 2), "expected a grayscale or RGB PNG"
            bpp = 1 if color == 0 else 3
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - bpp] if x >= bpp else 0
            up = prev[x]
            upleft = prev[x - bpp] if x >= bpp else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upleft
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upleft)
                line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else upleft)) & 0xFF
        rows.append(bytes(min(line[x : x + bpp]) for x in range(0, stride, bpp)))
        prev = line
    return width, height, rows


def check_first_page_png(pdf: Path, paper: str, tmp_path: Path) -> None:
    """Page 1 renders to a PNG of the paper's shape, with ink at the top (the heading) and below."""
    stem = tmp_path / f"{pdf.stem}-page1"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    width, height, rows = png_gray(stem.with_suffix(".png"))
    assert abs(height / width - PAPER[paper]) < 0.02, f"page 1 is {width}x{height}, not {paper}"
    inked = [sum(1 for value in row if value < 160) for row in rows]
    ink = sum(inked) / (width * height)
    assert 0.005 < ink < 0.25, f"page 1 has {ink:.1%} ink: blank or a solid block"
    assert sum(inked[: height // 8]) > 0, "nothing printed at the top of page 1 (the heading)"
    assert sum(inked[height // 2 :]) > 0, "nothing printed on the lower half of page 1"
    assert "Action-plan worksheet" in pdf_text(pdf, first=1, last=1)


def check_pages(pdf: Path) -> None:
    """No block split across pages, and no blank page (a trailing one included)."""
    pages = [flat(pdf_text(pdf, first=n, last=n)) for n in range(1, pdf_pages(pdf) + 1)]
    for number, text in enumerate(pages, start=1):
        assert text, f"page {number} of {len(pages)} is blank"
    for start, end in BLOCKS:
        on = [n for n, text in enumerate(pages, start=1) if start in text]
        assert len(on) == 1, f"{start!r} printed on pages {on}"
        assert end in pages[on[0] - 1], f"{start!r} starts on page {on[0]} but its end is not there"


def check_no_chrome(text: str) -> None:
    for chrome in NOT_ON_PAPER:
        assert chrome not in text, f"{chrome!r} was printed"


# --------------------------------------------------------------------------- paper


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_blank_worksheet_prints_on_two_pages(ws_page: Page, paper: str, tmp_path: Path) -> None:
    """Printed blank, the worksheet fits on two pages of A4 or Letter, with every step and no site chrome."""
    open_worksheet(ws_page)
    pdf = print_pdf(ws_page, paper, tmp_path / f"blank-{paper}.pdf")
    assert pdf_pages(pdf) <= MAX_BLANK_PAGES
    text = pdf_text(pdf)
    for title in ("Action-plan worksheet", "My focus areas", *STEP_TITLES):
        assert title in text
    assert "How safe do I feel?" in text
    assert "What would help" in text
    assert TICK not in text, "a box printed as ticked on a blank sheet"
    check_no_chrome(text)
    check_pages(pdf)
    check_first_page_png(pdf, paper, tmp_path)


LONG_TEXT = "\n\n".join(
    f"Paragraph {n}: "
    + " ".join(f"{word}{n}" for word in ("listen", "pause", "breathe", "return", "repair") * 12)
    for n in range(1, 9)
)
CHECKED = ("ws-action-plan-2-check-1", "ws-action-plan-9-check-2")
UNCHECKED = ("ws-action-plan-3-check-1", "ws-action-plan-9-check-1")
SHEET = "ws-action-plan"
PDFS = {paper: f"worksheets/action-plan-{paper.lower()}.pdf" for paper in PAPER}


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_filled_worksheet_prints_every_word_and_tick(ws_page: Page, paper: str, tmp_path: Path) -> None:
    """Typed text (a multi-paragraph text longer than a page included) and ticked boxes all reach paper."""
    open_worksheet(ws_page)
    ws_page.get_by_label("How we’ll handle conflict").fill(LONG_TEXT)
    ws_page.get_by_label("An apology I owe").fill("I interrupted you at dinner.\nNext time I will wait.")
    ws_page.get_by_role("textbox", name="Check-in 1 Date").fill("Sunday 4 May")
    ws_page.get_by_role("spinbutton", name="Check-in 1 How safe do I feel?").fill("7")
    ws_page.get_by_role("textbox", name="Check-in 1 What would help").fill("A text when you are running late")
    for box in CHECKED:
        ws_page.locator(f"#{box}").check()
    pdf = print_pdf(ws_page, paper, tmp_path / f"filled-{paper}.pdf")

    text = pdf_text(pdf)
    flat_text = flat(text)
    for paragraph in LONG_TEXT.split("\n\n"):
        assert flat(paragraph) in flat_text, f"cut off: {paragraph[:40]}…"
    for typed in (
        "I interrupted you at dinner.",
        "Next time I will wait.",
        "Sunday 4 May",
        "A text when you are running late",
    ):
        assert typed in text
    assert re.search(r"^\s*1\s+Sunday 4 May\s+7\s+A text when", pdf_text(pdf, layout=True), re.MULTILINE)
    ticks = text.count(TICK)
    assert ticks == len(CHECKED), f"{ticks} ticks printed for {len(CHECKED)} ticked boxes"
    lines = pdf_text(pdf, layout=True).splitlines()
    for box, ticked in [(b, True) for b in CHECKED] + [(b, False) for b in UNCHECKED]:
        label = ws_page.locator(f"label[for='{box}'] .bb-ws__check-text").inner_text()
        words = label.split()[:4]
        row = next(line for line in lines if " ".join(words) in flat(line))
        before = row[: row.index(words[0])].rstrip()  # the box, just left of its label
        assert before.endswith(TICK) is ticked, (
            f"{label!r}: expected {'a' if ticked else 'no'} tick, got {row!r}"
        )
    check_no_chrome(text)
    check_first_page_png(pdf, paper, tmp_path)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_worksheet_filled_as_people_do_still_prints_on_two_pages(
    ws_page: Page, paper: str, tmp_path: Path
) -> None:
    """Every field filled with a sentence or two, every box ticked, every check-in written: the
    worksheet alone still prints on two pages, every block whole on one page."""
    open_worksheet(ws_page)
    for field in ws_page.locator(f"#{SHEET} textarea").all():
        field.fill(
            "We will talk after dinner, phones away, and listen before we answer.\nThen we agree one step."
        )
    for field in ws_page.locator(f"#{SHEET} input[type=text]").all():
        field.fill("Sunday 4 May")
    for field in ws_page.locator(f"#{SHEET} input[type=number]").all():
        field.fill("7")
    for box in ws_page.locator(f"#{SHEET} input[type=checkbox]").all():
        box.check()
    ws_page.evaluate("window.print = () => {}")
    ws_page.get_by_role("button", name="Print this worksheet").click()
    pdf = print_pdf(ws_page, paper, tmp_path / f"typical-{paper}.pdf")
    assert pdf_pages(pdf) <= MAX_BLANK_PAGES
    text = pdf_text(pdf)
    assert text.count(TICK) == ws_page.locator(f"#{SHEET} input[type=checkbox]").count()
    check_no_chrome(text)
    check_pages(pdf)


def test_without_javascript_the_fields_are_off_and_the_blank_prints(
    browser: Browser, worksheet_site: BuiltSite, tmp_path: Path
) -> None:
    """With JavaScript off nothing can be typed (Back could show it again), a note says why, the blank prints."""
    context = browser.new_context(java_script_enabled=False, base_url=worksheet_site.url)
    page = context.new_page()
    page.goto("worksheet/")
    expect(page.get_by_role("button", name="Print this worksheet")).to_be_hidden()
    expect(page.locator(".bb-noscript")).to_contain_text("print this page and fill it in on paper")
    fields = page.locator("form[data-worksheet]").locator("textarea, input")
    assert fields.count() > 10
    expect(page.locator("form[data-worksheet]").locator("textarea:enabled, input:enabled")).to_have_count(0)
    promises = page.get_by_label("Small promises I’ll keep this week")
    promises.click(force=True)
    page.keyboard.type("Call at 7.")
    tick = page.locator("label[for='ws-action-plan-5-check-1']")  # the box a person sees
    tick.scroll_into_view_if_needed()  # typing may have scrolled the page under it
    tick.click(force=True)
    expect(promises).to_have_value("")
    expect(page.locator("#ws-action-plan-5-check-1")).not_to_be_checked()
    text = pdf_text(print_pdf(page, "A4", tmp_path / "nojs.pdf"))
    assert "Call at 7." not in text
    assert "Small promises I’ll keep this week" in text
    assert text.count(TICK) == 0
    check_no_chrome(text)
    context.close()


# --------------------------------------------------------------------------- build-time PDF


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_build_writes_the_blank_pdfs_the_page_links_to(
    ws_page: Page, worksheet_site: BuiltSite, paper: str, tmp_path: Path
) -> None:
    """The build prints the blank worksheet alone, in A4 and in US Letter, each on at most two
    pages with every step title, and the page's download links find them (A4 first: the guide is
    in English without a region)."""
    blank = worksheet_site.site_dir / PDFS[paper]
    assert blank.read_bytes().startswith(b"%PDF-")
    assert f"Blank worksheet PDF: {PDFS[paper]}" in worksheet_site.build_log
    # Printed by the browser the build started at its beginning (this session's site_url is new,
    # so no PDF of the same sources was cached), not by a Chromium started once the page was written.
    assert "started with the build)" in worksheet_site.build_log
    assert pdf_pages(blank) <= MAX_BLANK_PAGES
    text = pdf_text(blank)
    for title in ("Action-plan worksheet", *STEP_TITLES):
        assert title in text
    assert text.count("Action-plan worksheet") == 1, (
        "the page's heading printed besides the worksheet's title"
    )
    assert TICK not in text
    check_no_chrome(text)
    check_pages(blank)
    check_first_page_png(blank, paper, tmp_path)

    open_worksheet(ws_page)
    links = ws_page.locator(f"#{SHEET} .bb-ws-tools a[download]")
    expect(links).to_have_text(["Blank worksheet, A4 (PDF)", "Blank worksheet, US Letter (PDF)"])
    link = ws_page.get_by_role(
        "link", name=f"Blank worksheet, {'US ' if paper == 'Letter' else ''}{paper} (PDF)"
    )
    expect(link).to_have_attribute("download", "")
    response = ws_page.request.get(link.evaluate("a => a.href"))
    assert response.ok
    assert response.body() == blank.read_bytes()


# --------------------------------------------------------------------------- screen


def test_every_control_is_labelled_and_the_page_needs_no_inline_code(
    ws_page: Page, worksheet_site: BuiltSite
) -> None:
    """Every field and box has an accessible name, and the worksheet markup has no inline style or script."""
    open_worksheet(ws_page)
    controls = ws_page.locator("form[data-worksheet] :is(input, textarea, select, button):visible")
    assert controls.count() > 25
    for control in controls.all():
        expect(control).to_have_accessible_name(re.compile(r"\w"))
    html = (worksheet_site.site_dir / "worksheet" / "index.html").read_text(encoding="utf-8")
    article = html[html.index("<article") : html.index("</article>")]
    assert " style=" not in article
    assert "<script" not in article
    assert ' action="' not in article


def test_focus_areas_come_from_this_visit_and_clear(ws_page: Page) -> None:
    """Results of a quiz taken this visit fill the focus areas after an instant navigation; Clear empties them; nothing is stored."""
    page = ws_page
    page.goto("")
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("navigation", name="Navigation").get_by_role("link", name="Trust builders").click()
    quiz = QuizForm(page, "trust-builders")
    expect(quiz.state).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)

    # Low on responding to bids, high on everything else (reverse-keyed items mirrored).
    spec = load_quiz(ROOT / "quizzes" / "trust-builders.yml")
    answers = {}
    for item in spec["items"]:
        low = item["subscale"] == "bids"
        answers[item["id"]] = (1 if low else 5) if not item.get("reverse") else (5 if low else 1)
        quiz.item(item["id"]).locator(f"input[value='{answers[item['id']]}']").check()
    quiz.submit.click()
    quiz.expect_result_contains("Your results")

    result = score(spec, answers)  # the same engine, under CPython
    lowest = sorted(result["subscales"], key=lambda sub: sub["percent"])[:3]
    expected = [f"{sub['label']}: {sub['percent']} out of 100 in “{result['title']}”" for sub in lowest]
    assert lowest[0]["label"] == "Responding to bids for connection"

    page.get_by_role("navigation", name="Navigation").get_by_role(
        "link", name="Action-plan worksheet"
    ).click()
    expect(page.locator("form[data-worksheet]")).to_have_class(re.compile(r"\bbb-ws--js\b"))
    assert page.evaluate("window.__sameDocument") is True, "the page reloaded instead of instant navigation"
    focus = page.get_by_label("The areas I want to work on first")
    expect(page.get_by_text("You took 1 self-assessment during this visit.")).to_be_visible()
    page.get_by_role("button", name="Fill in from my lowest scores").click()
    expect(focus).to_have_value("\n".join(expected))
    expect(page.get_by_role("status")).to_contain_text("Filled in from your 3 lowest scores")

    storage = page.evaluate(
        "() => JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage), document.cookie])"
    )
    for secret in ("Responding to bids", "out of 100", "trust-builders", "bids"):
        assert secret not in storage, f"{secret!r} was stored: {storage}"
    assert page.url == page.url.split("?")[0].split("#")[0], "something went into the URL"

    page.get_by_role("button", name="Clear my focus areas").click()
    expect(focus).to_have_value("")
    expect(page.get_by_role("status")).to_have_text("Your focus areas are cleared.")
    expect(focus).to_be_focused()


def test_no_results_no_offer_and_print_button_prints_the_worksheet_alone(
    ws_page: Page, tmp_path: Path
) -> None:
    """Without self-assessments this visit there is no fill offer; the print button prints the
    worksheet alone, under its own title, until the print is over."""
    open_worksheet(ws_page)
    expect(ws_page.get_by_role("button", name="Fill in from my lowest scores")).to_be_hidden()
    ws_page.get_by_label("Small promises I’ll keep this week").fill("Call at 7.")
    ws_page.evaluate("window.print = () => { window.__printed = true; }")
    ws_page.get_by_role("button", name="Print this worksheet").click()
    assert ws_page.evaluate("window.__printed") is True
    expect(ws_page.locator("html")).to_have_class(re.compile(r"\bbb-ws-printing\b"))
    text = pdf_text(print_pdf(ws_page, "A4", tmp_path / "button.pdf"))  # as the print dialog would
    assert flat(text).startswith("Action-plan worksheet My focus areas")
    assert text.count("Action-plan worksheet") == 1
    assert "Call at 7." in text
    check_no_chrome(text)
    ws_page.evaluate("dispatchEvent(new Event('afterprint'))")
    expect(ws_page.locator("html")).not_to_have_class(re.compile(r"\bbb-ws-printing\b"))


def test_focus_areas_skip_danger_and_point_to_help(ws_page: Page) -> None:
    """A safety check with a danger answer gives no focus area and the worksheet says where help is instead."""
    page = ws_page
    page.goto("")
    nav = page.get_by_role("navigation", name="Navigation")
    for chapter, quiz_id, danger in (
        (
            "The four pillars",
            "safety-check",
            ("ever choked or strangled you", "Yes, but not in the past year"),
        ),
        ("Trust builders", "trust-builders", None),
    ):
        nav.get_by_role("link", name=chapter).click()
        quiz = QuizForm(page, quiz_id)
        expect(quiz.state).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
        for fieldset in quiz.form.locator("fieldset").all():
            fieldset.locator("input[type=radio]:not([data-critical]):not([data-pattern])").last.check()
        if danger:
            legend, answer = danger
            quiz.form.locator("fieldset", has=page.locator("legend", has_text=legend)).get_by_label(
                answer, exact=True
            ).check()
        quiz.submit.click()
        quiz.expect_result_contains("Your results")

    nav.get_by_role("link", name="Action-plan worksheet").click()
    help_note = page.locator("[data-ws-focus-help]")
    expect(help_note).to_be_visible()
    expect(help_note).to_contain_text("Some of your answers in “Safety check”")
    expect(help_note).to_contain_text("safety is not a goal to work on together")  # this guide's words
    expect(help_note.get_by_role("link", name="Where to get help")).to_have_attribute(
        "href", re.compile(r"(^\.\./|/)help/$")
    )
    page.get_by_role("button", name="Fill in from my lowest scores").click()
    filled = page.get_by_label("The areas I want to work on first").input_value()
    assert filled
    assert "Safety check" not in filled
    assert all(line.endswith("in “Your trust builders”") for line in filled.splitlines()), filled


def test_chromium_started_with_the_build_prints_what_its_print_to_pdf_prints(
    worksheet_site: BuiltSite, tmp_path: Path
) -> None:
    """The browser the build starts early prints the worksheet as Chromium's own --print-to-pdf does.

    Its tab is opened ahead (as the build does while the pages render), with scripts off.
    """
    page = worksheet_site.site_dir / "worksheet" / "index.html"
    browser = pdf.DevToolsBrowser(CHROMIUM)
    try:
        session = browser.open_tab()
        assert browser.open_tab() == session  # one tab, opened once
        early = tmp_path / "early.pdf"
        early.write_bytes(browser.print_pdf(page, f"#{SHEET}-a4", PAPERS["a4"]))
        letter = tmp_path / "letter.pdf"
        letter.write_bytes(browser.print_pdf(page, f"#{SHEET}-letter", PAPERS["letter"]))  # no reload
    finally:
        browser.close()
    assert not browser.profile.exists()
    with pytest.raises(ProcessLookupError):
        os.kill(browser.pid, 0)  # stopped and reaped
    command = tmp_path / "command.pdf"
    pdf._print_with_command(CHROMIUM, page, command, f"#{SHEET}-a4")
    assert pdf_pages(early) == pdf_pages(command)
    assert flat(pdf_text(early)) == flat(pdf_text(command))
    for title in ("Action-plan worksheet", *STEP_TITLES):
        assert title in pdf_text(early)
    for printed, size in ((early, "A4"), (command, "A4"), (letter, "letter")):
        assert re.search(rf"^Page size:.*\({size}\)$", pdf_info(printed), re.MULTILINE), printed
