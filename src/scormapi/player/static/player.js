/*
 * The player page's glue: starts the run-time API before the content frame
 * loads, shows whether progress is saved, and makes sure the session is
 * saved whenever the learner leaves (a link, another lesson, closing the tab).
 */
(function () {
  "use strict";

  var AUTOSAVE_MS = 30000;
  var LEAVE_WAIT_MS = 5000;
  var config = JSON.parse(document.getElementById("scorm-launch").textContent);
  var runtime = window.ScormPlayer.start(config, render);
  var leaving = false;

  function describeState(rt) {
    var transport = rt.transport;
    if (transport.failure) return ["error", transport.failure];
    if (config.lesson_mode === "review") return ["review", "Review: nothing is saved"];
    if (transport.inFlight > 0) return ["saving", "Saving…"];
    if (transport.dirty.size > 0) return ["unsaved", "Not saved yet"];
    if (rt.phase === "finished") return ["finished", "Lesson finished. Your progress is saved."];
    if (rt.phase === "running") return ["saved", "All progress saved"];
    return ["ready", "Ready"];
  }

  // Called by the adapter after every change of the session or the transport.
  function render(rt) {
    var element = document.getElementById("save-state");
    if (!element) return;
    var shown = describeState(rt);
    element.setAttribute("data-state", shown[0]);
    element.setAttribute("data-phase", rt.phase);
    element.setAttribute("role", shown[0] === "error" ? "alert" : "status");
    element.textContent = shown[1];
    showLessonStatus(rt.transport.lessonStatus);
  }

  // The table of contents shows the status the server settled on.
  function showLessonStatus(status) {
    var current = document.querySelector('.toc a[aria-current="page"] + .toc-status');
    if (!current || !status) return;
    current.textContent = status;
    current.className = "toc-status status-" + status.replace(" ", "-");
  }

  // Unloading the content first lets it call LMSFinish (most content does so
  // in its own unload handlers) before the player ends the session itself.
  function closeContent() {
    var frame = document.getElementById("content-frame");
    if (frame && frame.parentNode) frame.parentNode.removeChild(frame);
    runtime.leave();
  }

  function leaveTo(url) {
    if (leaving) return;
    leaving = true;
    closeContent();
    var started = Date.now();
    (function wait() {
      if (runtime.transport.settled() || Date.now() - started > LEAVE_WAIT_MS) {
        window.location.assign(url);
        return;
      }
      window.setTimeout(wait, 50);
    })();
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
    render(runtime);
    foldContents();
    document.addEventListener("click", onLinkClick);
  });
  // Closing the tab: the adapter's requests use keepalive, so they outlive the page.
  window.addEventListener("pagehide", closeContent);
  // Back to a page kept in the browser's cache: its session has ended, so
  // load it again for a fresh launch.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) window.location.reload();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") runtime.flush();
  });
  // Content that never commits still gets saved now and then.
  window.setInterval(function () { runtime.flush(); }, AUTOSAVE_MS);
})();
