"""A small page-object controller for quiz forms: what a person sees and does."""

from __future__ import annotations

from playwright.sync_api import BrowserContext, Locator, Page, expect

from brickbybrick import catalogue

#: The plugin's words in the fixture guides' language (English): what a reader sees.
WORDS = catalogue.load("en")

READY_TIMEOUT_MS = 60_000
PYODIDE_FILES = "**/assets/pyodide/**"


def hold_scorer(target: Page | BrowserContext) -> None:
    """Pyodide's files never arrive: a quiz page stays at "Preparing the scorer" (what every
    reader sees first). For tests about something other than scoring: starting Python costs
    about 5 s of CPU per quiz page, the largest share of the suite's time."""
    target.route(PYODIDE_FILES, lambda route: None)


class QuizForm:
    """One quiz form: the one page object every browser test uses to answer and read quizzes."""

    def __init__(self, page: Page, quiz_id: str, words: catalogue.Catalogue = WORDS) -> None:
        self.page = page
        self.quiz_id = quiz_id
        self.words = words
        self.form = page.locator(f"form[data-quiz='{quiz_id}']")
        self.result = self.form.locator("[data-quiz-result]")
        self.state = self.form.locator("[data-quiz-state]")
        self.submit = self.form.get_by_role("button", name=words.text("quiz.submit"))
        self.clear_button = self.form.locator("[data-quiz-reset]")
        self.title = self.result.locator(".bb-result__title")
        self.help_panel = self.form.locator("[data-quiz-help]")
        self.checked = self.form.locator("input:checked")

    @classmethod
    def all_on(cls, page: Page, words: catalogue.Catalogue = WORDS) -> list[QuizForm]:
        """Every quiz form on the page, in order."""
        ids = page.locator("form[data-quiz]").evaluate_all("forms => forms.map(f => f.dataset.quiz)")
        return [cls(page, quiz_id, words) for quiz_id in ids]

    @classmethod
    def first_on(cls, page: Page) -> QuizForm:
        return cls.all_on(page)[0]

    def fieldsets(self) -> list[Locator]:
        return self.form.locator("fieldset").all()

    def question(self, text: str) -> Locator:
        """The question whose legend contains ``text``."""
        return self.form.locator("fieldset", has=self.page.locator("legend", has_text=text))

    def answer_all_safest(self) -> None:
        """Every question at its last answer that is neither critical nor counts towards a pattern."""
        for fieldset in self.fieldsets():
            fieldset.locator("input[type=radio]:not([data-critical]):not([data-pattern])").last.check()

    def answer_all(self, index: int) -> None:
        """Every question at its ``index``-th answer (0 is the first)."""
        for fieldset in self.fieldsets():
            fieldset.locator("input[type=radio]").nth(index).check()

    def expect_scored(self) -> None:
        expect(self.result.locator(".bb-result__overall")).to_be_visible()

    def item(self, item_id: str) -> Locator:
        return self.form.locator(f"fieldset[data-item='{item_id}']")

    def answer(self, item_id: str, label: str) -> None:
        self.item(item_id).get_by_label(label, exact=True).check()

    def expect_ready(self) -> None:
        expect(self.state).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
        expect(self.state).to_have_text(self.words.text("quiz.ready"))

    def expect_unavailable(self) -> None:
        expect(self.state).to_have_attribute("data-status", "unavailable", timeout=READY_TIMEOUT_MS)
        expect(self.state).to_contain_text(self.words.text("quiz.unavailable"))

    def clear(self) -> None:
        """Clear every answer: the control asks to be pressed a second time."""
        self.clear_button.click()
        expect(self.clear_button).to_have_text(self.words.text("quiz.reset_confirm"))
        self.clear_button.click()
        expect(self.checked).to_have_count(0)

    def expect_result_focused(self) -> None:
        """The reader was taken to the result: its danger note, or else its heading, has focus."""
        expect(self.title.or_(self.result.locator(".bb-result__missing")).first).to_be_visible()
        alert = self.result.locator("[data-quiz-alert]")
        target = alert if alert.count() else self.title
        expect(target).to_be_focused()

    def expect_result_contains(self, *texts: str) -> None:
        for text in texts:
            expect(self.result).to_contain_text(text)
