// Wires quiz forms to the in-browser scorer. Python owns meaning (scores, bands, the
// result's HTML); this module only moves messages and focus. One worker per visit: it is
// created on the first page with a quiz and survives navigation.instant page changes.
import { message, problemWith } from "./protocol.js";

const READY_TIMEOUT_MS = 30000;

let scorer = null;
// Results of this visit, in memory only (never stored): quiz id -> result.
export const visitResults = new Map();

const STATE_TEXT = {
  preparing: "Preparing the scorer on this device… you can answer meanwhile.",
  ready: "Scorer ready. Your answers are scored on this device.",
  unavailable:
    "Scoring is unavailable right now. Your answers stay on the page: you can still read the chapters and print this page.",
};

function createScorer(runtime) {
  const pyodideURL = new URL(runtime.dataset.pyodide, location.href).href;
  const lockURL = new URL(runtime.dataset.engineLock, location.href).href;
  // The worker starts from a blob: module that imports the real one. A worker loaded from a
  // URL takes its Content-Security-Policy only from its own response headers (a <meta> policy
  // does not reach it, and some hosts send no headers); a blob: worker inherits this page's
  // policy, so the scorer cannot fetch another host or eval, whatever the host sends.
  const realWorker = new URL("scorer-worker.js", import.meta.url).href;
  const bootstrap = URL.createObjectURL(
    new Blob([`import ${JSON.stringify(realWorker)};\n`], { type: "text/javascript" }),
  );
  const worker = new Worker(bootstrap, { type: "module" });
  const listeners = new Set();
  const pending = new Map();
  const registered = new Map(); // quiz id -> the spec text the worker holds
  let nextId = 1;
  const self = { status: "preparing", error: null };

  function settle(status, error = null) {
    if (self.status !== "preparing") return;
    self.status = status;
    self.error = error;
    clearTimeout(timer);
    if (status === "unavailable") {
      worker.terminate();
      for (const { reject } of pending.values()) reject(new Error(error));
      pending.clear();
    }
    for (const listener of [...listeners]) listener();
  }
  const timer = setTimeout(() => settle("unavailable", "not ready after 30 s"), READY_TIMEOUT_MS);

  worker.addEventListener("message", ({ data }) => {
    URL.revokeObjectURL(bootstrap);
    const problem = problemWith(data);
    if (problem) {
      settle("unavailable", `the scorer sent ${problem}`);
      return;
    }
    switch (data.type) {
      case "ready":
        settle("ready");
        break;
      case "failed":
        settle("unavailable", data.error);
        break;
      case "scored": {
        const request = pending.get(data.id);
        pending.delete(data.id);
        if (request) request.resolve(data);
        break;
      }
      case "error": {
        const request = pending.get(data.id);
        pending.delete(data.id);
        if (request) request.reject(new Error(data.error));
        else settle("unavailable", data.error);
        break;
      }
      default:
        settle("unavailable", `unknown message from the scorer: ${JSON.stringify(data.type)}`);
    }
  });
  worker.addEventListener("error", (event) => {
    event.preventDefault();
    settle("unavailable", event.message || "the scorer could not start");
  });
  const integrity = JSON.parse(runtime.dataset.integrity || "{}");
  worker.postMessage(message("init", { pyodideURL, lockURL, integrity }));

  self.subscribe = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  self.whenSettled = () =>
    self.status !== "preparing"
      ? Promise.resolve()
      : new Promise((resolve) => {
          const stop = self.subscribe(() => {
            stop();
            resolve();
          });
        });
  // A quiz's spec goes to the worker once (again only if a page at another depth gives it
  // other link URLs); each submit sends only the answers.
  self.register = (specText) => {
    const spec = JSON.parse(specText);
    if (registered.get(spec.id) !== specText) {
      registered.set(spec.id, specText);
      worker.postMessage(message("register", { quiz: spec.id, spec }));
    }
    return spec;
  };
  self.score = (quiz, answers) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage(message("score", { id, quiz, answers }));
    });
  return self;
}

function answersOf(form, spec) {
  const answers = {};
  for (const item of spec.items) {
    const checked = form.querySelector(`input[name="${CSS.escape(item.id)}"]:checked`);
    answers[item.id] = checked ? checked.value : null;
  }
  return answers;
}

function showMessage(region, text) {
  const paragraph = document.createElement("p");
  paragraph.className = "bb-result__unavailable";
  paragraph.textContent = text;
  region.replaceChildren(paragraph);
}

function bindForm(form) {
  if (form.dataset.bound) return;
  form.dataset.bound = "true";
  const spec = scorer.register(form.dataset.quizSpec);
  const region = form.querySelector("[data-quiz-result]");
  const state = form.querySelector("[data-quiz-state]");
  form.querySelector("[data-quiz-submit]").hidden = false;

  const showState = () => {
    state.hidden = false;
    state.dataset.status = scorer.status;
    state.textContent = STATE_TEXT[scorer.status];
  };
  showState();
  const stop = scorer.subscribe(() => (form.isConnected ? showState() : stop()));

  form.addEventListener("reset", () => {
    region.replaceChildren();
    visitResults.delete(spec.id);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (scorer.status === "preparing") {
      showMessage(region, "Almost there: the scorer is still starting. Your results will appear here in a moment.");
      await scorer.whenSettled();
    }
    if (scorer.status !== "ready") {
      showMessage(region, `${STATE_TEXT.unavailable} (${scorer.error})`);
      return;
    }
    let reply;
    try {
      reply = await scorer.score(spec.id, answersOf(form, spec));
    } catch (error) {
      showMessage(region, `${STATE_TEXT.unavailable} (${error.message})`);
      return;
    }
    if (!reply.ok) {
      showMessage(region, `Sorry, these answers could not be scored: ${reply.error}`);
      return;
    }
    region.innerHTML = reply.html;
    if (reply.result.complete) {
      visitResults.set(spec.id, reply.result);
      region.focus();
    } else {
      visitResults.delete(spec.id);
      const first = reply.result.missing[0];
      form.querySelector(`#bb-${CSS.escape(spec.id)}-${CSS.escape(first.id)} input`).focus();
    }
  });
}

function onPage() {
  const forms = document.querySelectorAll("form[data-quiz]");
  if (!forms.length) return;
  scorer ??= createScorer(document.querySelector(".bb-runtime"));
  forms.forEach(bindForm);
}

// The safety module asks every part of the page to forget answers (page hidden, quick exit).
document.addEventListener("bb:forget", () => visitResults.clear());

// On a page with a quiz this module is first loaded from <head> (async), so the scorer
// starts before the page has finished parsing; forms are bound once it has.
const early = document.querySelector('meta[name="bb-runtime"]');
if (early) scorer = createScorer(early);

// Material publishes every page view, including navigation.instant ones, on document$.
function bindPages() {
  if (typeof document$ !== "undefined") document$.subscribe(onPage);
  else onPage();
}
if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", bindPages, { once: true });
else bindPages();
