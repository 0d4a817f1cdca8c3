// @ts-check
// What a reader does with a result: taken to it (its heading at the top of the screen, below the
// sticky header, with focus), told in one short sentence, and able to print it alone: the quiz's
// title, the date, the result with every link's full address, and the help lines, never the
// questions or the chosen answers. Nothing is stored; the print marks come off after printing.
import { plural, t } from "./messages.js";

/** The form whose result the page prints (a Print button, or Ctrl+P after a result). */
let printing = null;
/** @type {HTMLFormElement | null} */
let lastShown = null;

// The result's HTML comes from the scorer, where a quiz's extension runs in the same Python as
// the engine's escaping: it could change it. So the page keeps only what the engine writes (these
// tags and attributes, links a person follows) and drops anything that could load or run.
const TAGS = new Set(["div", "p", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "span", "br", "code", "button", "svg", "rect"]);
const ATTRIBUTES = new Set([
  "class", "href", "hidden", "type", "tabindex", "data-quiz-alert", "data-quiz-print", "data-quiz-result-for",
  "viewbox", "preserveaspectratio", "aria-hidden", "focusable", "x", "y", "width", "height",
]);
const LINK_SCHEMES = new Set(["http:", "https:", "mailto:", "tel:", "sms:"]);

/** @param {string} href */
function safeLink(href) {
  try {
    const url = new URL(href, location.href);
    return LINK_SCHEMES.has(url.protocol) || url.protocol === location.protocol;
  } catch {
    return false;
  }
}

/**
 * The scorer's result HTML as inert nodes holding only the engine's tags and attributes.
 * @param {string} html
 * @returns {DocumentFragment}
 */
export function resultNodes(html) {
  const template = document.createElement("template");
  template.innerHTML = html; // inert: nothing in a template loads or runs
  const walk = (/** @type {Element | DocumentFragment} */ parent) => {
    for (const element of [...parent.children]) {
      if (!TAGS.has(element.localName)) {
        element.remove();
        continue;
      }
      for (const { name, value } of [...element.attributes]) {
        const keep = ATTRIBUTES.has(name.toLowerCase()) && (name !== "href" || safeLink(value));
        if (!keep) element.removeAttribute(name);
      }
      walk(element);
    }
  };
  walk(template.content);
  return template.content;
}

/** @param {HTMLFormElement} form @param {string} text */
export function announce(form, text) {
  const region = form.querySelector("[data-quiz-announce]");
  if (!region) return;
  // The same words twice in a row are announced again only if the region changes in between.
  region.textContent = "";
  requestAnimationFrame(() => (region.textContent = text));
}

/** The element a reader is taken to: the danger note first, else the result's heading. */
function landing(region) {
  const alert = region.querySelector("[data-quiz-alert]");
  if (alert) {
    alert.setAttribute("tabindex", "-1");
    return alert;
  }
  return region.querySelector(".bb-result__title") ?? region;
}

/** Scroll so that `target` is at the top of the screen, clear of the sticky header, and focus it. */
export function bringIntoView(region) {
  const target = landing(region);
  const header = document.querySelector(".md-header");
  const below = header ? header.getBoundingClientRect().bottom : 0;
  window.scrollTo({ top: window.scrollY + target.getBoundingClientRect().top - Math.max(below, 0) - 8, behavior: "instant" });
  target.focus({ preventScroll: true });
}

/** A result is in the page: its print button works, and the reader hears how many sections it has. */
export function resultShown(form, region) {
  lastShown = form;
  for (const button of region.querySelectorAll("[data-quiz-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => printResult(form));
  }
  const sections = region.querySelectorAll("h4").length;
  announce(form, plural("quiz.announce", sections));
}

/** @param {HTMLFormElement} form */
function markForPrint(form) {
  const quiz = form.closest(".bb-quiz");
  if (!quiz) return;
  printing = form;
  document.documentElement.classList.add("bb-print-result");
  quiz.classList.add("bb-print-this");
  const region = form.querySelector("[data-quiz-result]");
  const date = new Intl.DateTimeFormat(document.documentElement.lang || undefined, { dateStyle: "long" }).format(new Date());
  const line = document.createElement("p");
  line.className = "bb-result__printed";
  line.dataset.printOnly = "";
  line.textContent = t("quiz.printed", { date });
  region?.prepend(line);
  // Every web link is followed by its full address on paper (a phone number shows as it is).
  for (const link of quiz.querySelectorAll(".bb-quiz__result a[href], .bb-help a[href]")) {
    const address = /** @type {HTMLAnchorElement} */ (link).href;
    if (address.startsWith("http")) link.setAttribute("data-print-href", address);
  }
}

function unmark() {
  if (!printing) return;
  document.documentElement.classList.remove("bb-print-result");
  for (const quiz of document.querySelectorAll(".bb-print-this")) quiz.classList.remove("bb-print-this");
  for (const line of document.querySelectorAll("[data-print-only]")) line.remove();
  for (const link of document.querySelectorAll("[data-print-href]")) link.removeAttribute("data-print-href");
  printing = null;
}

/** @param {HTMLFormElement} form */
export function printResult(form) {
  markForPrint(form);
  window.print();
}

// The page's own print (Ctrl+P) after a result prints that result alone too.
addEventListener("beforeprint", () => {
  // A worksheet printing itself (its own button) is not a result's print.
  if (document.documentElement.classList.contains("bb-ws-printing")) return;
  if (printing || !lastShown?.isConnected) return;
  if (!lastShown.querySelector("[data-quiz-result] .bb-result__title")) return;
  markForPrint(lastShown);
});
addEventListener("afterprint", unmark);
// Forgetting (page hidden, quick exit) forgets which result was shown.
document.addEventListener("bb:forget", () => {
  unmark();
  lastShown = null;
});
