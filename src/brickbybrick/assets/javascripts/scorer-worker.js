// @ts-check
// Module Web Worker: loads the site's own Pyodide and the engine wheel, then scores.
// The messages are defined in protocol.js; every message gets a reply, errors as data.
import { message, problemWith } from "./protocol.js";

/** @type {any} */
let engine = null;
/** quiz id -> the quiz's spec as JSON, sent once per quiz. */
const specs = new Map();

/** @param {{pyodideURL: string, lockURL: string}} options */
async function init({ pyodideURL, lockURL }) {
  const { loadPyodide } = await import(pyodideURL + "pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: pyodideURL, lockFileURL: lockURL });
  // loadPackage does not reject when a download or the sha256 check fails: collect and raise.
  /** @type {string[]} */
  const errors = [];
  await pyodide.loadPackage("brickbybrick", {
    messageCallback: () => {},
    errorCallback: (/** @type {string} */ text) => errors.push(text),
  });
  if (errors.length) throw new Error(errors.join("; "));
  engine = pyodide.pyimport("brickbybrick.engine");
}

/** @param {any} data */
async function handle(data) {
  const problem = problemWith(data);
  if (problem) return message("error", { id: data?.id, error: `scorer worker: ${problem}` });
  switch (data.type) {
    case "init":
      try {
        await init(data);
        return message("ready", {});
      } catch (error) {
        return message("failed", { error: String((error && error.message) || error) });
      }
    case "register":
      specs.set(data.quiz, JSON.stringify(data.spec));
      return null; // nothing to wait for
    case "score": {
      const spec = specs.get(data.quiz);
      if (!engine) return message("scored", { id: data.id, ok: false, error: "the scorer is not ready" });
      if (spec === undefined) return message("scored", { id: data.id, ok: false, error: `unknown quiz ${data.quiz}` });
      const output = engine.score_json(spec, JSON.stringify(data.answers));
      return message("scored", { id: data.id, ...JSON.parse(output) });
    }
    default:
      return message("error", { id: data.id, error: `scorer worker: unknown message type ${JSON.stringify(data.type)}` });
  }
}

self.addEventListener("message", async (event) => {
  const reply = await handle(event.data);
  if (reply) self.postMessage(reply);
});
