// @ts-check
// Module Web Worker: loads the site's own Pyodide and the engine's files, then scores.
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

/** Subresource Integrity metadata for a hex sha256. @param {string} hex */
function integrity(hex) {
  const bytes = (hex.match(/../g) || []).map((pair) => parseInt(pair, 16));
  return `sha256-${btoa(String.fromCharCode(...bytes))}`;
}

const PROGRESS_EVERY_MS = 250;

/**
 * A file this browser already holds (a visit before this one), checked by the browser itself
 * against the pinned sha256 (Subresource Integrity), or null. Handed to Pyodide as it is: a
 * response the browser streams from its own cache lets Chromium reuse the wasm it compiled
 * before, where a response made from bytes would be compiled again on every visit.
 * @param {string} url @param {string} sha256
 */
async function fromCache(url, sha256) {
  try {
    const response = await fetch(url, { cache: "only-if-cached", mode: "same-origin", integrity: integrity(sha256) });
    return response.ok ? response : null;
  } catch {
    return null; // not held, or held but not the pinned file: download it
  }
}

/**
 * Download a file and pass its bytes on as they arrive, all but the last chunk: the last is
 * passed on, and the stream closed, only once every byte matches the pinned sha256. Pyodide
 * can compile the wasm while it downloads, yet nothing of a file can run before it is checked
 * (a compile cannot finish on an open stream). A file that differs errors its stream.
 * @param {string} url @param {string} name @param {string} sha256 @param {(n: number) => void} count
 */
function downloadChecked(url, name, sha256, count) {
  /** @type {(value: Response) => void} */ let opened = () => {};
  /** @type {(error: unknown) => void} */ let refused = () => {};
  const response = new Promise((resolve, reject) => ((opened = resolve), (refused = reject)));
  const checked = (async () => {
    // Low priority: the page's own render-blocking styles and scripts go first.
    const network = await fetch(url, { priority: "low" });
    if (!network.ok || !network.body) throw new Error(`${name}: HTTP ${network.status}`);
    const reader = network.body.getReader();
    /** @type {ReadableStreamDefaultController<Uint8Array>} */ let out;
    const body = new ReadableStream({ start: (controller) => void (out = controller) });
    const type = network.headers.get("Content-Type") || "application/octet-stream";
    opened(new Response(body, { headers: { "Content-Type": type } }));
    /** @type {Uint8Array[]} */ const chunks = [];
    /** @type {Uint8Array | null} */ let held = null;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        count(value.byteLength);
        if (held) out.enqueue(held);
        held = value;
      }
      if ((await sha256Hex(await new Blob(chunks).arrayBuffer())) !== sha256) {
        throw new Error(`${name} is not the file this site was built with (sha256 differs)`);
      }
    } catch (error) {
      out.error(error);
      throw error;
    }
    if (held) out.enqueue(held);
    out.close();
  })();
  checked.catch(refused);
  response.catch(() => {}); // a refusal is reported through `checked`; this one may go unread
  return { response, checked };
}

/**
 * Start every file the scorer runs at once, counting bytes for the page (progress), and serve
 * Pyodide's own requests for them from these checked downloads. Resolves when the two modules
 * are checked (they are imported by URL next, from the browser's cache), with `all`, which
 * settles when every file is checked and rejects as soon as one is refused.
 * @param {string} pyodideURL
 * @param {string} engineURL
 * @param {Record<string, {sha256: string, bytes: number}>} files
 */
