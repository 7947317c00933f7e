/*
 * The player shell's glue (main origin): shows what the run-time page on
 * the content origin reports (save state, the lesson's status), and when
 * the learner leaves through the contents or "Back to my courses", asks it
 * to save and waits until it says the session is settled.
 *
 * Messages are taken only from the shell's own frame, from the content
 * origin, and are only ever shown as text: the content shares that origin,
 * so nothing it says may do more than change what the indicator reads.
 */
(function () {
  "use strict";

  var LEAVE_WAIT_MS = 6000;
  var STATES = ["ready", "saving", "unsaved", "saved", "finished", "review", "error"];
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

  function leaveTo(url) {
    if (onSettled) return;
    var gone = false;
    onSettled = function () {
      if (gone) return;
      gone = true;
      window.location.assign(url);
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

  function onLinkClick(event) {
    var link = event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (!link.closest(".toc") && !link.hasAttribute("data-leave")) return;
    event.preventDefault();
    leaveTo(link.href);
  }

  // On a narrow screen the contents would push the lesson below the fold.
  function foldContents() {
    var contents = document.querySelector(".toc details");
    if (contents && window.matchMedia("(max-width: 50rem)").matches) contents.open = false;
  }

  document.addEventListener("DOMContentLoaded", function () {
    foldContents();
    document.addEventListener("click", onLinkClick);
  });
  // Back to a page kept in the browser's cache: its launch code is spent,
  // so load it again for a fresh launch.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });
})();
