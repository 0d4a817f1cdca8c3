// @ts-check
// Worksheets ({{ worksheet("id") }}): gets typed text onto paper, prints one worksheet alone, and
// fills "My focus areas" from this visit's self-assessment results. The markup and its data-ws-*
// hooks are written by the build (worksheetfile.py, HOOKS), never by hand. The scores come from
// the Python engine (quiz.js keeps this visit's results in memory); this module only sorts the
// engine's percents. Nothing is stored: no storage APIs, no cookies, no URLs. Without this module
// the worksheet still prints, blank (see worksheet.css).
import { plural, t } from "./messages.js";
import { visitResults } from "./quiz.js";

const FOCUS_COUNT = 3; // when the markup does not say (data-ws-focus="3")

// The lowest-scoring focus areas across this visit's results, lowest first (ties keep the
// order the self-assessments were taken in). The engine decides what may be a focus area:
// never a quiz with a critical answer, never a subscale its author keeps out (focus: false).
// Danger is not a goal to work on.
function lowestSubscales(results, count) {
  const all = [];
  for (const result of results.values()) {
    for (const area of result.focus_areas ?? []) all.push({ ...area, quiz: result.title });
  }
  return all.sort((a, b) => a.percent - b.percent).slice(0, count);
}

// Self-assessments of this visit with an answer that needs help first.
function withDanger(results) {
  return [...results.values()].filter((result) => result.danger);
}

function focusLine({ label, percent, quiz }) {
  return t("worksheet.focus_line", { label, percent, quiz });
}

// Paper shows a mirror of each text area: it can run across pages, a text area cannot.
function syncMirror(textarea) {
  const mirror = textarea.closest("[data-ws-field]")?.querySelector("[data-ws-mirror]");
  if (mirror) mirror.textContent = textarea.value.trim() ? textarea.value : "";
}

function syncAll(form) {
  form.querySelectorAll("[data-ws-text]").forEach(syncMirror);
}

// The focus-areas section: the offer, the buttons and the field they fill (its text area).
function focusParts(form) {
  const tools = form.querySelector("[data-ws-focus-tools]");
  if (!tools) return null;
  const section = tools.closest("[data-ws-focus]") ?? tools.parentElement;
  return {
    tools,
    count: Number(section.dataset.wsFocus) || FOCUS_COUNT,
    field: section.querySelector("[data-ws-text]"),
    status: section.querySelector("[data-ws-focus-status]"),
  };
}

// Offer to fill the focus areas only when this visit has results to fill them from.
function renderOffer(form) {
  const parts = focusParts(form);
  if (!parts) return;
  const entries = lowestSubscales(visitResults, parts.count);
  const danger = withDanger(visitResults);
  parts.tools.hidden = entries.length === 0 && danger.length === 0;
  form.querySelector("[data-ws-focus-fill]").hidden = entries.length === 0;
  form.querySelector("[data-ws-focus-offer]").textContent = [
    plural("worksheet.took", visitResults.size),
    entries.length ? plural("worksheet.offer", entries.length) : t("worksheet.none"),
  ].join(" ");
  const help = form.querySelector("[data-ws-focus-help]");
  if (help) {
    help.hidden = danger.length === 0;
    help.querySelector("[data-ws-focus-help-quizzes]").textContent = danger
      .map((result) => t("worksheet.quiz_title", { title: result.title }))
      .join(", ");
  }
}

function bindFocus(form) {
  const parts = focusParts(form);
  if (!parts?.field) return;
  const { field, status } = parts;
  renderOffer(form);
  form.addEventListener("reset", () => (status.textContent = ""));
  form.querySelector("[data-ws-focus-fill]").addEventListener("click", () => {
    const entries = lowestSubscales(visitResults, parts.count);
    const present = new Set(field.value.split("\n"));
    const lines = entries.map(focusLine).filter((line) => !present.has(line));
    field.value = [field.value.trimEnd(), ...lines].filter(Boolean).join("\n");
    syncMirror(field);
    status.textContent = plural("worksheet.filled", entries.length);
  });
  form.querySelector("[data-ws-focus-clear]").addEventListener("click", () => {
    field.value = "";
    syncMirror(field);
    status.textContent = t("worksheet.cleared");
    field.focus();
  });
}

function bindWorksheet(form) {
  if (form.dataset.bound) return;
  form.dataset.bound = "true";
  form.classList.add("bb-ws--js");
  form.addEventListener("submit", (event) => event.preventDefault()); // never sent anywhere
  form.addEventListener("input", (event) => {
    if (event.target.matches("[data-ws-text]")) syncMirror(event.target);
  });
  // "reset" fires before the fields are reset: sync once they are.
  form.addEventListener("reset", () => setTimeout(() => syncAll(form)));
  bindFocus(form);
  syncAll(form);
}

// The print button prints its worksheet alone (the page's other content stays on screen: CSS,
// for as long as the print lasts).
function printSheet(button) {
  const sheet = button.closest("[data-ws-sheet]");
  if (sheet) {
    sheet.classList.add("bb-sheet--printing");
    document.documentElement.classList.add("bb-ws-printing");
    addEventListener(
      "afterprint",
      () => {
        sheet.classList.remove("bb-sheet--printing");
        document.documentElement.classList.remove("bb-ws-printing");
      },
      { once: true },
    );
  }
  sheet?.querySelectorAll("form[data-worksheet]").forEach(syncAll);
  window.print();
}

// A quiz on the same page as a worksheet: its result can fill the focus areas at once. quiz.js
// writes a result into its region and keeps it in visitResults in the same task; observers run
// right after that task.
const results = new MutationObserver(() => document.querySelectorAll("form[data-worksheet]").forEach(renderOffer));

function onPage() {
  const sheets = document.querySelectorAll("form[data-worksheet]");
  sheets.forEach(bindWorksheet);
  results.disconnect();
  if (sheets.length) {
    for (const region of document.querySelectorAll("[data-quiz-result]")) results.observe(region, { childList: true });
  }
  for (const button of /** @type {NodeListOf<HTMLButtonElement>} */ (document.querySelectorAll("[data-ws-print]"))) {
    if (button.dataset.bound) continue;
    button.dataset.bound = "true";
    button.hidden = false;
    button.addEventListener("click", () => printSheet(button));
  }
}

// The safety module asks every part of the page to forget (page hidden, quick exit): its
// form reset clears the fields; the offer goes too, as quiz.js has dropped the results.
document.addEventListener("bb:forget", () => document.querySelectorAll("form[data-worksheet]").forEach(renderOffer));

// Text set by other scripts (or restored by the browser) reaches paper too.
addEventListener("beforeprint", () => document.querySelectorAll("form[data-worksheet]").forEach(syncAll));

// Material publishes every page view, including navigation.instant ones, on document$.
if (typeof document$ !== "undefined") document$.subscribe(onPage);
else onPage();
