"""Small, valid SCORM 1.2 and SCORM 2004 packages generated in memory.

Tests across the project and the demo command need packages they can build
in code (third-party courses never go into the repository). Each SCO page is
a real, minimal SCO: it finds the LMS's ``API`` object the standard ADL way,
initializes, marks itself incomplete on first launch, and offers "Complete"
and "Suspend" buttons that report status, score, session time and exit
before LMSFinish. Leaving the page also finishes the session.
``synthetic_scorm2004_package`` builds the same course as SCORM 2004 4th
edition, its pages speaking to ``API_1484_11`` (see ``_Course2004`` for
its keys).

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
from typing import ClassVar
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
    return _package(_Course(), title, scos, _MANIFEST)


def synthetic_scorm2004_package(title: str, scos: list[dict]) -> bytes:
    """A SCORM 2004 4th edition package: manifest plus one launch page per SCO."""
    return _package(_Course2004(), title, scos, _MANIFEST_2004)


def _package(course: _Course, title: str, scos: list[dict], template: Template) -> bytes:
    items = [course.item(spec, depth=3) for spec in scos]
    if not course.resources:
        raise ValueError("a synthetic package needs at least one SCO")
    manifest = _manifest_xml(title, items, course.resources, template)
    return build_zip({"imsmanifest.xml": manifest, **course.pages})


@dataclass
class _Course:
    """Collects the manifest fragments and pages while items are built."""

    resources: list[str] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)
    identifiers: set[str] = field(default_factory=set)
    sco_count: int = 0
    cluster_count: int = 0
    sco_keys: ClassVar[frozenset[str]] = SCO_KEYS

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
        _check_keys(spec, self.sco_keys)
        self.sco_count += 1
        identifier = self._identifier(spec, f"item_{self.sco_count}")
        title = str(spec.get("title", f"SCO {self.sco_count}"))
        href = _checked_href(str(spec.get("href", f"sco{self.sco_count}/index.html")))
        if href in self.pages:
            raise ValueError(f"two SCOs use the launch page {href!r}")
        self.pages[href] = self.page(spec, title)
        self.resources.append(self.resource(f"res_{identifier}", href))
        attributes = f"identifier={quoteattr(identifier)} identifierref={quoteattr('res_' + identifier)}"
        if spec.get("parameters"):
            attributes += f" parameters={quoteattr(str(spec['parameters']))}"
        lines = [_element("title", title, depth + 1), *self.settings(spec, depth + 1)]
        return _item_xml(attributes + _visibility(spec), lines, depth)

    # What a SCORM version decides (the keys, page, resource and settings
    # of a SCO); these are SCORM 1.2's.
    def page(self, spec: dict, title: str) -> str:
        return sco_page(title, _text(spec, "score"), _status(spec))

    def resource(self, identifier: str, href: str) -> str:
        return _resource_xml(identifier, href)

    def settings(self, spec: dict, depth: int) -> list[str]:
        """The item's run-time settings, in the adlcp schema's order."""
        return [_element(f"adlcp:{tag}", _text(spec, key), depth) for key, tag in _ITEM_EXTENSIONS if _text(spec, key)]

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


def _resource_xml(identifier: str, href: str, scorm_type: str = "adlcp:scormtype") -> str:
    """A SCO resource; 1.2's binding spells the attribute scormtype, 2004's scormType."""
    return (
        f'    <resource identifier={quoteattr(identifier)} type="webcontent" {scorm_type}="sco" '
        f"href={quoteattr(href)}>\n"
        f"      <file href={quoteattr(href)}/>\n"
        "    </resource>"
    )


def _manifest_xml(title: str, items: list[str], resources: list[str], template: Template) -> str:
    # Short enough for the manifest identifier's limit whatever the title.
    slug = re.sub(r"[^A-Za-z0-9]+", "-", title).strip("-").lower()[:64].strip("-") or "course"
    return template.substitute(
        identifier=quoteattr(f"synthetic.{slug}"),
        title=xml_escape(title),
        items="\n".join(items),
        resources="\n".join(resources),
    )


def sco_page(title: str, score: str, status: str) -> str:
    """The launch page of one synthetic SCO."""
    attributes = f'data-score="{html_escape(score, quote=True)}" data-status="{html_escape(status, quote=True)}"'
    return _PAGE_FRAME.substitute(
        title=html_escape(title), attributes=attributes, api_name="API", script=_SCRIPT_12, on_leave=_LEAVE_12
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

# Every synthetic SCO page: the learner facts it shows, its two buttons and
# the search for the run-time API; $script and $on_leave are the version's.
_PAGE_FRAME = Template(
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
<body $attributes>
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
  // ADL discovery: the LMS puts $api_name on this window, an ancestor
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
      while (!win.$api_name && win.parent && win.parent !== win && hops < MAX_HOPS) {
        hops += 1;
        win = win.parent;
      }
      return win.$api_name || null;
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
$script
  document.getElementById("complete").addEventListener("click", complete);
  document.getElementById("suspend").addEventListener("click", suspend);
$on_leave
  start();
}());
</script>
</body>
</html>
"""
)

