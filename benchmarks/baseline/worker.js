// Baseline module worker: import the self-hosted pyodide.mjs, loadPyodide, report "ready".
// Options (reference figures only):
//   engine     also install the site's engine wheel (same lockfile) and import the engine, as the
//              quiz page's scorer does, without its checks and messages;
//   wasm       "bytes": fetch the wasm first and hand it to Pyodide as a Response made from those
//              bytes, as the scorer does after checking them; "sha256-…": let Pyodide fetch it
//              with that Subresource Integrity value (`fetch(url, { integrity })`).
self.addEventListener(
  "message",
  async ({ data: { pyodideURL, lockURL, engine, wasm } }) => {
    try {
      if (wasm) await handOverWasm(pyodideURL + "pyodide.asm.wasm", wasm);
      const { loadPyodide } = await import(pyodideURL + "pyodide.mjs");
      const pyodide = await loadPyodide({ indexURL: pyodideURL, lockFileURL: lockURL });
      if (engine) {
        await pyodide.loadPackage("brickbybrick", { messageCallback: () => {} });
        pyodide.pyimport("brickbybrick.engine");
      }
      self.postMessage({ type: "ready" });
    } catch (error) {
      self.postMessage({ type: "failed", error: String((error && error.message) || error) });
    }
  },
  { once: true },
);

async function handOverWasm(wasmURL, how) {
  const networkFetch = globalThis.fetch.bind(globalThis);
  const bytes = how === "bytes" ? await (await networkFetch(wasmURL)).arrayBuffer() : null;
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), wasmURL).href;
    if (url !== wasmURL) return networkFetch(input, init);
    if (bytes) {
      return Promise.resolve(new Response(bytes.slice(0), { headers: { "Content-Type": "application/wasm" } }));
    }
    return networkFetch(url, { ...init, integrity: how });
  };
}
