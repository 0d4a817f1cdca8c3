// Module Web Worker: loads the site's own Pyodide and the engine wheel, then scores.
// Protocol (typed messages; errors travel back as data, never thrown across the boundary):
//   page -> worker  {type: "init", pyodideURL, lockURL}
//                   {type: "score", id, spec, answers}
//   worker -> page  {type: "ready"} | {type: "failed", error}
//                   {type: "scored", id, ok, result, html, error}
let engine = null;

async function init({ pyodideURL, lockURL }) {
  const { loadPyodide } = await import(pyodideURL + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: pyodideURL, lockFileURL: lockURL });
  // loadPackage does not reject when a download or the sha256 check fails: collect and raise.
  const errors = [];
  await pyodide.loadPackage("brickbybrick", {
    messageCallback: () => {},
    errorCallback: (message) => errors.push(message),
  });
  if (errors.length) throw new Error(errors.join("; "));
  engine = pyodide.pyimport("brickbybrick.engine");
}

async function handle(message) {
  switch (message.type) {
    case "init":
      try {
        await init(message);
        return { type: "ready" };
      } catch (error) {
        return { type: "failed", error: String((error && error.message) || error) };
      }
    case "score": {
      if (!engine) return { type: "scored", id: message.id, ok: false, error: "the scorer is not ready" };
      const output = engine.score_json(JSON.stringify(message.spec), JSON.stringify(message.answers));
      return { type: "scored", id: message.id, ...JSON.parse(output) };
    }
    default:
      throw new Error(`scorer worker: unknown message type ${JSON.stringify(message.type)}`);
  }
}

self.addEventListener("message", async (event) => {
  self.postMessage(await handle(event.data));
});
