// The import form's upload, with its progress: the file is sent by
// XMLHttpRequest so that upload progress events can move a <progress>
// element and a status line screen readers announce. Without this script
// the form posts as any form does.
(function () {
  "use strict";

  function say(form, text) {
    form.querySelector("#c-progress-text").textContent = text;
  }

  function showProgress(form, event) {
    if (!event.lengthComputable) return;
    var bar = form.querySelector("#c-progress");
    var percent = Math.floor((event.loaded / event.total) * 100);
    bar.max = 100;
    bar.value = percent;
    say(form, "Uploaded " + percent + "% of the package.");
  }

  // A refused import answers the page again (the form with the reason
  // beside its field): it takes the place of this one.
  function showAnswer(xhr) {
    var type = xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/html") !== 0) return false;
    var answered = new DOMParser().parseFromString(xhr.responseText, "text/html");
    var main = answered.querySelector("main");
    if (!main) return false;
    document.querySelector("main").replaceWith(document.adoptNode(main));
    document.title = answered.title;
    var error = document.querySelector(".field-error, [role=alert]");
    var heading = document.querySelector("h1");
    var target = error || heading;
    target.setAttribute("tabindex", "-1");
    target.focus();
    return true;
  }

  function send(form) {
    var xhr = new XMLHttpRequest();
    var button = form.querySelector("button[type=submit]");
    xhr.open("POST", form.action);
    xhr.upload.addEventListener("progress", function (event) { showProgress(form, event); });
    xhr.upload.addEventListener("load", function () { say(form, "Uploaded. Importing the package…"); });
    xhr.addEventListener("load", function () {
      // A successful import redirects to the courseware's page, which the
      // request has followed: go there.
      if (xhr.status === 200 && xhr.responseURL) {
        window.location.assign(xhr.responseURL);
        return;
      }
      if (!showAnswer(xhr)) {
        button.disabled = false;
        say(form, "The import was refused (HTTP " + xhr.status + "). Reload the page and try again.");
      }
    });
    xhr.addEventListener("error", function () {
      button.disabled = false;
      say(form, "The upload failed: the connection was lost. Try again.");
    });
    button.disabled = true;
    form.querySelector(".upload").hidden = false;
    say(form, "Uploading the package…");
    xhr.send(new FormData(form));
  }

  // Delegated, so that a form shown again after a refusal is handled too.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form.import") || !window.FormData || !form.querySelector("#c-file").files.length) return;
    event.preventDefault();
    send(form);
  });
})();
