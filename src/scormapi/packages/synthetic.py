"""Small, valid SCORM 1.2 packages generated in memory.

Tests across the project and the demo command need packages they can build
in code (third-party courses never go into the repository). Each SCO page is
a real, minimal SCO: it finds the LMS's ``API`` object the standard ADL way,
initializes, marks itself incomplete on first launch, and offers "Complete"
and "Suspend" buttons that report status, score, session time and exit
before LMSFinish. Leaving the page also finishes the session.

A SCO is described by a dict; every key is optional:

    identifier, title, href, parameters,
    mastery_score, data_from_lms, max_time_allowed, time_limit_action,
    score   raw score the "Complete" button reports ("" = none),
    status  lesson_status it reports (default "passed" with a score,
            "completed" without),
    visible False hides the item from the table of contents.

A dict with ``children`` (a list of such dicts) is a cluster (module) with
only ``identifier``, ``title`` and ``visible``. Unknown keys raise
ValueError, so a typo in a test never silently builds the wrong course.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from html import escape as html_escape
from string import Template
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

# A fixed timestamp makes the same inputs produce byte-identical zips.
ZIP_TIMESTAMP = (2020, 1, 1, 0, 0, 0)
SCO_KEYS = frozenset(
    {
        "identifier", "title", "href", "parameters", "mastery_score", "data_from_lms",
        "max_time_allowed", "time_limit_action", "score", "status", "visible",
    }
)
CLUSTER_KEYS = frozenset({"identifier", "title", "children", "visible"})
STATUSES = frozenset({"passed", "completed", "failed", "incomplete", "browsed"})
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
# In the order the SCORM 1.2 adlcp schema lists them inside <item>.
_ITEM_EXTENSIONS = (
    ("max_time_allowed", "maxtimeallowed"),
    ("time_limit_action", "timelimitaction"),
    ("data_from_lms", "datafromlms"),
    ("mastery_score", "masteryscore"),
)


def build_zip(files: dict[str, bytes | str]) -> bytes:
    """A deflated zip of ``files`` (name -> content; text is UTF-8)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(_zip_info(name), data)
    return buffer.getvalue()


def _zip_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIMESTAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def synthetic_scorm12_package(title: str, scos: list[dict]) -> bytes:
    """A SCORM 1.2 package: manifest plus one launch page per SCO."""
    course = _Course()
    items = [course.item(spec, depth=3) for spec in scos]
    if not course.resources:
        raise ValueError("a synthetic package needs at least one SCO")
    manifest = _manifest_xml(title, items, course.resources)
    return build_zip({"imsmanifest.xml": manifest, **course.pages})


@dataclass
class _Course:
    """Collects the manifest fragments and pages while items are built."""

    resources: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    identifiers: set[str] = field(default_factory=set)
    sco_count: int = 0
    cluster_count: int = 0

    def item(self, spec: dict, depth: int) -> str:
        if "children" in spec:
            return self._cluster(spec, depth)
        return self._sco(spec, depth)

    def _cluster(self, spec: dict, depth: int) -> str:
        _check_keys(spec, CLUSTER_KEYS)
        self.cluster_count += 1
        identifier = self._identifier(spec, f"module_{self.cluster_count}")
        title = str(spec.get("title", f"Module {self.cluster_count}"))
        children = [self.item(child, depth + 1) for child in spec["children"]]
        if not children:
            raise ValueError(f"cluster {identifier!r} has no children")
        lines = [_element("title", title, depth + 1), *children]
        return _item_xml(f"identifier={quoteattr(identifier)}{_visibility(spec)}", lines, depth)

    def _sco(self, spec: dict, depth: int) -> str:
        _check_keys(spec, SCO_KEYS)
        self.sco_count += 1
        identifier = self._identifier(spec, f"item_{self.sco_count}")
        title = str(spec.get("title", f"SCO {self.sco_count}"))
        href = _checked_href(str(spec.get("href", f"sco{self.sco_count}/index.html")))
        if href in self.pages:
            raise ValueError(f"two SCOs use the launch page {href!r}")
        self.pages[href] = sco_page(title, _text(spec, "score"), _status(spec))
        self.resources.append(_resource_xml(f"res_{identifier}", href))
        attributes = f"identifier={quoteattr(identifier)} identifierref={quoteattr('res_' + identifier)}"
        if spec.get("parameters"):
            attributes += f" parameters={quoteattr(str(spec['parameters']))}"
        lines = [_element("title", title, depth + 1)]
        lines += [
            _element(f"adlcp:{tag}", _text(spec, key), depth + 1) for key, tag in _ITEM_EXTENSIONS if _text(spec, key)
        ]
        return _item_xml(attributes + _visibility(spec), lines, depth)

    def _identifier(self, spec: dict, default: str) -> str:
        identifier = str(spec.get("identifier", default))
        if not _IDENTIFIER.match(identifier):
            raise ValueError(f"identifier {identifier!r} is not a valid XML identifier")
        if identifier in self.identifiers:
            raise ValueError(f"identifier {identifier!r} is used twice")
        self.identifiers.add(identifier)
        return identifier


