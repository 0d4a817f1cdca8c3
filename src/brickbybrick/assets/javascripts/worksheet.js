// Action-plan worksheet: gets typed text onto paper and fills "My focus areas" from this
// visit's self-assessment results. The scores come from the Python engine (quiz.js keeps its
// results in memory); this module only sorts the engine's percents. Nothing is stored: no
// storage APIs, no cookies, no URLs. Without this module the worksheet still takes typing
// and prints (see worksheet.css).
import { plural, t } from "./messages.js";
import { visitResults } from "./quiz.js";

const FOCUS_COUNT = 3;

// The lowest-scoring focus areas across this visit's results, lowest first (ties keep the
// order the self-assessments were taken in). The engine decides what may be a focus area:
// never a quiz with a critical answer, never a subscale its author keeps out (physical
// safety, a partner's behaviour). Danger is not a goal for two to work on together.
function lowestSubscales(results, count = FOCUS_COUNT) {
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

// Offer to fill the focus areas only when this visit has results to fill them from.
function renderOffer(form) {
  const entries = lowestSubscales(visitResults);
  const danger = withDanger(visitResults);
  const tools = form.querySelector("[data-ws-focus-tools]");
  tools.hidden = entries.length === 0 && danger.length === 0;
  form.querySelector("[data-ws-focus-fill]").hidden = entries.length === 0;
  form.querySelector("[data-ws-focus-offer]").textContent = [
    plural("worksheet.took", visitResults.size),
    entries.length ? plural("worksheet.offer", entries.length) : t("worksheet.none"),
  ].join(" ");
  const help = form.querySelector("[data-ws-focus-help]");
  if (help) {
    help.hidden = danger.length === 0;
    help.querySelector("[data-ws-focus-help-quizzes]").textContent = danger.map((r) => `“${r.title}”`).join(", ");
  }
}

function bindFocus(form) {
  const status = form.querySelector("[data-ws-focus-status]");
  const field = form.querySelector("#ws-focus");
  renderOffer(form);
  form.addEventListener("reset", () => (status.textContent = ""));
  form.querySelector("[data-ws-focus-fill]").addEventListener("click", () => {
    const entries = lowestSubscales(visitResults);
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

function onPage() {
  const form = document.querySelector("form[data-worksheet]");
  if (!form) return;
  bindWorksheet(form);
  for (const button of document.querySelectorAll("[data-ws-print]")) {
    if (button.dataset.bound) continue;
    button.dataset.bound = "true";
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
}

// The safety module asks every part of the page to forget (page hidden, quick exit): its
// form reset clears the fields; the offer goes too, as quiz.js has dropped the results.
document.addEventListener("bb:forget", () => {
  const form = document.querySelector("form[data-worksheet]");
  if (form) renderOffer(form);
});

// Text set by other scripts (or restored by the browser) reaches paper too.
addEventListener("beforeprint", () => document.querySelectorAll("form[data-worksheet]").forEach(syncAll));

// Material publishes every page view, including navigation.instant ones, on document$.
if (typeof document$ !== "undefined") document$.subscribe(onPage);
else onPage();
