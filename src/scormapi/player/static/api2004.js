/*
 * The SCORM 2004 run-time API (window.API_1484_11) for content running in
 * the player's frame, or in a window the content opens.
 *
 * The data-model rules are rules.js's, compiled from the element table the
 * server renders (cmi/scorm2004/elements.py table_json; the format checks
 * it names come from types2004.js and interactions2004.js), and commits go
 * through transport.js. This file holds what is SCORM 2004's own: the eight
 * functions, the order of calls they allow, the numbers content sees, and
 * what the adl.nav.request the content made asks of the LMS after
 * Terminate (session.navigation, for the run-time page to pass on).
 * The data model's numbers come from the table (get_error_codes for
 * GetValue, error_codes for SetValue, errors for the texts), so they are
 * cmi/scorm2004/errors.py's.
 *
 * Registers itself in window.ScormApiPlayer.bindings["1.0"]; the run-time
 * page calls ScormApiPlayer.start(config, onChange), which picks the binding
 * by the table's version and returns the session object.
 */
(function () {
  "use strict";

  var player = window.ScormApiPlayer = window.ScormApiPlayer || {};

  var VERSION = "1.0";
  var NO_ERROR = 0;
  var GENERAL_ARGUMENT_ERROR = 201;
  var GENERAL_GET_FAILURE = 301;
  var GENERAL_SET_FAILURE = 351;
  // GetErrorString and GetDiagnostic answer at most this many characters.
  var TEXT_MAX = 255;

  // The call-order errors: a call's number in each phase that refuses it.
  // They belong to the API, not to the data model, so no rules outcome
  // stands for them. "left" (the page went away without Terminate) ends the
  // session as Terminate does.
  var ORDER_ERRORS = {
    Initialize: { running: 103, finished: 104, left: 104 },
    Terminate: { "new": 112, finished: 113, left: 113 },
    GetValue: { "new": 122, finished: 123, left: 123 },
    SetValue: { "new": 132, finished: 133, left: 133 },
    Commit: { "new": 142, finished: 143, left: 143 }
  };
  var ORDER_DIAGNOSTICS = {
    103: "Initialize was already called",
    104: "This session has ended; launch the lesson again to start a new one",
    112: "Terminate needs a session started by Initialize",
    113: "Terminate was already called",
    122: "GetValue needs a session started by Initialize",
    123: "GetValue after the session ended",
    132: "SetValue needs a session started by Initialize",
    133: "SetValue after the session ended",
    142: "Commit needs a session started by Initialize",
    143: "Commit after the session ended"
  };

  // adl.nav.request words that end the SCO or the course, and the action
  // each stands for (cmi/scorm2004/navigation.py's decide): abandon and
  // abandonAll leave as exit and exitAll do.
  var ENDING_REQUESTS = {
    exit: "exit",
    abandon: "exit",
    exitAll: "exit_all",
    abandonAll: "exit_all",
    suspendAll: "suspend_all"
  };
  var TARGETED_REQUEST = /^\{target=([^}]*)\}(choice|jump)$/;
  var VALID_PREFIX = "adl.nav.request_valid.";

  /*
   * What the LMS does after Terminate with the request the content made:
   * { action, target, reason }. action is "continue" or "previous" (the
   * next or previous SCO in manifest order: the shell knows the order),
   * "launch" (the SCO target), "exit", "exit_all", "suspend_all" or "none"
   * (reason says why when the request could not be delivered). Whether a
   * step or a target is deliverable is what the launch's
   * adl.nav.request_valid.* values say (isValid reads them), so the
   * binding and the server never disagree about it.
   */
  function decideNavigation(request, isValid) {
    if (Object.prototype.hasOwnProperty.call(ENDING_REQUESTS, request)) {
      return { action: ENDING_REQUESTS[request], target: null, reason: "" };
    }
    if (request === "_none_" || request === "") return { action: "none", target: null, reason: "" };
    if (request === "continue" || request === "previous") {
      if (isValid(VALID_PREFIX + request)) return { action: request, target: null, reason: "" };
      return { action: "none", target: null, reason: request + " is not valid from this SCO" };
    }
    var targeted = TARGETED_REQUEST.exec(request);
    if (targeted === null) return { action: "none", target: null, reason: "unknown navigation request " + request };
    if (isValid(VALID_PREFIX + targeted[2] + ".{target=" + targeted[1] + "}")) {
      return { action: "launch", target: targeted[1], reason: "" };
    }
    return { action: "none", target: null, reason: targeted[2] + " to " + targeted[1] + ": no such SCO in the course" };
  }

  // Code points, as the standard counts characters.
  function clip(text) {
    var points = Array.from(text);
    return points.length > TEXT_MAX ? points.slice(0, TEXT_MAX).join("") : text;
  }

  // The standard's text for a code, "" for a code it does not define
  // ("1444", "001": only the table's exact spellings are codes).
  function describe(table, code) {
    var text = table.errors[String(code)];
    return text === undefined ? "" : clip(text);
  }

  // Initialize, Terminate and Commit take "" (content calling them with no
  // argument at all means the same).
  function emptyArgument(arg) {
    return arg === "" || arg === undefined;
  }

  // An element name; no name at all reads as "", which the standard answers
  // with the general get or set failure.
  function asName(name) {
    if (name === undefined || name === null) return "";
    return typeof name === "string" ? name : String(name);
  }

  // Content passes numbers and booleans where the binding expects strings;
  // they convert the way JavaScript writes them, as api12.js does. Anything
  // else is not a value.
  function asString(value) {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (value instanceof String) return value.valueOf();
    return null;
  }

  function ScormApi2004(rules, config, onChange) {
    this.rules = rules;
    this.table = config.table;
    this.state = new Map(Object.entries(config.cmi || {}));
    // "new" until Initialize, "running" until Terminate, then "finished";
    // "left" when the page goes away without Terminate.
    this.phase = "new";
    this.lastError = NO_ERROR;
    this.diagnostic = describe(this.table, NO_ERROR);
    this.onChange = onChange || function () {};
    // What to do once the session is saved, decided at Terminate (never at
    // Commit); null before that and when the page went away instead.
    this.navigation = null;
    var self = this;
    this.transport = new player.Transport(config, function () {
      self.onChange(self);
    });
  }

  // Sets the last error (and what GetDiagnostic tells about it); true when
  // it is NO_ERROR, so a call can return its result.
  ScormApi2004.prototype.fail = function (code, detail) {
    this.lastError = code;
    var text = describe(this.table, code);
    this.diagnostic = clip(detail ? text + ": " + detail : text);
    return code === NO_ERROR;
  };

  // The call-order error of fn in the current phase, or NO_ERROR.
  ScormApi2004.prototype.orderError = function (fn) {
    return ORDER_ERRORS[fn][this.phase] || NO_ERROR;
  };

  // [code, diagnostic] when Initialize, Terminate or Commit must fail, else
  // null. Decision: the argument is checked before the phase, as api12.js
  // does, so Terminate("x") before Initialize is 201, not 112.
  ScormApi2004.prototype.refusal = function (fn, arg) {
    if (!emptyArgument(arg)) return [GENERAL_ARGUMENT_ERROR, fn + " takes the empty string"];
    var error = this.orderError(fn);
    return error ? [error, ORDER_DIAGNOSTICS[error]] : null;
  };

  ScormApi2004.prototype.initialize = function (arg) {
    var refused = this.refusal("Initialize", arg);
    if (refused) return this.fail(refused[0], refused[1]);
    this.phase = "running";
    this.fail(NO_ERROR);
    this.onChange(this);
    return true;
  };

  // Terminate commits what is left and asks the server to end the session.
  // The navigation request is decided first: the run-time page reads it
  // whenever the transport reports, and the final commit may report at once.
  ScormApi2004.prototype.terminate = function (arg) {
    var refused = this.refusal("Terminate", arg);
    if (refused) return this.fail(refused[0], refused[1]);
    this.phase = "finished";
    var self = this;
    this.navigation = decideNavigation(this.read("adl.nav.request"), function (name) {
      return self.read(name) === "true";
    });
    this.transport.send("finish");
    this.fail(NO_ERROR);
    this.onChange(this);
    return true;
  };

  ScormApi2004.prototype.commit = function (arg) {
    var refused = this.refusal("Commit", arg);
    if (refused) return this.fail(refused[0], refused[1]);
    this.transport.send(null);
    return this.fail(NO_ERROR);
  };

  ScormApi2004.prototype.getValue = function (name) {
    var error = this.orderError("GetValue");
    if (error) {
      this.fail(error, ORDER_DIAGNOSTICS[error]);
      return "";
    }
    var key = asName(name);
    if (key === "") {
      this.fail(GENERAL_GET_FAILURE, "GetValue needs an element name");
      return "";
    }
    var answer = this.rules.get(this.state, key);
    var code = this.table.get_error_codes[answer[1]];
    if (code !== NO_ERROR) {
      this.fail(code, key);
      return "";
    }
    this.fail(NO_ERROR);
    return answer[0];
  };

  ScormApi2004.prototype.setValue = function (name, value) {
    var error = this.orderError("SetValue");
    if (error) return this.fail(error, ORDER_DIAGNOSTICS[error]);
    var key = asName(name);
    if (key === "") return this.fail(GENERAL_SET_FAILURE, "SetValue needs an element name");
    // No value at all is an argument error (as ADL's reference has it); a
    // value of another kind (an object) is not of any element's type.
    if (value === undefined || value === null) return this.fail(GENERAL_ARGUMENT_ERROR, "SetValue needs a value: " + key);
    var text = asString(value);
    if (text === null) return this.fail(this.table.error_codes.TYPE_MISMATCH, "SetValue needs a string value: " + key);
    var code = this.table.error_codes[this.rules.set(this.state, key, text)];
    if (code !== NO_ERROR) return this.fail(code, key);
    this.record(key, text, this.rules.cleared);
    this.fail(NO_ERROR);
    this.onChange(this);
    return true;
  };

  /*
   * Hands an accepted value to the transport. The server re-applies a
   * commit's values in order, with the same rules, and the transport keeps
   * one value per name, each in its first place. A set that removes other
   * values (a new interaction type clears the responses of the old one,
   * rules.cleared) breaks that picture twice over:
   * - the removed names may still wait to be sent; re-applied after the
   *   change (the type keeps its earlier place) they would fail on the
   *   server as responses of the wrong type and the whole commit with them.
   *   So they are forgotten.
   * - a later set of the same name would overwrite the value that caused
   *   the removal before it is sent (type "choice" -> "fill-in" -> "choice"
   *   reaches the server as "choice" over "choice": nothing cleared there).
   *   So the change is sent at once, in a commit of its own making, and
   *   the server removes the same values the browser did.
   */
  ScormApi2004.prototype.record = function (name, value, cleared) {
    var transport = this.transport;
    transport.change(name, value);
    if (cleared.length === 0) return;
    cleared.forEach(function (removed) { transport.forget(removed); });
    transport.send(null);
  };

  // The page is going away with the session still open: save what is there
  // and let the server close the session (session time counts, statuses are
  // left as the content set them, since the content never terminated).
  ScormApi2004.prototype.leave = function () {
    if (this.phase !== "running") return;
    this.phase = "left";
    this.transport.send("leave");
  };

  // Save unsent values now (the tab was hidden and may never come back).
  ScormApi2004.prototype.flush = function () {
    if (this.phase === "running" && this.transport.dirty.size > 0) {
      this.transport.send(null);
    }
  };

  // A value as content reads it (the statuses evaluated against their
  // thresholds), "" when it has none.
  ScormApi2004.prototype.read = function (name) {
    return this.rules.get(this.state, name)[0];
  };

  /*
   * The summary status word (SCORM 1.2's vocabulary, which every version's
   * reports share): the one the server settled on when a commit has been
   * answered, else worked out as cmi/scorm2004/session.summary_status does,
   * except that "unknown" reads "incomplete": the browser cannot tell the
   * launch's own values from the content's, and both words mean the lesson
   * is not finished.
   */
  ScormApi2004.prototype.status = function () {
    if (this.transport.lessonStatus) return this.transport.lessonStatus;
    var success = this.read("cmi.success_status");
    if (success === "passed" || success === "failed") return success;
    var completion = this.read("cmi.completion_status");
    if (completion === "completed") return completion;
    if (this.read("cmi.mode") === "browse") return "browsed";
    if (completion === "not attempted") return completion;
    return "incomplete";
  };

  // The eight functions content calls; results are SCORM's strings.
  ScormApi2004.prototype.binding = function () {
    var self = this;
    function flag(ok) {
      return ok ? "true" : "false";
    }
    return {
      Initialize: function (arg) { return flag(self.initialize(arg)); },
      Terminate: function (arg) { return flag(self.terminate(arg)); },
      GetValue: function (name) { return self.getValue(name); },
      SetValue: function (name, value) { return flag(self.setValue(name, value)); },
      Commit: function (arg) { return flag(self.commit(arg)); },
      GetLastError: function () { return String(self.lastError); },
      GetErrorString: function (code) { return describe(self.table, code); },
      // "" or the last error's code: what went wrong with the last call;
      // another code: its text; a code the standard does not define: "".
      GetDiagnostic: function (code) {
        if (code === "" || code === undefined || String(code) === String(self.lastError)) {
          return self.diagnostic;
        }
        return describe(self.table, code);
      }
    };
  };

  function start(config, onChange) {
    var session = new ScormApi2004(new player.Rules(config.table), config, onChange);
    window.API_1484_11 = session.binding();
    return session;
  }

  // rules.js's start picks the binding by the table's version.
  player.bindings = player.bindings || {};
  player.bindings[VERSION] = start;
})();
