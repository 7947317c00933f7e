/*
 * The run-time page's glue (content origin): starts the run-time API of
 * the launch's data model (window.API, window.API_1484_11) before the
 * content frame loads, reports the save state to the shell on the main
 * origin, and saves whenever the session may end (the shell asks, the page
 * goes away, the tab is hidden, every 30 s). When the content terminated
 * with a navigation request (SCORM 2004's adl.nav.request, which the
 * binding decides as session.navigation), the shell hears it once the final
 * commit is saved, and takes the learner where it says.
 *
 * Messages go to the main origin only, and are taken only from the shell
 * (this window's parent, from the main origin).
 */
(function () {
  "use strict";

  var AUTOSAVE_MS = 30000;
  // How long the shell's request to save may take before the learner goes
  // anyway: long enough for a slow commit, short enough never to trap them.
  var LEAVE_WAIT_MS = 3000;
  // The statuses after which the lesson opens for review, not to resume.
  var FINISHED_STATUSES = ["passed", "completed", "failed"];
  var config = JSON.parse(document.getElementById("scorm-launch").textContent);
  var leaving = null;
  // The navigation request is passed on once per session.
  var navigationSent = false;
  var runtime = window.ScormApiPlayer.start(config, render);

  function twoDigits(number) {
    return (number < 10 ? "0" : "") + number;
  }

  // The learner's own clock, to the second, so each save reads differently.
  function clockTime(date) {
    return twoDigits(date.getHours()) + ":" + twoDigits(date.getMinutes()) + ":" + twoDigits(date.getSeconds());
  }

  // After the content finished the session, or the learner left, with
  // everything saved: whether opening the lesson again continues it depends
  // only on the status the server settled on (exit "suspend" on a passed
  // lesson still reviews it); the session knows its version's status word.
  function describeEnd(rt) {
    var status = rt.status();
    if (FINISHED_STATUSES.indexOf(status) >= 0) return ["finished", "Lesson finished. Your progress is saved."];
    return ["suspended", "Progress saved — you can resume later"];
  }

  // [state, text] for the shell's indicator; never claims a save the
  // server has not acknowledged in this session.
  function describeState(rt) {
    var transport = rt.transport;
    if (config.lesson_mode === "review") return ["review", "Review: nothing is saved"];
    if (transport.refused) return ["error", "Progress not saved: " + transport.refused];
    if (transport.resending > 0) return ["saving", "Saving… (trying again)"];
    if (transport.inFlight > 0) return ["saving", "Saving…"];
    if (transport.unreachable) return ["error", "Progress not saved: " + transport.unreachable];
    if (transport.dirty.size > 0) return ["unsaved", "Not saved yet"];
    if (transport.savedAt === null) return ["ready", "Ready"];
    if (rt.phase === "finished" || rt.phase === "left") return describeEnd(rt);
    return ["saved", "Saved at " + clockTime(transport.savedAt)];
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
    if (leaving !== null && rt.transport.settled()) reportSettled();
    else passOnNavigation(rt);
  }

  /*
   * After Terminate, with everything saved: tell the shell where the
   * content's navigation request leads. Not while the shell is taking the
   * learner elsewhere already (their own choice wins), and not when the
   * final commit failed: leaving would hide the error the indicator shows.
   */
  function passOnNavigation(rt) {
    var navigation = rt.navigation;
    if (navigationSent || leaving !== null || !navigation || navigation.action === "none") return;
    var transport = rt.transport;
    if (rt.phase !== "finished" || !transport.settled() || transport.refused || transport.unreachable) return;
    navigationSent = true;
    tellShell({ type: "scormapi:navigate", action: navigation.action, target: navigation.target });
  }

  // Unloading the content first lets it end the session itself (LMSFinish,
  // Terminate: most content does so in its own unload handlers) before the
  // player does.
  function closeContent() {
    var frame = document.getElementById("content-frame");
    if (frame && frame.parentNode) frame.parentNode.removeChild(frame);
    runtime.leave();
  }

  // The shell is waiting to navigate: it hears once, when everything is
  // saved or when waiting longer would keep the learner for nothing.
  function reportSettled() {
    window.clearTimeout(leaving);
    leaving = null;
    tellShell({ type: "scormapi:settled" });
  }

  function leaveThenReport() {
    closeContent();
    if (leaving === null) leaving = window.setTimeout(reportSettled, LEAVE_WAIT_MS);
    if (runtime.transport.settled()) reportSettled();
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
