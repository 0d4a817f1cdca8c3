"""A small page-object controller for quiz forms: what a person sees and does."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

READY_TIMEOUT_MS = 60_000


class QuizForm:
    def __init__(self, page: Page, quiz_id: str) -> None:
        self.page = page
        self.quiz_id = quiz_id
        self.form = page.locator(f"form[data-quiz='{quiz_id}']")
        self.result = self.form.locator("[data-quiz-result]")
        self.state = self.form.locator("[data-quiz-state]")
        self.submit = self.form.get_by_role("button", name="Show my results")

    def item(self, item_id: str) -> Locator:
        return self.form.locator(f"fieldset[data-item='{item_id}']")

    def answer(self, item_id: str, label: str) -> None:
        self.item(item_id).get_by_label(label, exact=True).check()

    def expect_ready(self) -> None:
        expect(self.state).to_have_attribute("data-status", "ready", timeout=READY_TIMEOUT_MS)
        expect(self.state).to_have_text("Scorer ready. Your answers are scored on this device.")

    def expect_unavailable(self) -> None:
        expect(self.state).to_have_attribute("data-status", "unavailable", timeout=READY_TIMEOUT_MS)
        expect(self.state).to_contain_text("Scoring is unavailable right now")

    def expect_result_contains(self, *texts: str) -> None:
        for text in texts:
            expect(self.result).to_contain_text(text)
