// @ts-check
// The scorer: two module Web Workers. This one, the loader, downloads every file the scorer
// runs and checks each against its sha256; it runs none of them. Once Pyodide's two modules are
// checked it starts a second worker, Python's, that imports them from blob: URLs made of the
// checked bytes (nothing is fetched twice) and gets every other file from the loader's checked
// downloads. Python's worker takes away its own network before any quiz extension runs.
// The page talks to the loader only (messages in protocol.js); every message gets a reply.
import { PROTOCOL_VERSION, message, problemWith } from "./protocol.js";

/** Python's worker, once it has loaded Pyodide and the engine. @type {Worker | null} */
let python = null;
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
 * against the pinned sha256 (Subresource Integrity), or null. Without `sha256`, only whether it
 * is held: its body is not read (the one who reads it checks it).
 * @param {string} url @param {string} [sha256]
 */
async function fromCache(url, sha256) {
  try {
    const checked = sha256 ? { integrity: integrity(sha256) } : {};
    const response = await fetch(url, { cache: "only-if-cached", mode: "same-origin", ...checked });
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
  /** @type {ReadableStreamDefaultController<Uint8Array>} */ let out;
  const body = new ReadableStream({ start: (controller) => void (out = controller) });
  const checked = (async () => {
    /** @type {Uint8Array[]} */ const chunks = [];
    /** @type {Uint8Array | null} */ let held = null;
    try {
      // Low priority: the page's own render-blocking styles and scripts go first.
      const network = await fetch(url, { priority: "low" });
      if (!network.ok || !network.body) throw new Error(`${name}: HTTP ${network.status}`);
      const reader = network.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        chunks.push(value);
        count(value.byteLength);
        if (held) out.enqueue(held);
        held = value;
      }
      if ((await sha256Hex(await new Blob(/** @type {BlobPart[]} */ (chunks)).arrayBuffer())) !== sha256) {
        throw new Error(`${name} is not the file this site was built with (sha256 differs)`);
      }
    } catch (error) {
      out.error(error);
      throw error;
    }
    if (held) out.enqueue(held);
    out.close();
  })();
  return { body, checked };
}

/**
 * @typedef {import("./protocol.js").HandedFile} HandedFile
 * A file for Python's worker: its checked bytes as a stream (closed only once checked), or for
 * a wasm this browser holds, its sha256 and the integrity its worker fetches it with from the
 * cache (the browser checks the bytes it compiles, and reuses the code it compiled before).
 * An engine file has the path it takes under site-packages.
 */

/**
 * Start every file the scorer runs at once, counting bytes for the page (progress). Resolves
 * at once with `all`, which settles when every file is checked and rejects as soon as one is
 * refused; `modules`, the checked bytes of Pyodide's two modules; and `files`, the others
 * for Python's worker.
 * @param {string} pyodideURL
 * @param {string} engineURL
 * @param {Record<string, {sha256: string, bytes: number, sent?: number}>} files
 */
