// Which standard-library files does the scorer need? Run real Pyodide (the pinned npm package,
// under Node) through everything the scorer does in a browser, and list the files it imported.
// Then compile each of them with that same Python (so the bytecode is Pyodide's own): the
// browser then imports bytecode instead of compiling source on every page load.
// The engine's own modules are compiled there too (checked hash-based .pyc, kept beside them).
// Used when the package is made (scripts/vendor_pyodide.py); a guide's build never needs Node.
//
// Usage: node scripts/trace-stdlib.mjs ENGINE_DIR CASES.json ALLOWANCE > traced.json
//   ENGINE_DIR  the engine's files as the site ships them (brickbybrick/__init__.py, engine.py)
//   CASES.json  [{"spec": {...}, "answers": {...}}, ...]: every quiz, scored (extensions run)
//   ALLOWANCE   comma-separated modules an extension may import (imported here too)
// Output: {"python", "cache_tag", "files", "modules", "builtins", "compiled": {"name.pyc": base64, ...},
//          "engine_compiled": {"brickbybrick/engine.py": base64 .pyc, ...}}
import { readFile } from "node:fs/promises";
import { loadPyodide } from "pyodide";
import { engineInstaller } from "./engine-files.mjs";

const [engineDir, casesPath, allowance] = process.argv.slice(2);
// As in the browser: the engine's files are written into site-packages before Python starts.
const pyodide = await loadPyodide({
  fsInit: await engineInstaller(engineDir),
  stdout: () => {},
  stderr: (line) => process.stderr.write(line + "\n"),
});
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
files = sorted(set(from_zip.values()))
builtins = sorted(sys.builtin_module_names)

# Traced above; what follows only compiles.
import base64, importlib.util, zipfile
from importlib._bootstrap_external import _code_to_hash_pyc

def stripped(code):
    # Without line tables and file names: about 30% smaller, and runs the same (a traceback
    # through the standard library shows no line numbers).
    consts = tuple(stripped(c) if isinstance(c, type(code)) else c for c in code.co_consts)
    return code.replace(co_linetable=b"", co_filename="", co_consts=consts)

compiled = {}
with zipfile.ZipFile(prefix.rstrip("/")) as stdlib:
    for name in files:
        if name.endswith(".py"):
            source = stdlib.read(name)
            code = stripped(compile(source, name, "exec", dont_inherit=True, optimize=2))
            # Unchecked hash-based .pyc: valid with no source beside it.
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)
            compiled[name + "c"] = base64.b64encode(pyc).decode()

# The engine's own modules too, as checked hash-based .pyc beside their source (line numbers
# kept): Python uses one only while its source is byte for byte the one it was compiled from.
import os
engine_compiled = {}
for folder, _, names in os.walk(site_packages := __import__("sysconfig").get_paths()["purelib"]):
    for name in names:
        if name.endswith(".py") and "brickbybrick" in folder:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                source = handle.read()
            relative = os.path.relpath(path, site_packages)
            code = compile(source, relative, "exec", dont_inherit=True)
            pyc = _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=True)
            engine_compiled[relative] = base64.b64encode(pyc).decode()

json.dumps({
    "python": sys.version.split()[0],
    "cache_tag": sys.implementation.cache_tag,
    "engine_compiled": engine_compiled,
    "files": files,
    "modules": sorted(from_zip),
    "builtins": builtins,
    "compiled": compiled,
})
`);
process.stdout.write(output);
