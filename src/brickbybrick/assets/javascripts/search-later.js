// @ts-check
// Inlined into the <head> of a page with a quiz, before the theme's bundle (not a file: a script
// file there would hold up the page's first paint). Material builds its search index in a worker
// as the page loads; on such a page that takes CPU the scorer needs to start. So its search
// worker is created only when the scorer has settled (ready or unavailable) or the reader turns
// to search (focus in the search box, the search button), whichever comes first. Until then a
// stand-in holds Material's messages and passes them on, in order, once the worker exists.
(() => {
  const NativeWorker = window.Worker;
  const SEARCH_WORKER = /\/workers\/search\.[^/]*\.js$/;
  let waiting = [];

  function release() {
    if (waiting === null) return;
    const start = waiting;
    waiting = null;
    window.Worker = NativeWorker;
    start.forEach((create) => create());
  }

  window.Worker = /** @type {typeof Worker} */ (/** @type {unknown} */ (class extends EventTarget {
    constructor(url, options) {
      if (waiting === null || !SEARCH_WORKER.test(new URL(url, location.href).pathname)) {
        return new NativeWorker(url, options);
      }
      super();
      const queued = [];
      let worker = null;
      let ended = false;
      this.postMessage = (data) => (worker ? worker.postMessage(data) : queued.push(data));
      this.terminate = () => {
        ended = true;
        worker?.terminate();
      };
      waiting.push(() => {
        if (ended) return;
        worker = new NativeWorker(url, options);
        worker.addEventListener("message", ({ data }) => this.dispatchEvent(new MessageEvent("message", { data })));
        worker.addEventListener("error", () => this.dispatchEvent(new Event("error")));
        queued.splice(0).forEach((data) => worker.postMessage(data));
      });
    }
  }));

  document.addEventListener("bb:scorer-settled", release, { once: true });
  document.addEventListener("focusin", (event) => /** @type {Element} */ (event.target).closest?.(".md-search") && release());
  document.addEventListener("change", (event) => /** @type {Element} */ (event.target).id === "__search" && release());
})();