async function startChecked(pyodideURL, engineURL, files) {
  // "engine:<path>" is an engine file in the engine's folder; any other name is one of Pyodide's.
  const urlOf = (/** @type {string} */ key) =>
    key.startsWith("engine:") ? new URL(key.slice("engine:".length), engineURL).href : pyodideURL + key;
  // Progress counts the bytes that travel (each file's compressed size, `sent`): its unpacked
  // size would tell a reader on metered data about four times what they actually download.
  const sent = (/** @type {{bytes: number, sent?: number}} */ file) => file.sent ?? file.bytes;
  const total = Object.values(files).reduce((sum, file) => sum + sent(file), 0);
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
  /** @type {Promise<void>[]} */ const checks = [];
  /** @type {Map<string, Promise<ArrayBuffer>>} */ const modules = new Map();
  /** @type {HandedFile[]} */ const handed = [];
  await Promise.all(
    Object.entries(files).map(async ([key, file]) => {
      const { sha256 } = file;
      const share = sent(file) / Math.max(file.bytes, 1); // unpacked bytes -> bytes on the wire
      const countSent = (/** @type {number} */ unpacked) => count(unpacked * share);
      const url = new URL(urlOf(key)).href;
      const path = key.startsWith("engine:") ? key.slice("engine:".length) : undefined;
      // The wasm is read by Python's worker, from the cache, checked as it reads it: here only
      // whether it is held (reading and hashing 9.6 MB twice would delay every later visit).
      const cached = await fromCache(url, key.endsWith(".wasm") ? undefined : sha256);
      if (cached) count(sent(file));
      if (key.endsWith(".mjs")) {
        // Imported from blob: URLs of exactly these bytes, read once they are checked.
        if (cached) modules.set(key, cached.arrayBuffer());
        else {
          const { body, checked } = downloadChecked(url, key, sha256, countSent);
          modules.set(key, new Response(body).arrayBuffer());
          checks.push(checked);
        }
      } else if (cached && key.endsWith(".wasm")) {
        cached.body?.cancel(); // Python's worker streams it from the cache itself, checked
        handed.push({ url, sha256, integrity: integrity(sha256) });
      } else if (cached) {
        handed.push({ url, path, body: cached.body ?? undefined });
      } else {
        const { body, checked } = downloadChecked(url, path ?? key, sha256, countSent);
        handed.push({ url, path, body });
        checks.push(checked);
      }
    }),
  );
  const all = Promise.all(checks).then(() => {
    received = total;
    report(true);
  });
  all.catch(() => {}); // the caller awaits it; until then a refusal is not "unhandled"
  for (const bytes of modules.values()) bytes.catch(() => {}); // a refusal is reported through `all`
  const both = Promise.all([modules.get("pyodide.mjs"), modules.get("pyodide.asm.mjs")]);
  both.catch(() => {});
  return { all, modules: both, files: handed }; // wrapped: an async function returning a promise would wait for it
}

/**
 * Everything a worker can reach the network with, or keep anything in (a quiz keeps nothing),
 * taken away from `scope`: from the object and each prototype it inherits from, so no other
 * path leads to them. Throws if one is still there.
 * @param {any} scope
 */
function dropNetwork(scope) {
  const names = [
    "fetch", "XMLHttpRequest", "WebSocket", "WebSocketStream", "EventSource", "WebTransport",
    "importScripts", "Worker", "SharedWorker", "FontFace", "fonts", "BroadcastChannel",
    "Notification", "caches", "CacheStorage", "Cache", "indexedDB", "IDBFactory",
    "webkitRequestFileSystem", "webkitRequestFileSystemSync", "webkitResolveLocalFileSystemURL",
    "webkitResolveLocalFileSystemSyncURL", "BackgroundFetchManager", "PushManager",
    "ServiceWorkerRegistration",
  ];
  const fromNavigator = ["sendBeacon", "serviceWorker", "storage", "storageBuckets"];
  /** @param {any} object @param {string[]} keys */
  const remove = (object, keys) => {
    for (let owner = object; owner; owner = Object.getPrototypeOf(owner)) {
      for (const key of keys) if (Object.prototype.hasOwnProperty.call(owner, key)) delete owner[key];
    }
    return keys.filter((key) => key in object);
  };
  const left = [...remove(scope, names), ...remove(scope.navigator, fromNavigator).map((key) => `navigator.${key}`)];
  if (left.length) throw new Error(`the scorer could not take away ${left.join(", ")}`);
}

/**
 * Python's worker, the whole of it. Its source is copied into that worker's bootstrap, after
 * `dropNetwork`'s, with the two modules imported from the checked bytes; so it uses no other
 * name of this module and nothing is fetched for it.
 *
 * The loader sends "load" with the checked files, then "score" requests; this worker answers
 * "loaded" or "failed", then "scored". Between the two it takes away its network and its
 * `postMessage`: a quiz extension's Python can send nothing anywhere, not even to the page.
 * @param {(options: object) => Promise<any>} loadPyodide
 * @param {any} createPyodideModule
 * @param {number} version the protocol's version
 */
