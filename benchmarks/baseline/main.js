// Baseline for `make bench`: start the site's own Pyodide in a module worker, nothing else.
// The query string names the Pyodide and engine folders and the lockfile contents the site
// itself uses, e.g.
//   bench-baseline/?pyodide=../assets/pyodide/314.0.7/&engine_dir=../assets/engine/<hash>/
//     &engine_files=brickbybrick/engine.py,…&lockfile={…}
// and, with &engine=1, asks the worker to install and import the engine as well; &wasm=bytes or
// &wasm=sha256-… change how the wasm reaches Pyodide (see worker.js).
// Readiness is published the way the site's quiz does it: data-status="ready" on a state element.
const params = new URLSearchParams(location.search);
const state = document.querySelector("[data-bench-state]");
const worker = new Worker(new URL("worker.js", import.meta.url), { type: "module" });

worker.addEventListener("message", ({ data }) => {
  state.dataset.status = data.type === "ready" ? "ready" : "failed";
  state.textContent = data.type === "ready" ? "Pyodide ready." : `Pyodide failed: ${data.error}`;
});
worker.addEventListener("error", (event) => {
  state.dataset.status = "failed";
  state.textContent = `Pyodide failed: ${event.message}`;
});
worker.postMessage({
  pyodideURL: new URL(params.get("pyodide"), location.href).href,
  engineURL: new URL(params.get("engine_dir"), location.href).href,
  engineFiles: (params.get("engine_files") || "").split(",").filter(Boolean),
  lockfile: params.get("lockfile"),
  engine: params.get("engine") === "1",
  wasm: params.get("wasm"),
});
