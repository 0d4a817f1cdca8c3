// The engine's files into Pyodide's site-packages before Python starts, as the scorer worker
// does it (its fsInit): for the runs under Node (tests, the standard-library trace).
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";

/** An ``fsInit`` for loadPyodide that writes every file under ``engineDir`` into site-packages. */
export async function engineInstaller(engineDir) {
  const paths = (await readdir(engineDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(engineDir.replace(/\/$/, "").length + 1));
  const files = await Promise.all(paths.map(async (path) => ({ path, bytes: await readFile(join(engineDir, path)) })));
  return (FS, { sitePackages }) => {
    for (const { path, bytes } of files) {
      const target = `${sitePackages}/${path}`;
      FS.mkdirTree(target.slice(0, target.lastIndexOf("/")));
      FS.writeFile(target, new Uint8Array(bytes));
    }
  };
}
