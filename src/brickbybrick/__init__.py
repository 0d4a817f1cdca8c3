"""Brick by Brick: a static guide generator with self-assessments scored in the browser.

The scoring engine (:mod:`brickbybrick.engine`) imports only the standard library so the
very same module runs under CPython (tests, build-time checks) and under Pyodide (the
reader's browser). Everything that needs third-party packages (YAML loading, Markdown,
MkDocs integration) lives in other modules that the browser never imports.
"""

__version__ = "0.1.0"
