"""``make bench``: figures for this machine, measured side by side in one run.

The site's quiz page is compared with a bare page that only starts the same self-hosted
Pyodide in a module worker (``benchmarks/baseline/``); the site's build is compared with
plain Material building the same ``docs/``. Targets are reported as met or missed, never
asserted. Entry point: ``python -m benchmarks.run`` (writes ``BENCHMARKS.md``).
"""
