/*
 * The SCORM 1.2 run-time API (window.API) for content running in the
 * player's frame, or in a window the content opens.
 *
 * The data-model rules are rules.js's, compiled from the element table the
 * server renders (cmi/scorm12/elements.py table_json), and commits go through
 * transport.js. This file holds what is SCORM 1.2's own: the eight
 * functions, the order of calls they allow, and the numbers content sees,
 * which come from the table too (error_codes: each rules outcome's number,
 * errors: each number's text), so they are cmi/scorm12/errors.py's.
 *
 * Registers itself in window.ScormApiPlayer.bindings["3.4"]; the run-time
 * page (content origin) calls ScormApiPlayer.start(config, onChange) with
 * the launch data embedded in the page, which picks the binding by the
 * table's version and returns the session object. The Transport is looked
 * up when start runs.
 */
(function () {
  "use strict";

  var player = window.ScormApiPlayer = window.ScormApiPlayer || {};

  // The table version (cmi/scorm12/elements.py VERSION) this binding serves.
  var VERSION = "3.4";

  // The call-order errors: they belong to the API, not to the data model,
  // so no rules outcome stands for them.
  var NO_ERROR = 0;
  var GENERAL_EXCEPTION = 101;
  var INVALID_ARGUMENT = 201;
  var NOT_INITIALIZED = 301;

  function describe(table, code) {
    var text = table.errors[String(code)];
    return text === undefined ? "" : text;
  }

  // Content passes numbers and booleans where the binding expects strings
  // (the golf samples set lesson_location to a number); they convert the way
  // JavaScript writes them. Anything else is not a value.
  function asString(value) {
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    if (value instanceof String) return value.valueOf();
    return null;
  }

  function ScormApi12(rules, config, onChange) {
    this.rules = rules;
    this.table = config.table;
    this.state = new Map(Object.entries(config.cmi || {}));
    // "new" until LMSInitialize, "running" until LMSFinish, then "finished";
    // "left" when the page goes away without LMSFinish.
    this.phase = "new";
    this.lastError = NO_ERROR;
    this.diagnostic = "";
    this.onChange = onChange || function () {};
    var self = this;
    this.transport = new player.Transport(config, function () {
      self.onChange(self);
    });
  }

  // SCORM 1.2's number for a rules outcome (VALUE_NOT_INITIALIZED is 0:
  // 1.2 reads an element never set as "").
  ScormApi12.prototype.code = function (outcome) {
    return this.table.error_codes[outcome];
  };

  ScormApi12.prototype.fail = function (code, diagnostic) {
    this.lastError = code;
    this.diagnostic = diagnostic || describe(this.table, code);
    return code === NO_ERROR;
  };

  // The error for a call that needs a running session, or NO_ERROR.
  // Decision: after LMSFinish the API is "not initialized" again, as SCORM
  // 1.2 defines 301, so LMSFinish twice is 301 too; only a second
  // LMSInitialize is 101 (general exception), as the 1.2 RTE specifies.
  ScormApi12.prototype.sessionError = function () {
    return this.phase === "running" ? NO_ERROR : NOT_INITIALIZED;
  };

  ScormApi12.prototype.initialize = function (arg) {
    if (arg !== "" && arg !== undefined) {
      return this.fail(INVALID_ARGUMENT, "LMSInitialize takes the empty string");
    }
    if (this.phase === "running") {
      return this.fail(GENERAL_EXCEPTION, "LMSInitialize was already called");
    }
    if (this.phase !== "new") {
      return this.fail(GENERAL_EXCEPTION, "This session has ended; launch the lesson again to start a new one");
    }
    this.phase = "running";
    this.fail(NO_ERROR, "");
    this.onChange(this);
    return true;
  };

  ScormApi12.prototype.finish = function (arg) {
    if (arg !== "" && arg !== undefined) {
      return this.fail(INVALID_ARGUMENT, "LMSFinish takes the empty string");
    }
    var error = this.sessionError();
    if (error) return this.fail(error, "LMSFinish needs a session started by LMSInitialize");
    this.phase = "finished";
    this.transport.send("finish");
    this.fail(NO_ERROR, "");
    this.onChange(this);
    return true;
  };

  ScormApi12.prototype.getValue = function (name) {
    var error = this.sessionError();
    if (error) {
      this.fail(error, "LMSGetValue needs a session started by LMSInitialize");
      return "";
    }
    var answer = this.rules.get(this.state, typeof name === "string" ? name : String(name));
    var code = this.code(answer[1]);
    this.fail(code, code ? describe(this.table, code) + ": " + name : "");
    return answer[0];
  };

  ScormApi12.prototype.setValue = function (name, value) {
    var error = this.sessionError();
    if (error) return this.fail(error, "LMSSetValue needs a session started by LMSInitialize");
    var text = asString(value);
    if (text === null) return this.fail(this.code("TYPE_MISMATCH"), "LMSSetValue needs a string value");
    var key = typeof name === "string" ? name : String(name);
    var code = this.code(this.rules.set(this.state, key, text));
    if (code !== NO_ERROR) return this.fail(code, describe(this.table, code) + ": " + key);
    this.transport.change(key, text);
    this.fail(NO_ERROR, "");
    this.onChange(this);
    return true;
  };

  ScormApi12.prototype.commit = function (arg) {
    if (arg !== "" && arg !== undefined) {
      return this.fail(INVALID_ARGUMENT, "LMSCommit takes the empty string");
    }
    var error = this.sessionError();
    if (error) return this.fail(error, "LMSCommit needs a session started by LMSInitialize");
    this.transport.send(null);
    return this.fail(NO_ERROR, "");
  };

  // The page is going away with the session still open: save what is there
  // and let the server close the session (session time counts, status is
  // left as the content set it, since the content never finished).
  ScormApi12.prototype.leave = function () {
    if (this.phase !== "running") return;
    this.phase = "left";
    this.transport.send("leave");
  };

  // Save unsent values now (the tab was hidden and may never come back).
  ScormApi12.prototype.flush = function () {
    if (this.phase === "running" && this.transport.dirty.size > 0) {
      this.transport.send(null);
    }
  };

  // The summary status word for the save indicator: the server's once it
  // has answered a commit, else the content's own.
  ScormApi12.prototype.status = function () {
    return this.transport.lessonStatus || this.state.get("cmi.core.lesson_status");
  };

  // The eight functions content calls; results are SCORM's strings.
  ScormApi12.prototype.binding = function () {
    var self = this;
    function flag(ok) {
      return ok ? "true" : "false";
    }
    return {
      LMSInitialize: function (arg) { return flag(self.initialize(arg)); },
      LMSFinish: function (arg) { return flag(self.finish(arg)); },
      LMSGetValue: function (name) { return self.getValue(name); },
      LMSSetValue: function (name, value) { return flag(self.setValue(name, value)); },
      LMSCommit: function (arg) { return flag(self.commit(arg)); },
      LMSGetLastError: function () { return String(self.lastError); },
      LMSGetErrorString: function (code) { return describe(self.table, code); },
      LMSGetDiagnostic: function (code) {
        if (code === "" || code === undefined || String(code) === String(self.lastError)) {
          return self.diagnostic;
        }
        return describe(self.table, code);
      }
    };
  };

  function start(config, onChange) {
    var session = new ScormApi12(new player.Rules(config.table), config, onChange);
    window.API = session.binding();
    return session;
  }

  // rules.js's start picks the binding by the table's version.
  player.bindings = player.bindings || {};
  player.bindings[VERSION] = start;
})();
