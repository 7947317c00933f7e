/*
 * The player shell's glue (main origin): shows what the run-time page on
 * the content origin reports (save state, the lesson's status), and when
 * the learner leaves through any of the shell's links or forms (the
 * contents, "Back to my courses", "My courses", "Sign out"), asks it to save
 * and waits until it says the session is settled, so the next page already
 * has what the lesson reported.
 *
 * Messages are taken only from the shell's own frame, from the content
 * origin, and are only ever shown as text: the content shares that origin,
 * so nothing it says may do more than change what the indicator reads.
 */
(function () {
  "use strict";

  // A little longer than the run-time page waits for its own commits, so
  // its answer decides; only a page that never answers runs this out.
  var LEAVE_WAIT_MS = 3500;
  var STATES = ["ready", "saving", "unsaved", "saved", "suspended", "finished", "review", "error"];
  var PHASES = ["new", "running", "finished", "left"];
  var STATUSES = ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"];
  var TEXT_MAX = 300;
  var config = JSON.parse(document.getElementById("player-shell").textContent);
  var heard = false;
  var onSettled = null;

  function frame() {
    return document.getElementById("lesson-frame");
  }

  function render(data) {
    var element = document.getElementById("save-state");
    if (!element || STATES.indexOf(data.state) < 0) return;
    element.setAttribute("data-state", data.state);
    if (PHASES.indexOf(data.phase) >= 0) element.setAttribute("data-phase", data.phase);
    element.setAttribute("role", data.state === "error" ? "alert" : "status");
    element.textContent = String(data.text || "").slice(0, TEXT_MAX);
    showLessonStatus(data.lessonStatus);
  }

  // The table of contents shows the status the server settled on.
  function showLessonStatus(status) {
    var current = document.querySelector('.toc a[aria-current="page"] + .toc-status');
    if (!current || STATUSES.indexOf(status) < 0) return;
    current.textContent = status;
    current.className = "toc-status status-" + status.replace(" ", "-");
  }

  window.addEventListener("message", function (event) {
    var lesson = frame();
    if (!lesson || event.source !== lesson.contentWindow || event.origin !== config.content_origin) return;
    var data = event.data;
    if (!data || typeof data !== "object") return;
    heard = true;
    if (data.type === "scormapi:state") render(data);
    else if (data.type === "scormapi:settled" && onSettled) onSettled();
  });

  // Runs go() once the run-time page has saved, or after LEAVE_WAIT_MS.
  function leaveThen(go) {
    if (onSettled) return;
    var gone = false;
    onSettled = function () {
      if (gone) return;
      gone = true;
      go();
    };
    var lesson = frame();
    // A run-time page that never spoke (the link had expired) has nothing to save.
    if (!heard || !lesson || !lesson.contentWindow) {
      onSettled();
      return;
    }
    lesson.contentWindow.postMessage({ type: "scormapi:leave" }, config.content_origin);
    window.setTimeout(onSettled, LEAVE_WAIT_MS);
  }

  // A link that replaces this page; a jump within it (the skip link) or a
  // new window leaves the lesson running.
  function leavesThePage(link) {
    if (link.hasAttribute("download")) return false;
    if (link.target && link.target !== "_self") return false;
    var here = window.location.href.split("#")[0];
    return !(link.hash && link.href.split("#")[0] === here);
  }

  function onLinkClick(event) {
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (!leavesThePage(link)) return;
    event.preventDefault();
    leaveThen(function () { window.location.assign(link.href); });
  }

  // Signing out leaves too; form.submit() sends the form without coming
  // back through this handler.
  function onSubmit(event) {
    var form = event.target;
    if (event.defaultPrevented || (form.target && form.target !== "_self")) return;
    event.preventDefault();
    leaveThen(function () { form.submit(); });
  }

  // On a narrow screen the contents would push the lesson below the fold.
  function foldContents() {
    var contents = document.querySelector(".toc details");
    if (contents && window.matchMedia("(max-width: 50rem)").matches) contents.open = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldContents();
    document.addEventListener("click", onLinkClick);
    document.addEventListener("submit", onSubmit);
  });
  // Back to a page kept in the browser's cache: its launch code is spent,
  // so load it again for a fresh launch.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });
})();
