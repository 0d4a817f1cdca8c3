// Baseline module worker: import the self-hosted pyodide.mjs, loadPyodide, report "ready".
self.addEventListener(
  "message",
  async ({ data: { pyodideURL, lockURL } }) => {
    try {
      const { loadPyodide } = await import(pyodideURL + "pyodide.mjs");
      await loadPyodide({ indexURL: pyodideURL, lockFileURL: lockURL });
      self.postMessage({ type: "ready" });
    } catch (error) {
      self.postMessage({ type: "failed", error: String((error && error.message) || error) });
    }
  },
  { once: true },
);
