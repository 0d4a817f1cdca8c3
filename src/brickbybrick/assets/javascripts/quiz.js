// @ts-check
// Wires quiz forms to the in-browser scorer. Python owns meaning (scores, bands, the
// result's HTML); this module only moves messages and focus. One worker per visit: it is
// created on the first page with a quiz and survives navigation.instant page changes.
import { t } from "./messages.js";
import { PROTOCOL_VERSION, message, problemWith } from "./protocol.js";
import { announce, bringIntoView, resultNodes, resultShown } from "./result.js";

// The scorer gives up on a download only when nothing has arrived for this long (a slow phone
// keeps going as long as bytes arrive), and on one scoring request after SCORE_TIMEOUT_MS
// (an extension that loops): then the worker is replaced by a fresh one.
const STALL_TIMEOUT_MS = 20000;
const START_TIMEOUT_MS = 60000;
const SCORE_TIMEOUT_MS = 10000;
// Progress is told in quarters (25%, 50%, 75%): a screen reader hears it at most three times.
const PROGRESS_STEP = 25;
// A first press on "Clear my answers" asks for a second one within this time.
const CLEAR_CONFIRM_MS = 8000;
// A result that arrives after the reader has scrolled this far away does not move the page.
const AWAY_PX = 200;

let scorer = null;
// Results of this visit, in memory only (never stored): quiz id -> result.
export const visitResults = new Map();

// The scorer's states, by the key of their words in the catalogue.
const STATE_TEXT = { preparing: "quiz.preparing", ready: "quiz.ready", unavailable: "quiz.unavailable" };


// Once the page has loaded and its main thread is idle (1 s after load at the latest), or at
// once on a page loaded before (a restart, navigation.instant): the scorer's downloads start
// with it, but compiling Pyodide and starting Python take whole CPU cores, which on a phone
// would slow the page itself while it is still being shown.
function afterPageLoad(callback) {
  if (document.readyState === "complete") {
    callback();
    return;
  }
  const idle = () =>
    "requestIdleCallback" in window ? requestIdleCallback(callback, { timeout: 1000 }) : setTimeout(callback, 0);
  addEventListener("load", idle, { once: true });
}

