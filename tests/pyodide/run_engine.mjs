// Runs the engine inside real Pyodide (the npm package, under Node) and prints JSON.
// Usage: node run_engine.mjs ENGINE_DIR CASES.json STDLIB.zip
// ENGINE_DIR: the engine's files as the site ships them (brickbybrick/__init__.py, engine.py).
// STDLIB.zip: the trimmed standard library the site ships (the package's python_stdlib.zip).
// CASES.json: [{"spec": {...}, "answers": {...}}, ...]. For each case it prints the engine's
// score_json output, so the caller can compare it, byte for byte, with CPython's.
import { readFile } from "node:fs/promises";
import { loadPyodide } from "pyodide";
import { engineInstaller } from "../../scripts/engine-files.mjs";

const [engineDir, casesPath, stdLibURL] = process.argv.slice(2);
const pyodide = await loadPyodide({
  stdLibURL,
  fsInit: await engineInstaller(engineDir),
  stdout: () => {},
  stderr: (line) => process.stderr.write(line + "\n"),
});
pyodide.globals.set("cases_json", await readFile(casesPath, "utf8"));
const output = pyodide.runPython(`
import json, sys

# Before the import (which would write .pyc of its own): each .pyc shipped beside the engine
# is a checked hash-based one of exactly the source beside it, so Python uses it.
import importlib.util, os
sys.dont_write_bytecode = True
bytecode = {}
package = os.path.join(next(p for p in sys.path if p.endswith("site-packages")), "brickbybrick")
for name in sorted(os.listdir(os.path.join(package, "__pycache__"))):
    with open(os.path.join(package, "__pycache__", name), "rb") as handle:
        pyc = handle.read()
    with open(os.path.join(package, name.split(".")[0] + ".py"), "rb") as handle:
        source = handle.read()
    flags = int.from_bytes(pyc[4:8], "little")
    bytecode[name] = {"checked_hash": flags == 3, "matches_source": pyc[8:16] == importlib.util.source_hash(source)}

import brickbybrick.engine as engine

# The engine must need nothing beyond Pyodide's standard library.
third_party = sorted(m for m in sys.modules if m.split(".")[0] in {"yaml", "markdown", "mkdocs", "jinja2"})

json.dumps({
    "python": sys.version.split()[0],
    "bytecode": bytecode,
    "unittest_importable": __import__("importlib.util").util.find_spec("unittest") is not None,
    "platform": sys.platform,
    "third_party": third_party,
    "outputs": [engine.score_json(json.dumps(c["spec"]), json.dumps(c["answers"])) for c in json.loads(cases_json)],
})
`);
process.stdout.write(output);
