"""A synthetic SCO that runs a script of run-time API calls and records
what each returned, for the conformance and unload tests.

The package comes from ``synthetic_scorm12_package`` (manifest, mastery
score, launch data); only its SCO page is swapped for the scripted one.
"""
from __future__ import annotations

import io
import json
import zipfile

from scormapi.packages.synthetic import build_zip, synthetic_scorm12_package

SCO_PAGE = "sco1/index.html"

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Scripted SCO</title></head>
<body>
<h1>Scripted SCO</h1>
<pre id="results"></pre>
<script>
var STEPS = %s;
function findApi(win) {
  for (var hops = 0; win && hops < 10; hops++) {
    if (win.API) return win.API;
    if (win.parent === win) break;
    win = win.parent;
  }
  return window.opener ? findApi(window.opener) : null;
}
var api = findApi(window);
var results = STEPS.map(function (step) {
  var value = api[step[0]].apply(api, step.slice(1));
  return [value, api.LMSGetLastError()];
});
var out = document.getElementById("results");
out.textContent = JSON.stringify(results);
out.setAttribute("data-done", "true");
</script>
</body>
</html>
"""


def scripted_package(steps: list[list], extra_files: dict[str, str] | None = None, **sco) -> bytes:
    """A one-SCO package (``item_1``) whose page runs ``steps``: each a list
    [API function name, *arguments]; ``extra_files`` are added as they are."""
    spec = {"identifier": "item_1", "title": "Scripted SCO", "href": SCO_PAGE, **sco}
    with zipfile.ZipFile(io.BytesIO(synthetic_scorm12_package("Scripted course", [spec]))) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    # "</" cannot end the script early once escaped.
    files[SCO_PAGE] = _PAGE % json.dumps(steps).replace("</", "<\\/")
    files.update(extra_files or {})
    return build_zip(files)


def run_script(tab) -> list[list]:
    """[returned value, LMSGetLastError()] per step, once the page has run."""
    results = tab.content().locator("#results[data-done]")
    return json.loads(results.inner_text())