async function startChecked(pyodideURL, engineURL, files) {
  // "engine:<path>" is an engine file in the engine's folder; any other name is one of Pyodide's.
  const urlOf = (/** @type {string} */ key) =>
    key.startsWith("engine:") ? new URL(key.slice("engine:".length), engineURL).href : pyodideURL + key;
  const total = Object.values(files).reduce((sum, file) => sum + file.bytes, 0);
  let received = 0;
  let reportedAt = 0;
  const report = (/** @type {boolean} */ always) => {
    const now = performance.now();
    if (!always && now - reportedAt < PROGRESS_EVERY_MS) return;
    reportedAt = now;
    self.postMessage(message("progress", { received: Math.min(received, total), total }));
  };
  const count = (/** @type {number} */ bytes) => {
    received += bytes;
    report(false);
  };
  report(true);
  /** @type {Map<string, Promise<Response>>} */
  const served = new Map();
  /** @type {Map<string, Promise<void>>} */
  const checks = new Map();
  await Promise.all(
    Object.entries(files).map(async ([key, { sha256, bytes }]) => {
      const url = new URL(urlOf(key)).href;
      // Pyodide imports its two modules by URL (next, from the browser's cache): they are only
      // checked here, never handed over, so no response is held for them.
      const imported = key.endsWith(".mjs");
      const cached = await fromCache(url, sha256);
      if (cached) {
        count(bytes);
        if (imported) cached.body?.cancel();
        else served.set(url, Promise.resolve(cached));
        checks.set(key, Promise.resolve());
        return;
      }
      const { response, checked } = downloadChecked(url, key.replace(/^engine:/, ""), sha256, count);
      if (!imported) served.set(url, response);
      checks.set(key, checked);
    }),
  );
  const all = Promise.all(checks.values()).then(() => {
    received = total;
    report(true);
  });
  all.catch(() => {}); // the caller awaits it; until then a refusal is not "unhandled"
  const networkFetch = globalThis.fetch.bind(globalThis);
  globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input), pyodideURL).href;
    const response = served.get(url);
    if (!response) return networkFetch(input, init);
    served.delete(url); // each is handed over once: a body can be read only once
    return response;
  };
  /** Each engine file's checked bytes, by its path under site-packages. */
  const engine = Object.keys(files)
    .filter((key) => key.startsWith("engine:"))
    .map(async (key) => {
      const response = await globalThis.fetch(urlOf(key));
      return { path: key.slice("engine:".length), bytes: new Uint8Array(await response.arrayBuffer()) };
    });
  for (const file of engine) file.catch(() => {}); // a refused file is reported through `all`
  await Promise.all([checks.get("pyodide.mjs"), checks.get("pyodide.asm.mjs")]);
  return { all, engine }; // wrapped: an async function returning a promise would wait for it
}

/** @type {() => void} */
let pageLoaded = () => {};
/** Resolves on the page's "start": compiling and starting Python would slow the page's own start. */
const started = new Promise((resolve) => (pageLoaded = () => resolve(undefined)));

/** @param {{pyodideURL: string, engineURL: string, lockfile: string, files: Record<string, {sha256: string, bytes: number}>}} options */
async function init({ pyodideURL, engineURL, lockfile, files }) {
  const { all, engine: engineFiles } = await startChecked(pyodideURL, engineURL, files);
  await started;
  const { loadPyodide } = await import(pyodideURL + "pyodide.mjs");
  // Pyodide only logs a wasm or standard library it could not use, and would wait forever:
  // a refused file ends the start at once, with its reason.
  const refused = all.then(() => new Promise(() => {}));
  const pyodide = await Promise.race([
    loadPyodide({
      indexURL: pyodideURL,
      lockFileContents: lockfile, // Pyodide's own ABI info, no packages: nothing else to fetch
      // The engine's checked files go into site-packages before Python starts.
      fsInit: async (/** @type {any} */ FS, /** @type {{sitePackages: string}} */ { sitePackages }) => {
        for (const { path, bytes } of await Promise.all(engineFiles)) {
          const target = `${sitePackages}/${path}`;
          FS.mkdirTree(target.slice(0, target.lastIndexOf("/")));
          FS.writeFile(target, bytes);
        }
      },
    }),
    refused,
  ]);
  await all;
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
    case "start":
      pageLoaded();
      return null;
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
