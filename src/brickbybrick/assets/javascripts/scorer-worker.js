// @ts-check
// Module Web Worker: loads the site's own Pyodide and the engine wheel, then scores.
// The messages are defined in protocol.js; every message gets a reply, errors as data.
import { message, problemWith } from "./protocol.js";

/** @type {any} */
let engine = null;
/** quiz id -> the quiz's spec as JSON, sent once per quiz. */
const specs = new Map();

/** @param {ArrayBuffer} bytes */
async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return [...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("");
}

const PROGRESS_EVERY_MS = 250;

/**
 * Fetch every file the scorer runs, counting bytes for the page (progress) and checking each
 * file against the sha256 the site was built with; then serve Pyodide's own requests for them
 * from these checked bytes. A file changed on the way (or on the host) is refused before any
 * of it runs. The two modules are checked the same way before they are imported.
 * @param {string} pyodideURL
 * @param {string} lockURL
 * @param {Record<string, {sha256: string, bytes: number}>} files
 */
async function fetchChecked(pyodideURL, lockURL, files) {
  // "engine:<file>" is a file beside the engine's lockfile; any other name is one of Pyodide's.
  const urlOf = (/** @type {string} */ key) =>
    key.startsWith("engine:") ? new URL(key.slice("engine:".length), lockURL).href : pyodideURL + key;
  const total = Object.values(files).reduce((sum, file) => sum + file.bytes, 0);
  let received = 0;
  let reportedAt = 0;
  const report = (/** @type {boolean} */ always) => {
    const now = performance.now();
    if (!always && now - reportedAt < PROGRESS_EVERY_MS) return;
    reportedAt = now;
    self.postMessage(message("progress", { received: Math.min(received, total), total }));
  };
  report(true);
  /** @type {Map<string, ArrayBuffer>} */
  const checked = new Map();
  await Promise.all(
    Object.entries(files).map(async ([key, { sha256 }]) => {
      const name = key.replace(/^engine:/, "");
      const response = await fetch(urlOf(key));
      if (!response.ok || !response.body) throw new Error(`${name}: HTTP ${response.status}`);
      /** @type {Uint8Array[]} */
      const chunks = [];
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        received += value.byteLength;
        report(false);
      }
      const bytes = await new Blob(chunks).arrayBuffer();
      if ((await sha256Hex(bytes)) !== sha256) {
        throw new Error(`${name} is not the file this site was built with (sha256 differs)`);
      }
      checked.set(new URL(urlOf(key)).href, bytes);
    }),
  );
  received = total;
  report(true);
  const networkFetch = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), pyodideURL).href;
    const bytes = checked.get(url);
    if (!bytes) return networkFetch(input, init);
    const type = url.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
    return Promise.resolve(new Response(bytes.slice(0), { headers: { "Content-Type": type } }));
  };
}

/** @param {{pyodideURL: string, lockURL: string, files: Record<string, {sha256: string, bytes: number}>}} options */
async function init({ pyodideURL, lockURL, files }) {
  await fetchChecked(pyodideURL, lockURL, files);
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
