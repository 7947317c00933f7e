/*
 * The player shell's glue (main origin): shows what the run-time page on
 * the content origin reports (save state, the lesson's status), and when
 * the learner leaves through any of the shell's links or forms (the
 * contents, "Back to my courses", "My courses", "Sign out"), asks it to save
 * and waits until it says the session is settled, so the next page already
 * has what the lesson reported. When the lesson ended with a navigation
 * request (SCORM 2004's adl.nav.request, passed on once saved), it goes
 * where the request says: the next or previous lesson in manifest order, a
 * lesson the request names, or My courses.
 *
 * Messages are taken only from the shell's own frame, from the content
 * origin, and are only ever shown as text: the content shares that origin,
 * so nothing it says may do more than change what the indicator reads, or
 * open one of the course's own lessons or My courses, which its navigation
 * requests may do anyway.
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
  // The lessons a navigation request may lead to; a page of the course
  // that is no lesson (an asset) has none.
  var lessonsElement = document.getElementById("player-navigation");
  var course = lessonsElement ? JSON.parse(lessonsElement.textContent) : { sco: null, lessons: [], home: null };
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
    else if (data.type === "scormapi:navigate") navigate(data);
  });

  // The address of the course's lesson `id`, null when the course has none.
  function lessonHref(id) {
    var lessons = course.lessons;
    for (var i = 0; i < lessons.length; i += 1) {
      if (lessons[i][0] === id) return lessons[i][1];
    }
    return null;
  }

  // The lesson `step` places after the open one in manifest order.
  function neighbourHref(step) {
    var lessons = course.lessons;
    for (var i = 0; i < lessons.length; i += 1) {
      if (lessons[i][0] === course.sco) {
        var next = lessons[i + step];
        return next ? next[1] : null;
      }
    }
    return null;
  }

  // Where a navigation request leads; null: stay (the learner carries on
  // with the contents and links).
  function destination(data) {
    if (data.action === "continue") return neighbourHref(1);
    if (data.action === "previous") return neighbourHref(-1);
    if (data.action === "launch" && typeof data.target === "string") return lessonHref(data.target);
    // exit ends this lesson, exitAll and suspendAll the course: each goes
    // back where the shell's own "Back to my courses" goes; a suspended
    // course resumes from there.
    if (data.action === "exit" || data.action === "exit_all" || data.action === "suspend_all") return course.home;
    return null;
  }

  // The run-time page speaks only after the final commit is saved, so the
  // learner goes at once; unless they are already leaving by their own choice.
  function navigate(data) {
    if (onSettled) return;
    var href = destination(data);
    if (!href) return;
    onSettled = function () {};
    window.location.assign(href);
  }

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
