// Baseline module worker: import the self-hosted pyodide.mjs, loadPyodide, report "ready".
// Options (reference figures only):
//   engine     also write the site's engine files into site-packages before Python starts and
//              import the engine, as the quiz page's scorer does, without its checks and messages;
//   wasm       "bytes": fetch the wasm first and hand it to Pyodide as a Response made from those
//              bytes, as the scorer does after checking them; "sha256-…": let Pyodide fetch it
//              with that Subresource Integrity value (`fetch(url, { integrity })`).
self.addEventListener(
  "message",
  async ({ data: { pyodideURL, engineURL, engineFiles, lockfile, engine, wasm } }) => {
    try {
      if (wasm) await handOverWasm(pyodideURL + "pyodide.asm.wasm", wasm);
      const files = engine ? engineFiles.map((path) => fetchBytes(path, new URL(path, engineURL))) : [];
      const { loadPyodide } = await import(pyodideURL + "pyodide.mjs");
      const pyodide = await loadPyodide({
        indexURL: pyodideURL,
        lockFileContents: lockfile,
        fsInit: async (FS, { sitePackages }) => {
          for (const { path, bytes } of await Promise.all(files)) {
            const target = `${sitePackages}/${path}`;
            FS.mkdirTree(target.slice(0, target.lastIndexOf("/")));
            FS.writeFile(target, bytes);
          }
        },
      });
      if (engine) pyodide.pyimport("brickbybrick.engine");
      self.postMessage({ type: "ready" });
    } catch (error) {
      self.postMessage({ type: "failed", error: String((error && error.message) || error) });
    }
  },
  { once: true },
);

async function fetchBytes(path, url) {
  return { path, bytes: new Uint8Array(await (await fetch(url)).arrayBuffer()) };
}

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
