// @ts-check
// The one definition of the messages between a page (quiz.js) and the scorer worker
// (scorer-worker.js). Every message carries the protocol version; errors travel as data.
//
//   page -> worker  init      {pyodideURL, engineURL,      load Pyodide and the engine, each file
//                              lockfile, files}            checked against its sha256 first
//                   start     {}                           the page has loaded: start Python now
//                                                           (files download from init on; the CPU
//                                                           work waits for the page's own)
//                   register  {quiz, spec}                 a quiz's spec, once per quiz
//                   score     {id, quiz, answers}          score answers against a registered quiz
//   worker -> page  progress  {received, total}            bytes of the scorer's files so far
//                   ready | failed {error}
//                   scored    {id, ok, result?, html?, error?}
//                   error     {id?, error}                 a message the worker cannot take
//
// Inside the scorer, the worker above (the loader: downloads and checks) talks to the worker it
// starts for Python (scorer-worker.js, pythonWorker), which answers "score" for it:
//   loader -> Python  load    {pyodideURL, lockfile,       the checked files, as streams (an
//                              files}                       engine file with its path)
//                     score   {id, spec, answers}          spec as JSON text
//   Python -> loader  loaded | failed {error}              Python and the engine are loaded and
//                                                           the network is gone, or why not
//                     scored  {id, ok, ...}                passed on to the page as it is

export const PROTOCOL_VERSION = 3;

/**
 * @typedef {{v: number, type: "init", pyodideURL: string, engineURL: string, lockfile: string, files: Record<string, {sha256: string, bytes: number, sent: number}>}} InitMessage
 * @typedef {{v: number, type: "start"}} StartMessage
 * @typedef {{v: number, type: "register", quiz: string, spec: object}} RegisterMessage
 * @typedef {{v: number, type: "score", id: number, quiz: string, answers: Record<string, string | null>}} ScoreMessage
 * @typedef {InitMessage | StartMessage | RegisterMessage | ScoreMessage} ToWorker
 * @typedef {{v: number, type: "progress", received: number, total: number}} ProgressMessage
 * @typedef {{v: number, type: "ready"}} ReadyMessage
 * @typedef {{v: number, type: "failed", error: string}} FailedMessage
 * @typedef {{v: number, type: "scored", id: number, ok: boolean, result?: any, html?: string, error?: string}} ScoredMessage
 * @typedef {{v: number, type: "error", id?: number, error: string}} ErrorMessage
 * @typedef {ProgressMessage | ReadyMessage | FailedMessage | ScoredMessage | ErrorMessage} FromWorker
 * @typedef {{url: string, path?: string, body?: ReadableStream<Uint8Array>, sha256?: string, integrity?: string}} HandedFile
 * @typedef {{v: number, type: "load", pyodideURL: string, lockfile: string, files: HandedFile[]}} LoadMessage
 * @typedef {{v: number, type: "score", id: number, spec: string, answers: Record<string, string | null>}} PythonScoreMessage
 * @typedef {LoadMessage | PythonScoreMessage} ToPython
 * @typedef {{v: number, type: "loaded"}} LoadedMessage
 * @typedef {LoadedMessage | FailedMessage | ScoredMessage | ErrorMessage} FromPython
 */

/**
 * A message of this protocol's version.
 * @template {object} T
 * @param {string} type
 * @param {T} fields
 */
export function message(type, fields) {
  return Object.assign({ v: PROTOCOL_VERSION, type }, fields);
}

/**
 * Why a received message cannot be taken, or null when it can.
 * @param {any} data
 * @returns {string | null}
 */
export function problemWith(data) {
  if (!data || typeof data !== "object" || typeof data.type !== "string") return "not a protocol message";
  if (data.v !== PROTOCOL_VERSION) return `protocol version ${JSON.stringify(data.v)}, expected ${PROTOCOL_VERSION}`;
  return null;
}
