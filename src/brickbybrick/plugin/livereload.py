"""Live reload under ``mkdocs serve``, within the site's Content-Security-Policy.

MkDocs' server writes an inline script into every page it serves, with two numbers in its
text (the build's epoch and a request id): a different script each time, which no hash in a
strict policy can allow. Here the server writes one fixed script instead, which reads the two
numbers from its own ``data-*`` attributes: the policy of a served site allows its hash. A built
site never has it: the hash is added only when the plugin starts under ``serve``.
"""

from __future__ import annotations

import logging
import time
from typing import Any

__all__ = ["SCRIPT", "forget_logged_errors", "install"]

log = logging.getLogger("mkdocs.plugins.brickbybrick")

#: The page's side of MkDocs' live reload (its ``livereload`` function, as MkDocs 1.6 writes it),
#: started with the numbers the server puts on the script element.
SCRIPT = """(function (script) {
var epoch = parseFloat(script.dataset.epoch), requestId = script.dataset.request;
var req, timeout;
var poll = function () {
  req = new XMLHttpRequest();
  req.onloadend = function () {
    if (parseFloat(this.responseText) > epoch) {
      location.reload();
    } else {
      timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
    }
  };
  req.open("GET", "/livereload/" + epoch + "/" + requestId);
  req.send();
};
var stop = function () {
  if (req) req.abort();
  if (timeout) clearTimeout(timeout);
  req = timeout = undefined;
};
window.addEventListener("load", function () {
  if (document.visibilityState === "visible") poll();
});
window.addEventListener("visibilitychange", function () {
  if (document.visibilityState === "visible") poll(); else stop();
});
window.addEventListener("beforeunload", stop);
})(document.currentScript);"""


def install(server: Any) -> None:
    """Make ``server`` (MkDocs' LiveReloadServer) write :data:`SCRIPT` into the pages it serves."""
    if not callable(getattr(server, "_inject_js_into_html", None)):
        log.warning(
            "this MkDocs serves pages in a way the plugin does not know: live reload may be blocked by "
            "the site's Content-Security-Policy (reload the page by hand)"
        )
        return

    def inject(content: bytes, epoch: int) -> bytes:
        try:
            body_end = content.rindex(b"</body>")
        except ValueError:
            body_end = len(content)
        request_id = int(time.monotonic() * 1000)
        tag = f'<script data-epoch="{int(epoch)}" data-request="{request_id}">{SCRIPT}</script>'
        return content[:body_end] + tag.encode() + content[body_end:]

    server._inject_js_into_html = inject


def forget_logged_errors() -> None:
    """Let a rebuild repeat the errors the last build logged.

    MkDocs drops a log message it has logged before in the same process (its ``DuplicateFilter``),
    so under ``serve`` the same mistake made twice printed only "Aborted with a BuildError!" the
    second time, without the file and line that say where to look.
    """
    for name in ("mkdocs.commands.build", "properdocs.commands.build"):
        for log_filter in logging.getLogger(name).filters:
            seen = getattr(log_filter, "msgs", None)
            if isinstance(seen, set):
                seen.clear()