function createScorer(runtime) {
  const pyodideURL = new URL(runtime.dataset.pyodide, location.href).href;
  const engineURL = new URL(runtime.dataset.engine, location.href).href;
  const lockfile = runtime.dataset.lockfile;
  const files = JSON.parse(runtime.dataset.files || "{}");
  // The worker starts from a blob: module that imports the real one. A worker loaded from a
  // URL takes its Content-Security-Policy only from its own response headers (a <meta> policy
  // does not reach it, and some hosts send no headers); a blob: worker inherits this page's
  // policy, so the scorer can neither fetch another host nor load other script.
  const realWorker = new URL("scorer-worker.js", import.meta.url).href;
  const protocolModule = new URL("protocol.js", import.meta.url).href;
  const listeners = new Set();
  const self = { status: "preparing", error: null, progress: null };
  let worker = null;
  let pending = new Map();
  let registered = new Map(); // quiz id -> the spec text the worker holds
  let nextId = 1;
  let timer = 0;

  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const wait = (ms, why) => {
    clearTimeout(timer);
    timer = setTimeout(() => settle("unavailable", why), ms);
  };

  function settle(status, error = null) {
    if (self.status !== "preparing") return;
    self.status = status;
    self.error = error;
    clearTimeout(timer);
    if (status === "unavailable") stop(error);
    // The theme's search worker waited for this (search-later.js): start it now.
    document.dispatchEvent(new Event("bb:scorer-settled"));
    notify();
  }

  function stop(why) {
    worker?.terminate();
    worker = null;
    for (const { reject, timeout } of pending.values()) {
      clearTimeout(timeout);
      reject(new Error(why));
    }
    pending = new Map();
    registered = new Map();
  }

  // The pending request a reply answers, no longer pending and no longer timed.
  function take(id) {
    const request = pending.get(id);
    pending.delete(id);
    if (request) clearTimeout(request.timeout);
    return request;
  }

  function onMessage({ data }) {
    const problem = problemWith(data);
    if (problem) {
      settle("unavailable", `the scorer sent ${problem}`);
      return;
    }
    switch (data.type) {
      case "progress": // bytes are arriving: the download is alive
        self.progress = { received: data.received, total: data.total };
        wait(data.received >= data.total ? START_TIMEOUT_MS : STALL_TIMEOUT_MS,
          data.received >= data.total ? "did not start within 60 s" : "nothing arrived for 20 s");
        notify();
        break;
      case "ready":
        settle("ready");
        break;
      case "failed":
        settle("unavailable", data.error);
        break;
      case "scored":
        take(data.id)?.resolve(data);
        break;
      case "error": {
        const request = take(data.id);
        if (request) request.reject(new Error(data.error));
        else settle("unavailable", data.error);
        break;
      }
      default:
        settle("unavailable", `unknown message from the scorer: ${JSON.stringify(data.type)}`);
    }
  }

  function start() {
    stop("restarted");
    self.status = "preparing";
    self.error = null;
    self.progress = null;
    // Both modules are named here so the browser fetches them side by side, not one after
    // the other (on a slow connection, each round trip is half a second before any download).
    const modules = [protocolModule, realWorker].map((url) => `import ${JSON.stringify(url)};\n`);
    const bootstrap = URL.createObjectURL(new Blob(modules, { type: "text/javascript" }));
    worker = new Worker(bootstrap, { type: "module" });
    worker.addEventListener("message", (event) => {
      URL.revokeObjectURL(bootstrap);
      onMessage(event);
    });
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      settle("unavailable", event.message || "the scorer could not start");
    });
    wait(STALL_TIMEOUT_MS, "nothing arrived for 20 s");
    worker.postMessage(message("init", { pyodideURL, engineURL, lockfile, files }));
    const current = worker;
    afterPageLoad(() => current === worker && worker.postMessage(message("start", {})));
    notify();
  }

  self.restart = start;
  self.subscribe = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  self.whenSettled = () =>
    self.status !== "preparing"
      ? Promise.resolve()
      : new Promise((resolve) => {
          const unsubscribe = self.subscribe(() => {
            if (self.status === "preparing") return;
            unsubscribe();
            resolve();
          });
        });
  // A quiz's spec goes to the worker once (again after a restart, or if a page at another
  // depth gives it other link URLs); each submit sends only the answers.
  self.register = (specText) => {
    const spec = JSON.parse(specText);
    if (worker && registered.get(spec.id) !== specText) {
      registered.set(spec.id, specText);
      worker.postMessage(message("register", { quiz: spec.id, spec }));
    }
    return spec;
  };
  self.score = (quiz, answers) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      // A request that never comes back (an extension that loops) replaces the worker.
      const timeout = setTimeout(() => {
        pending.delete(id);
        reject(new Error("scoring took more than 10 s and was stopped; the scorer is starting again"));
        start();
      }, SCORE_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timeout });
      worker.postMessage(message("score", { id, quiz, answers }));
    });
  // The build writes the protocol version it was made for: a page from another version is
  // never misread (it says scoring is unavailable instead).
  if (Number(runtime.dataset.protocol) === PROTOCOL_VERSION) {
    start();
  } else {
    self.status = "unavailable";
    self.error = `this page was built for scorer protocol ${runtime.dataset.protocol}`;
  }
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

function stateText() {
  const progress = scorer.progress;
  if (scorer.status === "preparing" && progress && progress.received < progress.total) {
    const percent = Math.floor((progress.received / progress.total) * (100 / PROGRESS_STEP)) * PROGRESS_STEP;
    if (percent > 0) return t("quiz.progress", { percent });
  }
  if (scorer.status === "unavailable") return `${t(STATE_TEXT.unavailable)} (${scorer.error})`;
  return t(STATE_TEXT[scorer.status]);
}