def _check_keys(spec: dict, allowed: frozenset[str]) -> None:
    unknown = set(spec) - allowed
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}; allowed: {sorted(allowed)}")


def _text(spec: dict, key: str) -> str:
    value = spec.get(key)
    return "" if value is None else str(value)


def _status(spec: dict) -> str:
    status = _text(spec, "status") or ("passed" if _text(spec, "score") else "completed")
    if status not in STATUSES:
        raise ValueError(f"status {status!r} is not one of {sorted(STATUSES)}")
    return status


def _checked_href(href: str) -> str:
    parts = href.split("/")
    if href.startswith("/") or "\\" in href or any(part in ("", ".", "..") for part in parts) or "?" in href:
        raise ValueError(f"href {href!r} must be a plain relative file path")
    return href


def _visibility(spec: dict) -> str:
    return "" if spec.get("visible", True) else ' isvisible="false"'


def _element(tag: str, text: str, depth: int) -> str:
    return f"{'  ' * depth}<{tag}>{xml_escape(text)}</{tag}>"


def _item_xml(attributes: str, lines: list[str], depth: int) -> str:
    pad = "  " * depth
    return "\n".join([f"{pad}<item {attributes}>", *lines, f"{pad}</item>"])


def _resource_xml(identifier: str, href: str) -> str:
    return (
        f'    <resource identifier={quoteattr(identifier)} type="webcontent" adlcp:scormtype="sco" '
        f"href={quoteattr(href)}>\n"
        f"      <file href={quoteattr(href)}/>\n"
        "    </resource>"
    )


def _manifest_xml(title: str, items: list[str], resources: list[str]) -> str:
    # Short enough for the manifest identifier's limit whatever the title.
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:64].strip("-") or "course"
    return _MANIFEST.substitute(
        identifier=quoteattr(f"synthetic.{slug}"),
        title=xml_escape(title),
        items="\n".join(items),
        resources="\n".join(resources),
    )


def sco_page(title: str, score: str, status: str) -> str:
    """The launch page of one synthetic SCO."""
    return _PAGE.substitute(
        title=html_escape(title),
        score=html_escape(score, quote=True),
        status=html_escape(status, quote=True),
    )


_MANIFEST = Template(
    """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier=$identifier version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd
                        http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="org_1">
    <organization identifier="org_1">
      <title>$title</title>
$items
    </organization>
  </organizations>
  <resources>
$resources
  </resources>
</manifest>
"""
)

