// @ts-check
// Safety on every page: the quick exit (click, or Shift pressed 3 times) and forgetting
// answers whenever the page is hidden or comes back from the back/forward cache.
import { t } from "./messages.js";

const SHIFT_PRESSES = 3;
const SHIFT_WINDOW_MS = 5000;

/** @returns {HTMLElement | null} */
function exitControl() {
  return document.querySelector("[data-quick-exit]");
}

// Clears every form on the page and tells other modules to drop what they hold in memory.
export function forgetAnswers() {
  for (const form of document.forms) form.reset();
  document.dispatchEvent(new CustomEvent("bb:forget"));
}

export function quickExit() {
  const control = exitControl();
  const target = (control && (control.dataset.href || /** @type {HTMLAnchorElement} */ (control).href)) || "about:blank";
  document.documentElement.classList.add("bb-exiting"); // blanks the page at once (CSS)
  document.title = "";
  forgetAnswers();
  location.replace(target);
}

document.addEventListener("click", (event) => {
  const control = event.target instanceof Element && event.target.closest("[data-quick-exit]");
  if (!control) return;
  event.preventDefault();
  quickExit();
});

// Shift pressed on its own 3 times (GOV.UK "Exit this page"): a Shift held for a capital letter
// never counts, any other key starts the count again, and the presses must come within a few
// seconds of each other. Typing "I said I am OK" or "DVA" never leaves the page.
let shiftPresses = 0;
let shiftAlone = false;
let shiftTimer = 0;
document.addEventListener(
  "keydown",
  (event) => {
    if (event.key !== "Shift") {
      shiftPresses = 0;
      shiftAlone = false;
    } else if (!event.repeat) {
      shiftAlone = true;
    }
  },
  true,
);
document.addEventListener(
  "keyup",
  (event) => {
    if (event.key !== "Shift" || !shiftAlone) return;
    shiftAlone = false;
    shiftPresses += 1;
    clearTimeout(shiftTimer);
    shiftTimer = setTimeout(() => (shiftPresses = 0), SHIFT_WINDOW_MS);
    if (shiftPresses >= SHIFT_PRESSES) {
      shiftPresses = 0;
      quickExit();
    }
  },
  true,
);

// A pattern (say, three signs of control at "A few times" or more) is danger no single answer
// shows: once enough of its options are chosen, the form is marked and CSS shows the help panel,
// without waiting for the scorer. The build marks each such option with its pattern and count.
function markPatterns(form) {
  const chosen = new Map();
  for (const input of form.querySelectorAll("input[data-pattern]:checked")) {
    const name = input.dataset.pattern;
    chosen.set(name, (chosen.get(name) ?? 0) + 1);
  }
  const met = [...form.querySelectorAll("input[data-pattern]")].some(
    (input) => (chosen.get(input.dataset.pattern) ?? 0) >= Number(input.dataset.patternCount),
  );
  form.toggleAttribute("data-pattern-met", met);
}
document.addEventListener("change", (event) => {
  const form = event.target instanceof HTMLInputElement && event.target.form;
  if (form && form.querySelector("input[data-pattern]")) markPatterns(form);
});
document.addEventListener("reset", (event) => {
  if (event.target instanceof HTMLFormElement) event.target.removeAttribute("data-pattern-met");
}, true);

addEventListener("pagehide", forgetAnswers);
addEventListener("pageshow", (event) => {
  document.documentElement.classList.remove("bb-exiting");
  if (event.persisted) forgetAnswers();
});

// Keep the quick exit the first tab stop: as a button (so Material's skip link still counts
// as a skip link) moved before the skip link, on every page view (navigation.instant
// re-renders the banner that holds it).
function asButton(link) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = link.className;
  button.dataset.quickExit = "";
  button.dataset.href = link.href;
  button.append(...link.childNodes);
  link.replaceWith(button);
}

// Form fields come switched off from the build (without JavaScript nothing could clear them
// before Back shows the page again); with this module running, they can be used.
function switchFieldsOn() {
  for (const field of /** @type {NodeListOf<HTMLInputElement>} */ (document.querySelectorAll("[data-bb-off]"))) {
    field.disabled = false;
    field.removeAttribute("data-bb-off");
  }
}

function placeExitFirst() {
  const regions = document.querySelectorAll(".bb-quick-exit");
  const region = regions[regions.length - 1];
  if (!region) return;
  for (const old of regions) if (old !== region) old.remove();
  const link = region.querySelector("a[data-quick-exit]");
  if (link) asButton(link);
  if (document.body.firstElementChild !== region) document.body.prepend(region);
  // Material's search dialog has no accessible name of its own.
  const search = document.querySelector(".md-search[role='dialog']");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", t("page.search"));
}

function onPageView() {
  switchFieldsOn();
  placeExitFirst();
}

if (typeof document$ !== "undefined") document$.subscribe(onPageView);
else onPageView();
