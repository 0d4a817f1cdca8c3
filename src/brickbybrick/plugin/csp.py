"""A strict Content-Security-Policy for every page, hashing exactly the inline scripts it trusts.

Standard library only. The policy goes into each page as a ``<meta http-equiv>`` tag (first
thing in ``<head>``, before any script) and, for hosts that can send headers, into a
``_headers`` file (Netlify / Cloudflare Pages format) whose policy allows the union of the
hashes and adds what a meta tag cannot say (``frame-ancestors``) and what only a header can do
(HSTS, a Permissions-Policy, cross-origin isolation of the window). Which inline scripts are
trusted is decided by :mod:`brickbybrick.plugin.guard` (the theme's, recognised, and the plugin's).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

__all__ = [
    "HEADER_EXTRAS",
    "add_meta_policy",
    "headers_file",
    "policy",
    "script_hash",
    "set_meta_policy",
]

META_CHARSET = re.compile(r"<meta charset=[\"']?utf-8[\"']?\s*/?>", re.IGNORECASE)
HEADER_EXTRAS = {
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    # No powerful feature is used by a guide: each is off for the page and anything it embeds.
    "Permissions-Policy": ", ".join(
        f"{feature}=()"
        for feature in (
            "accelerometer",
            "autoplay",
            "bluetooth",
            "browsing-topics",
            "camera",
            "display-capture",
            "geolocation",
            "gyroscope",
            "hid",
            "idle-detection",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    ),
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    # HTTPS only for a year, this host only: includeSubDomains could break other sites of the
    # guide's domain, and preload is a decision for the domain's owner.
    "Strict-Transport-Security": "max-age=31536000",
    "X-Frame-Options": "DENY",
}


def script_hash(body: str) -> str:
    """The ``'sha256-…'`` source that allows one inline script."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def policy(script_hashes: Iterable[str], *, header: bool = False) -> str:
    """The policy text; ``header`` adds the directives that only work as an HTTP header."""
    directives = [
        "default-src 'self'",
        "script-src " + " ".join(["'self'", "'wasm-unsafe-eval'", *sorted(set(script_hashes))]),
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self' blob:",  # the scorer starts from a blob: module, inheriting this policy
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    if header:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)


META_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')


def set_meta_policy(html: str, script_hashes: Iterable[str]) -> str:
    """Replace a page's policy with one allowing ``script_hashes``.

    The site uses one policy everywhere: with ``navigation.instant`` the first page's policy
    stays in force while Material runs inline scripts of the pages that follow.
    """
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(script_hashes)}">'
    return META_POLICY.sub(lambda _: tag, html, count=1)


def add_meta_policy(html: str, trusted_scripts: Iterable[str]) -> str:
    """Insert the page's policy, allowing ``trusted_scripts``, right after ``<meta charset>``."""
    hashes = [script_hash(body) for body in trusted_scripts]
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(hashes)}">'
    tag += '<meta name="referrer" content="no-referrer">'
    match = META_CHARSET.search(html)
    if match is None:
        raise ValueError("page has no <meta charset> to place the Content-Security-Policy after")
    return html[: match.end()] + tag + html[match.end() :]


#: Paths of pages (directory URLs and .html files): never stored, so Back cannot bring answers back.
PAGE_PATHS = ("/", "/*/", "/*.html")


def headers_file(script_hashes: Iterable[str]) -> str:
    """A ``_headers`` file (Netlify / Cloudflare Pages): the policy and safe defaults on every path,
    ``Cache-Control: no-store`` on pages."""
    lines = ["/*", f"  Content-Security-Policy: {policy(script_hashes, header=True)}"]
    lines += [f"  {name}: {value}" for name, value in HEADER_EXTRAS.items()]
    for path in PAGE_PATHS:
        lines += [path, "  Cache-Control: no-store"]
    return "\n".join(lines) + "\n"
