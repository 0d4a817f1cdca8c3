// Which standard-library files does the scorer need? Run real Pyodide (the pinned npm package,
// under Node) through everything the scorer does in a browser, and list the files it imported.
// Used when the package is made (python -m brickbybrick.plugin.runtime vendor); a guide's
// build never needs Node.
//
// Usage: node scripts/trace-stdlib.mjs ENGINE.whl CASES.json ALLOWANCE > traced.json
//   CASES.json  [{"spec": {...}, "answers": {...}}, ...]: every quiz, scored (extensions run)
//   ALLOWANCE   comma-separated modules an extension may import (imported here too)
import { readFile } from "node:fs/promises";
import { loadPyodide } from "pyodide";

const [wheelPath, casesPath, allowance] = process.argv.slice(2);
const pyodide = await loadPyodide({ stdout: () => {}, stderr: (line) => process.stderr.write(line + "\n") });
// The browser installs the engine with loadPackage: trace that path, not a plain unpack.
await pyodide.loadPackage(wheelPath, { messageCallback: () => {}, errorCallback: (m) => process.stderr.write(m + "\n") });
pyodide.globals.set("cases_json", await readFile(casesPath, "utf8"));
pyodide.globals.set("allowance", allowance);
try {
  pyodide.runPython("raise ValueError('traced: an error crossing into JavaScript')");
} catch {
  // the traceback machinery is now imported, as it would be for any error reaching JavaScript
}
const output = pyodide.runPython(`
import importlib, json, sys
import brickbybrick.engine as engine

for case in json.loads(cases_json):
    engine.score_json(json.dumps(case["spec"]), json.dumps(case["answers"]))
for name in filter(None, allowance.split(",")):
    importlib.import_module(name)

prefix = "/lib/python%d%d.zip/" % sys.version_info[:2]
from_zip = {
    name: module.__file__[len(prefix):]
    for name, module in list(sys.modules.items())
    if (getattr(module, "__file__", None) or "").startswith(prefix)
}
json.dumps({
    "python": sys.version.split()[0],
    "files": sorted(set(from_zip.values())),
    "modules": sorted(from_zip),
    "builtins": sorted(sys.builtin_module_names),
})
`);
process.stdout.write(output);
