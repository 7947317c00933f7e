/*
 * The run-time page's glue (content origin): starts window.API before the
 * content frame loads, reports the save state to the shell on the main
 * origin, and saves whenever the session may end (the shell asks, the page
 * goes away, the tab is hidden, every 30 s).
 *
 * Messages go to the main origin only, and are taken only from the shell
 * (this window's parent, from the main origin).
 */
(function () {
  "use strict";

  var AUTOSAVE_MS = 30000;
  var LEAVE_WAIT_MS = 5000;
  var config = JSON.parse(document.getElementById("scorm-launch").textContent);
  var runtime = window.ScormPlayer.start(config, render);

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

  function tellShell(message) {
    if (window.parent !== window) window.parent.postMessage(message, config.main_origin);
  }

  // Called by the adapter after every change of the session or the transport.
  function render(rt) {
    var shown = describeState(rt);
    tellShell({
      type: "scormapi:state",
      state: shown[0],
      text: shown[1],
      phase: rt.phase,
      lessonStatus: rt.transport.lessonStatus || null
    });
  }

  // Unloading the content first lets it call LMSFinish (most content does so
  // in its own unload handlers) before the player ends the session itself.
  function closeContent() {
    var frame = document.getElementById("content-frame");
    if (frame && frame.parentNode) frame.parentNode.removeChild(frame);
    runtime.leave();
  }

  function leaveThenReport() {
    closeContent();
    var started = Date.now();
    (function wait() {
      if (runtime.transport.settled() || Date.now() - started > LEAVE_WAIT_MS) {
        tellShell({ type: "scormapi:settled" });
        return;
      }
      window.setTimeout(wait, 50);
    })();
  }

  window.addEventListener("message", function (event) {
    if (event.source !== window.parent || event.origin !== config.main_origin) return;
    if (event.data && event.data.type === "scormapi:leave") leaveThenReport();
  });
  document.addEventListener("DOMContentLoaded", function () { render(runtime); });
  // Closing the tab: the adapter's requests use keepalive, so they outlive the page.
  window.addEventListener("pagehide", closeContent);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") runtime.flush();
  });
  // Content that never commits still gets saved now and then.
  window.setInterval(function () { runtime.flush(); }, AUTOSAVE_MS);
})();