function bindForm(form) {
  if (form.dataset.bound) return;
  form.dataset.bound = "true";
  const specText = form.dataset.quizSpec;
  const spec = scorer.register(specText);
  const region = form.querySelector("[data-quiz-result]");
  const state = form.querySelector("[data-quiz-state]");
  const retry = form.querySelector("[data-quiz-retry]");
  const submit = form.querySelector("[data-quiz-submit]");
  if (!region || !state || !submit) return; // a form changed by hand: leave it as plain HTML
  submit.hidden = false;

  // The state is a polite live region beside the button: its words change only when the state
  // does, or progress reaches the next quarter; once a submit waits, it says so there.
  let waiting = false;
  const showState = () => {
    if (waiting && scorer.status === "preparing") return;
    const text = stateText();
    state.hidden = false;
    state.dataset.status = scorer.status;
    if (state.textContent !== text) state.textContent = text;
    if (retry) retry.hidden = scorer.status !== "unavailable";
  };
  showState();
  const unsubscribe = scorer.subscribe(() => (form.isConnected ? showState() : unsubscribe()));
  retry?.addEventListener("click", () => scorer.restart());

  // Clearing needs a second press: one tap must never wipe thirty answers.
  const clear = form.querySelector("[data-quiz-reset]");
  let armed = 0;
  const disarm = () => {
    clearTimeout(armed);
    armed = 0;
    if (clear) {
      clear.textContent = t("quiz.reset");
      clear.removeAttribute("data-armed");
    }
  };
  clear?.addEventListener("click", () => {
    if (!armed) {
      clear.textContent = t("quiz.reset_confirm");
      clear.setAttribute("data-armed", "");
      announce(form, t("quiz.reset_confirm"));
      armed = setTimeout(disarm, CLEAR_CONFIRM_MS);
      return;
    }
    disarm();
    form.reset();
    announce(form, t("quiz.reset_done"));
  });

  // Help at the answer: the note under a question with a danger answer is shown by CSS; a screen
  // reader hears it once per form.
  let helpTold = false;
  form.addEventListener("change", (event) => {
    const input = event.target;
    if (helpTold || !(input instanceof HTMLInputElement) || !input.matches("[data-critical]")) return;
    const link = input.closest("fieldset")?.querySelector("[data-quiz-item-help] a");
    if (!link) return;
    helpTold = true;
    announce(form, t("quiz.help_chosen", { link: link.textContent ?? "" }));
  });

  form.addEventListener("reset", () => {
    region.replaceChildren();
    visitResults.delete(spec.id);
    helpTold = false;
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    disarm();
    const submittedAt = window.scrollY;
    let late = false;
    if (scorer.status === "preparing") {
      // "Almost there" next to the button pressed; the result comes when the scorer is ready.
      late = true;
      waiting = true;
      state.hidden = false;
      state.textContent = t("quiz.almost");
      await scorer.whenSettled();
      waiting = false;
      showState();
    }
    if (scorer.status !== "ready") {
      showMessage(region, `${t(STATE_TEXT.unavailable)} (${scorer.error})`);
      return;
    }
    scorer.register(specText); // again after a restart; nothing is sent otherwise
    let reply;
    try {
      reply = await scorer.score(spec.id, answersOf(form, spec));
    } catch (error) {
      showMessage(region, t("quiz.failed", { error: error.message }));
      return;
    }
    if (!reply.ok) {
      showMessage(region, t("quiz.failed", { error: reply.error }));
      return;
    }
    region.replaceChildren(resultNodes(reply.html));
    if (reply.result.complete) {
      visitResults.set(spec.id, reply.result);
      resultShown(form, region);
      if (late && Math.abs(window.scrollY - submittedAt) > AWAY_PX) {
        // The reader has moved on while waiting: say so beside the button, and take them there
        // only when they ask.
        const go = document.createElement("button");
        go.type = "button";
        go.className = "bb-quiz__late";
        go.textContent = t("quiz.late_link");
        go.addEventListener("click", () => bringIntoView(region));
        state.replaceChildren(`${t("quiz.late")} `, go);
      } else {
        bringIntoView(region);
      }
    } else {
      visitResults.delete(spec.id);
      const first = reply.result.missing[0];
      const input = form.querySelector(`#bb-${CSS.escape(spec.id)}-${CSS.escape(first.id)} input`);
      (input ?? region).focus();
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