# The run-time part of a SCORM 1.2 page (see _PAGE_FRAME).
_SCRIPT_12 = """
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

"""
_LEAVE_12 = """  // Closing the tab or navigating away still ends the session properly.
  window.addEventListener("pagehide", function () { finish(null, "Finished."); });
  window.addEventListener("unload", function () { finish(null, "Finished."); });"""

# -- SCORM 2004 ------------------------------------------------------------------

SCO_KEYS_2004 = frozenset(
    {
        "identifier", "title", "href", "parameters", "data_from_lms", "max_time_allowed", "time_limit_action",
        "completion_threshold", "scaled_passing_score", "objective_ids", "score", "score_scaled",
        "progress_measure", "completion_status", "success_status", "visible",
    }
)
COMPLETION_STATUSES = frozenset({"completed", "incomplete", "not attempted", "unknown"})
SUCCESS_STATUSES = frozenset({"passed", "failed", "unknown"})
# What the "Complete" button reports, in the order it sets them: the page's
# data attribute, the spec key and the element. Measures go first so that a
# status the LMS evaluates from them is set after them, as content does.
_REPORTED_2004 = (
    ("data-progress", "progress_measure", "cmi.progress_measure"),
    ("data-scaled", "score_scaled", "cmi.score.scaled"),
    ("data-raw", "score", "cmi.score.raw"),
    ("data-completion", "completion_status", "cmi.completion_status"),
    ("data-success", "success_status", "cmi.success_status"),
)


class _Course2004(_Course):
    """The same course tree, written as SCORM 2004 4th edition.

    A SCO dict takes the 1.2 keys but mastery_score, plus
    completion_threshold (adlcp:completionThreshold minProgressMeasure),
    scaled_passing_score (the primary objective's minNormalizedMeasure),
    objective_ids (a list; the first names the primary objective),
    max_time_allowed as an ISO 8601 duration (attemptAbsoluteDurationLimit),
    and what "Complete" reports: score (score.raw), score_scaled,
    progress_measure, completion_status (default "completed") and
    success_status (default "passed" with a score, else not set).
    """

    sco_keys: ClassVar[frozenset[str]] = SCO_KEYS_2004

    def page(self, spec: dict, title: str) -> str:
        reported = _reported_2004(spec)
        return sco_page_2004(title, {attribute: reported.get(key, "") for attribute, key, _ in _REPORTED_2004})

    def resource(self, identifier: str, href: str) -> str:
        return _resource_xml(identifier, href, scorm_type="adlcp:scormType")

    def settings(self, spec: dict, depth: int) -> list[str]:
        """adlcp's elements then imsss:sequencing, in the order the 4th
        edition's schemas place them inside <item>."""
        lines = [_element(f"adlcp:{tag}", _text(spec, key), depth) for key, tag in _ITEM_EXTENSIONS_2004 if _text(spec, key)]
        if _text(spec, "completion_threshold"):
            threshold = quoteattr(_text(spec, "completion_threshold"))
            lines.append(f'{"  " * depth}<adlcp:completionThreshold completedByMeasure="true" minProgressMeasure={threshold}/>')
        return lines + _sequencing_xml(spec, depth)


_ITEM_EXTENSIONS_2004 = (("time_limit_action", "timeLimitAction"), ("data_from_lms", "dataFromLMS"))


def _reported_2004(spec: dict) -> dict[str, str]:
    """What the page's "Complete" reports, by spec key; a key left out (or
    given empty) is not set by the page."""
    reported = {key: _text(spec, key) for _, key, _ in _REPORTED_2004 if _text(spec, key)}
    reported.setdefault("completion_status", "completed")
    if "score" in reported or "score_scaled" in reported:
        reported.setdefault("success_status", "passed")
    for key, allowed in (("completion_status", COMPLETION_STATUSES), ("success_status", SUCCESS_STATUSES)):
        if key in reported and reported[key] not in allowed:
            raise ValueError(f"{key} {reported[key]!r} is not one of {sorted(allowed)}")
    return reported


def _objective_ids(spec: dict) -> list[str]:
    ids = [str(objective_id) for objective_id in spec.get("objective_ids") or ()]
    for objective_id in ids:
        if not objective_id or any(char.isspace() for char in objective_id):
            raise ValueError(f"objective id {objective_id!r} is empty or holds white space")
    if len(set(ids)) != len(ids):
        raise ValueError(f"objective ids {ids} repeat an id")
    return ids