_PAGE = Template(
    """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>$title</title>
<style>
  body { font-family: system-ui, sans-serif; margin: 2rem; max-width: 40rem; }
  dt { font-weight: bold; }
  button { margin-right: 0.5rem; padding: 0.4rem 1rem; }
</style>
</head>
<body data-score="$score" data-status="$status">
<h1>$title</h1>
<p id="lms-state" role="status">Looking for the LMS...</p>
<dl>
  <dt>Learner</dt><dd id="learner"></dd>
  <dt>Entry</dt><dd id="entry"></dd>
  <dt>Status on launch</dt><dd id="status-on-launch"></dd>
  <dt>Launch data</dt><dd id="launch-data"></dd>
</dl>
<button id="complete" type="button">Complete</button>
<button id="suspend" type="button">Suspend</button>
<script>
(function () {
  "use strict";
  // ADL discovery: the LMS puts its API object on this window, an ancestor
  // frame, or the window that opened this one. The hop limit stops a search
  // through pathological frame chains.
  var MAX_HOPS = 500;
  var startedAt = new Date().getTime();
  var page = document.body;
  var api = null;
  var finished = false;

  function apiAbove(win) {
    var hops = 0;
    try {
      while (!win.API && win.parent && win.parent !== win && hops < MAX_HOPS) {
        hops += 1;
        win = win.parent;
      }
      return win.API || null;
    } catch (e) {
      // A frame from another origin cannot be inspected: no API up there.
      return null;
    }
  }

  function findApi() {
    var found = apiAbove(window);
    if (!found && window.opener) {
      found = apiAbove(window.opener);
    }
    return found;
  }

  function show(id, text) {
    document.getElementById(id).textContent = text;
  }

  function enableButtons(enabled) {
    document.getElementById("complete").disabled = !enabled;
    document.getElementById("suspend").disabled = !enabled;
  }

  function pad(value, width) {
    var text = String(value);
    while (text.length < width) {
      text = "0" + text;
    }
    return text;
  }

  // CMITimespan is HHHH:MM:SS.SS with two to four digits of hours.
  function timespan(ms) {
    var hundredths = Math.floor(ms / 10);
    var hours = Math.min(Math.floor(hundredths / 360000), 9999);
    var minutes = Math.floor(hundredths / 6000) % 60;
    var seconds = Math.floor(hundredths / 100) % 60;
    return pad(hours, 2) + ":" + pad(minutes, 2) + ":" + pad(seconds, 2) + "." + pad(hundredths % 100, 2);
  }

  // exitValue null leaves cmi.core.exit alone: the learner just left.
  function finish(exitValue, message) {
    if (finished || !api) {
      return;
    }
    finished = true;
    api.LMSSetValue("cmi.core.session_time", timespan(new Date().getTime() - startedAt));
    if (exitValue !== null) {
      api.LMSSetValue("cmi.core.exit", exitValue);
    }
    api.LMSFinish("");
    enableButtons(false);
    show("lms-state", message);
  }

  function complete() {
    if (finished || !api) {
      return;
    }
    var score = page.getAttribute("data-score");
    if (score) {
      api.LMSSetValue("cmi.core.score.raw", score);
    }
    api.LMSSetValue("cmi.core.lesson_status", page.getAttribute("data-status"));
    finish("", "Completed. You can close this page.");
  }

  function suspend() {
    finish("suspend", "Suspended. You can come back later.");
  }

  function start() {
    api = findApi();
    if (!api) {
      enableButtons(false);
      show("lms-state", "No SCORM 1.2 LMS was found; nothing will be recorded.");
      return;
    }
    if (String(api.LMSInitialize("")) !== "true") {
      show("lms-state", "The LMS refused to start this lesson (error " + api.LMSGetLastError() + ").");
      api = null;
      enableButtons(false);
      return;
    }
    var status = api.LMSGetValue("cmi.core.lesson_status");
    show("learner", api.LMSGetValue("cmi.core.student_name"));
    show("entry", api.LMSGetValue("cmi.core.entry"));
    show("status-on-launch", status);
    show("launch-data", api.LMSGetValue("cmi.launch_data"));
    if (status === "not attempted") {
      api.LMSSetValue("cmi.core.lesson_status", "incomplete");
    }
    show("lms-state", "Connected to the LMS.");
  }

  document.getElementById("complete").addEventListener("click", complete);
  document.getElementById("suspend").addEventListener("click", suspend);
  // Closing the tab or navigating away still ends the session properly.
  window.addEventListener("pagehide", function () { finish(null, "Finished."); });
  window.addEventListener("unload", function () { finish(null, "Finished."); });
  start();
}());
</script>
</body>
</html>
"""
)
