"""The build's check of a quiz's Python extension (issue 20): only imports it can read, of
modules the scorer has, and none of the ways out to the browser or to code made from text.

It is a reviewer's check, not a sandbox: the scorer in the browser has no network once Python
has started (tests/browser/test_scorer_isolation.py), whatever gets past this.
"""

from __future__ import annotations

import re

import pytest

from brickbybrick.plugin.runtime import scorer_modules
from brickbybrick.quizfile import QuizError, check_imports

AVAILABLE = scorer_modules()
NAME = "quizzes/ext.py"

REFUSED = [
    ("import js", 1, "import js: an extension cannot reach the browser"),
    ("import math\nfrom js import fetch", 2, "import js: an extension cannot reach the browser"),
    ("import js.globalThis", 1, "import js.globalThis: an extension cannot reach the browser"),
    ("import pyodide", 1, "import pyodide: an extension cannot reach the browser"),
    ("from pyodide.ffi import to_js", 1, "import pyodide.ffi: an extension cannot reach the browser"),
    ("from pyodide.http import pyfetch", 1, "import pyodide.http: an extension cannot reach the browser"),
    ("import pyodide_js", 1, "import pyodide_js: an extension cannot reach the browser"),
    ("import _pyodide._base", 1, "import _pyodide._base: an extension cannot reach the browser"),
    ("import micropip", 1, "import micropip: an extension cannot reach the browser"),
    ("import importlib", 1, "import importlib: an extension imports a module only with an import statement"),
    ("from importlib import import_module", 1, "import importlib: an extension imports a module only"),
    ("import importlib.util", 1, "import importlib.util: an extension imports a module only"),
    ("import builtins", 1, "import builtins: an extension imports a module only"),
    ("import _imp", 1, "import _imp: an extension imports a module only"),
    (
        '\n\nm = __import__("js")',
        3,
        "__import__: an extension imports a module only with an import statement",
    ),
    ('def interpret(r, a):\n    return __import__("j" + "s")', 2, "__import__: an extension imports"),
    ('import math\nmath.__builtins__["__import__"]', 2, "__builtins__: an extension imports"),
    ("__builtins__", 1, "__builtins__: an extension imports"),
    ("x = ().__class__.__base__.__subclasses__()", 1, "__subclasses__: an extension imports"),
    ("def f(): pass\ng = f.__globals__", 2, "__globals__: an extension imports"),
    ("import sys\nj = sys.modules['js']", 2, "sys.modules: an extension imports"),
    ("from sys import modules", 1, "from sys import modules: an extension imports"),
    ('exec("import js")', 1, "exec: an extension may not run code made from text"),
    ('eval("1")', 1, "eval: an extension may not run code made from text"),
    ('code = compile("1", "x", "eval")', 1, "compile: an extension may not run code made from text"),
    ("run = exec", 1, "exec: an extension may not run code made from text"),
    ("breakpoint()", 1, "breakpoint: an extension may not run code made from text"),
    ("import requests", 1, "import requests: the scorer in the browser has no such module"),
    ("import urllib.request", 1, "import urllib.request: the scorer in the browser has no such module"),
    ("import socket", 1, "import socket: an extension cannot reach the browser or the network"),
    ("from ssl import create_default_context", 1, "import ssl: an extension cannot reach the browser"),
    ("import marshal", 1, "import marshal: an extension may not run code made from text"),
    ("import codeop", 1, "import codeop: an extension may not run code made from text"),
    ("def interpret(:\n", 1, "syntax error"),
    # The first by line, though a nested one comes later in a walk of the tree.
    ("def interpret(r, a):\n    return eval('1')\n\nimport js", 2, "eval: an extension may not run code"),
]

ALLOWED = [
    "import math\nimport statistics\nfrom json import dumps",
    "import json.decoder",
    "import re\nPATTERN = re.compile(r'x+')",  # re.compile is not the built-in compile
    "import sys\nversion = sys.version_info",
    "def interpret(result, answers):\n    return [{'heading': 'h', 'text': str(len(answers))}]",
    "class Model:\n    def eval(self):\n        return 1",  # a method named eval is not the built-in
]


@pytest.mark.parametrize(("source", "line", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_refused_at_its_line(source: str, line: int, message: str) -> None:
    """Each way out of pure computation fails the build as ``file:line: what: why``."""
    with pytest.raises(QuizError, match=f"^{re.escape(f'{NAME}:{line}: {message}')}"):
        check_imports(source, NAME, AVAILABLE)


@pytest.mark.parametrize("source", ALLOWED)
def test_plain_standard_library_code_passes(source: str) -> None:
    """An extension that imports what the scorer has, by import statements, passes."""
    check_imports(source, NAME, AVAILABLE)


def test_the_guides_own_extensions_pass() -> None:
    """Every extension shipped with the guide and the test fixtures passes the check."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    sources = [*root.glob("quizzes/*.py"), *root.glob("tests/fixtures/*/*.py")]
    assert sources
    for path in sources:
        check_imports(path.read_text(encoding="utf-8"), str(path), AVAILABLE)