function pythonWorker(loadPyodide, createPyodideModule, version) {
  const scope = /** @type {any} */ (self);
  const post = scope.postMessage.bind(scope);
  const networkFetch = scope.fetch.bind(scope);
  const reply = (/** @type {string} */ type, /** @type {object} */ fields) => post({ v: version, type, ...fields });
  /** @type {any} */ let engine = null;

  /**
   * A wasm the loader found in the browser's cache, checked by the browser as it is read there;
   * or, if it is no longer held or not the pinned file, downloaded and checked here.
   * @param {string} url @param {HandedFile} file @param {string} name
   */
  async function fromCacheOrChecked(url, file, name) {
    try {
      return await networkFetch(url, { cache: "only-if-cached", mode: "same-origin", integrity: file.integrity });
    } catch {
      const bytes = await (await networkFetch(url)).arrayBuffer();
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      if ([...digest].map((byte) => byte.toString(16).padStart(2, "0")).join("") !== file.sha256) {
        throw new Error(`${name} is not the file this site was built with (sha256 differs)`);
      }
      return new Response(bytes, { headers: { "Content-Type": "application/wasm" } });
    }
  }

  /** @param {{pyodideURL: string, lockfile: string, files: HandedFile[]}} data */
  async function load({ pyodideURL, lockfile, files }) {
    /** @type {Map<string, HandedFile>} */ const served = new Map();
    for (const file of files) if (!file.path) served.set(file.url, file);
    // Pyodide asks for the wasm and the standard library: each is answered once, from what the
    // loader handed over. Nothing else is fetched, and a file that cannot be read ends the start.
    scope.fetch = (/** @type {RequestInfo | URL} */ input) => {
      const url = new URL(input instanceof Request ? input.url : String(input), pyodideURL).href;
      const file = served.get(url);
      served.delete(url);
      if (!file) return Promise.reject(new TypeError(`the scorer loads only its checked files, not ${url}`));
      const name = url.slice(url.lastIndexOf("/") + 1);
      const type = url.endsWith(".wasm") ? "application/wasm" : "application/octet-stream";
      const response = file.body
        ? Promise.resolve(new Response(file.body, { headers: { "Content-Type": type } }))
        : fromCacheOrChecked(url, file, name);
      response.catch((/** @type {any} */ error) => {
        const why = String(error?.message ?? error);
        reply("failed", { error: why.startsWith(name) ? why : `${name}: ${why}` });
      });
      return response;
    };
    const pyodide = await loadPyodide({
      indexURL: pyodideURL,
      createPyodideModule, // the checked pyodide.asm.mjs: Pyodide imports nothing by URL
      lockFileContents: lockfile, // Pyodide's own ABI info, no packages: nothing else to fetch
      // The engine's checked files go into site-packages before Python starts.
      fsInit: async (/** @type {any} */ FS, /** @type {{sitePackages: string}} */ { sitePackages }) => {
        for (const { path, body } of files) {
          if (!path || !body) continue;
          const target = `${sitePackages}/${path}`;
          FS.mkdirTree(target.slice(0, target.lastIndexOf("/")));
          FS.writeFile(target, new Uint8Array(await new Response(body).arrayBuffer()));
        }
      },
    });
    engine = pyodide.pyimport("brickbybrick.engine");
    dropNetwork(scope);
    for (let owner = scope; owner; owner = Object.getPrototypeOf(owner)) delete owner.postMessage;
    if ("postMessage" in scope) throw new Error("the scorer could not take away postMessage");
  }

  scope.addEventListener("message", async (/** @type {MessageEvent} */ { data }) => {
    switch (data?.type) {
      case "load":
        try {
          await load(data);
          reply("loaded", {});
        } catch (error) {
          reply("failed", { error: String((error && /** @type {any} */ (error).message) || error) });
        }
        return;
      case "score":
        try {
          const output = engine.score_json(data.spec, JSON.stringify(data.answers));
          reply("scored", { id: data.id, ...JSON.parse(output) });
        } catch (error) {
          reply("scored", { id: data.id, ok: false, error: String(error) });
        }
        return;
      default:
        reply("error", { id: data?.id, error: `Python's worker: unknown message type ${JSON.stringify(data?.type)}` });
    }
  });
}