def _sequencing_xml(spec: dict, depth: int) -> list[str]:
    """imsss:sequencing for a time limit, a passing score and objectives;
    nothing when the SCO has none. imsss:objectives always holds a primary
    objective, so objective ids without a passing score still get one."""
    pad = "  " * depth
    inner = []
    if _text(spec, "max_time_allowed"):
        limit = quoteattr(_text(spec, "max_time_allowed"))
        inner.append(f"{pad}  <imsss:limitConditions attemptAbsoluteDurationLimit={limit}/>")
    ids = _objective_ids(spec)
    passing = _text(spec, "scaled_passing_score")
    if ids or passing:
        inner += [f"{pad}  <imsss:objectives>", *_primary_xml(ids[:1], passing, depth + 2)]
        inner += [f"{pad}    <imsss:objective objectiveID={quoteattr(i)}/>" for i in ids[1:]]
        inner.append(f"{pad}  </imsss:objectives>")
    return [f"{pad}<imsss:sequencing>", *inner, f"{pad}</imsss:sequencing>"] if inner else []


def _primary_xml(primary_id: list[str], passing: str, depth: int) -> list[str]:
    pad = "  " * depth
    attributes = "".join(f" objectiveID={quoteattr(i)}" for i in primary_id)
    if not passing:
        return [f"{pad}<imsss:primaryObjective{attributes}/>"]
    return [
        f'{pad}<imsss:primaryObjective{attributes} satisfiedByMeasure="true">',
        _element("imsss:minNormalizedMeasure", passing, depth + 1),
        f"{pad}</imsss:primaryObjective>",
    ]


def sco_page_2004(title: str, reported: dict[str, str]) -> str:
    """The launch page of one synthetic SCORM 2004 SCO; ``reported`` maps
    each data attribute of ``_REPORTED_2004`` to the value "Complete" sets
    ("" for none)."""
    attributes = " ".join(f'{name}="{html_escape(reported.get(name, ""), quote=True)}"' for name, _, _ in _REPORTED_2004)
    return _PAGE_FRAME.substitute(
        title=html_escape(title), attributes=attributes, api_name="API_1484_11", script=_SCRIPT_2004,
        on_leave=_LEAVE_2004,
    )


_MANIFEST_2004 = Template(
    """<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier=$identifier version="1"
    xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
    xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
    xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
    xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
    xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd
                        http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd
                        http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd
                        http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd
                        http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
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

# The run-time part of a SCORM 2004 page (see _PAGE_FRAME).
_SCRIPT_2004 = """  // Data attribute -> element "Complete" sets, measures before statuses.
  var REPORTED = [
    ["data-progress", "cmi.progress_measure"],
    ["data-scaled", "cmi.score.scaled"],
    ["data-raw", "cmi.score.raw"],
    ["data-completion", "cmi.completion_status"],
    ["data-success", "cmi.success_status"]
  ];

  // timeinterval (second,10,2): an ISO 8601 duration to the hundredth.
  function duration(ms) {
    var hundredths = Math.floor(ms / 10);
    var hours = Math.floor(hundredths / 360000);
    var minutes = Math.floor(hundredths / 6000) % 60;
    var seconds = (hundredths % 6000) / 100;
    return "PT" + hours + "H" + minutes + "M" + seconds.toFixed(2) + "S";
  }

  function finish(exitValue, message) {
    if (finished || !api) {
      return;
    }
    finished = true;
    api.SetValue("cmi.session_time", duration(new Date().getTime() - startedAt));
    api.SetValue("cmi.exit", exitValue);
    api.Terminate("");
    enableButtons(false);
    show("lms-state", message);
  }

  function complete() {
    if (finished || !api) {
      return;
    }
    REPORTED.forEach(function (pair) {
      var value = page.getAttribute(pair[0]);
      if (value) {
        api.SetValue(pair[1], value);
      }
    });
    // "normal" ends the attempt: the next launch starts a new one.
    finish("normal", "Completed. You can close this page.");
  }

  function suspend() {
    finish("suspend", "Suspended. You can come back later.");
  }

  function start() {
    api = findApi();
    if (!api) {
      enableButtons(false);
      show("lms-state", "No SCORM 2004 LMS was found; nothing will be recorded.");
      return;
    }
    if (String(api.Initialize("")) !== "true") {
      show("lms-state", "The LMS refused to start this lesson (error " + api.GetLastError() + ").");
      api = null;
      enableButtons(false);
      return;
    }
    var completion = api.GetValue("cmi.completion_status");
    show("learner", api.GetValue("cmi.learner_name"));
    show("entry", api.GetValue("cmi.entry"));
    show("status-on-launch", completion + ", " + api.GetValue("cmi.success_status"));
    show("launch-data", api.GetValue("cmi.launch_data"));
    if (completion === "unknown" || completion === "not attempted") {
      api.SetValue("cmi.completion_status", "incomplete");
    }
    show("lms-state", "Connected to the LMS.");
  }

"""
_LEAVE_2004 = """  // Closing the tab or navigating away suspends, so the learner resumes
  // where they were instead of losing the attempt.
  window.addEventListener("pagehide", function () { finish("suspend", "Suspended."); });
  window.addEventListener("unload", function () { finish("suspend", "Suspended."); });"""
