/*
 * The conformance SCO's script. The page holds the calls to make as JSON in
 * <script id="steps">: each one [function of API_1484_11, ...arguments].
 * They run in order, at once, in one SCO instance, so the API moves from
 * "not initialized" through "running" to "terminated" as the calls say.
 * After each call the error code is read with GetLastError, which itself
 * leaves the code as it is. Every step's [function, arguments, returned
 * value, GetLastError()] ends up in window.conformanceResults and, as JSON,
 * in <pre id="results" data-done>.
 */
(function () {
  "use strict";

  // ADL discovery: this window, its ancestors, then the opener's.
  function apiAbove(win) {
    for (var hops = 0; win && hops < 20; hops++) {
      if (win.API_1484_11) return win.API_1484_11;
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }

  function findApi() {
    return apiAbove(window) || (window.opener ? apiAbove(window.opener) : null);
  }

  function run(api, steps) {
    return steps.map(function (step) {
      var fn = step[0];
      var args = step.slice(1);
      var returned = api[fn].apply(api, args);
      return [fn, args, returned, api.GetLastError()];
    });
  }

  var out = document.getElementById("results");
  var api = findApi();
  var steps = JSON.parse(document.getElementById("steps").textContent);
  var results = api ? run(api, steps) : [["no API_1484_11 found", [], "", ""]];
  window.conformanceResults = results;
  out.textContent = JSON.stringify(results);
  out.setAttribute("data-done", "true");
}());