/** @type {() => void} */
let pageLoaded = () => {};
/** Resolves on the page's "start": compiling and starting Python would slow the page's own start. */
const started = new Promise((resolve) => (pageLoaded = () => resolve(undefined)));

/** A JavaScript module made of `parts`, as a blob: URL. @param {BlobPart[]} parts */
const moduleURL = (parts) => URL.createObjectURL(new Blob(parts, { type: "text/javascript" }));

/** @param {{pyodideURL: string, engineURL: string, lockfile: string, files: Record<string, {sha256: string, bytes: number}>}} options */
async function init({ pyodideURL, engineURL, lockfile, files }) {
  const { all, modules, files: handed } = await startChecked(pyodideURL, engineURL, files);
  // Pyodide only logs a wasm or standard library it could not use, and would wait forever:
  // a refused file ends the start at once, with its reason.
  const refused = all.then(() => new Promise(() => {}));
  /** @type {unknown} */ let refusal = null;
  refused.catch((error) => (refusal = error));
  await started;
  // A module that cannot be read was refused (its stream errors with a bare "Failed to fetch"):
  // the reason comes from its check.
  const [pyodideModule, asmModule] = await Promise.race([modules, refused]).catch(async (error) => {
    await all;
    throw error;
  });
  // A module worker's static imports are held to worker-src ('self' blob:), where the import()
  // of a blob: URL would be held to script-src and refused: Python's worker starts from a
  // bootstrap importing the two modules' checked bytes.
  const urls = [moduleURL([pyodideModule]), moduleURL([asmModule])];
  urls.push(
    moduleURL([
      `import * as pyodide from ${JSON.stringify(urls[0])};\n`,
      `import createPyodideModule from ${JSON.stringify(urls[1])};\n`,
      `${dropNetwork}\n`,
      `(${pythonWorker})(pyodide.loadPyodide, createPyodideModule, ${PROTOCOL_VERSION});\n`,
    ]),
  );
  const worker = new Worker(urls[2], { type: "module", name: "brickbybrick-python" });
  const loaded = new Promise((resolve, reject) => {
    worker.onmessage = ({ data }) => (data?.type === "loaded" ? resolve(undefined) : reject(new Error(data?.error)));
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(event.message || "Python's worker could not start"));
    };
  });
  const bodies = handed.flatMap((file) => (file.body ? [file.body] : []));
  worker.postMessage(message("load", { pyodideURL, lockfile, files: handed }), bodies);
  try {
    await Promise.race([loaded, refused]);
    await all;
  } catch (error) {
    worker.terminate();
    // Python's worker fails too when a file it reads is refused: the refusal is the reason.
    await new Promise((resolve) => setTimeout(resolve, 0));
    throw refusal ?? error;
  } finally {
    urls.forEach((url) => URL.revokeObjectURL(url));
  }
  worker.onmessage = ({ data }) => {
    const problem = problemWith(data);
    self.postMessage(problem ? message("error", { error: `Python's worker sent ${problem}` }) : data);
  };
  worker.onerror = (event) => {
    event.preventDefault();
    self.postMessage(message("error", { error: event.message || "Python's worker stopped" }));
  };
  python = worker;
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
      if (!python) return message("scored", { id: data.id, ok: false, error: "the scorer is not ready" });
      if (spec === undefined) return message("scored", { id: data.id, ok: false, error: `unknown quiz ${data.quiz}` });
      python.postMessage(message("score", { id: data.id, spec, answers: data.answers }));
      return null; // Python's worker answers
    }
    default:
      return message("error", { id: data.id, error: `scorer worker: unknown message type ${JSON.stringify(data.type)}` });
  }
}

self.addEventListener("message", async (event) => {
  const reply = await handle(event.data);
  if (reply) self.postMessage(reply);
});
