/*
 * The SCORM 1.2 run-time API (window.API) for content running in the
 * player's frame, or in a window the content opens.
 *
 * Every rule (elements, access, types, vocabularies, error texts) comes from
 * the element table the server renders from cmi/scorm12.py (table_json), so
 * the browser and the server can never disagree about what is valid. This
 * file holds only the order in which the rules are applied, the same order as
 * scorm12.get_value / set_value, and the transport to the server.
 *
 * Exposes window.ScormPlayer.start(config) -> the API object; the run-time
 * page (content origin) calls it with the launch data embedded in the page.
 */
(function () {
  "use strict";

  var NO_ERROR = 0;
  var GENERAL_EXCEPTION = 101;
  var INVALID_ARGUMENT = 201;
  var CANNOT_HAVE_CHILDREN = 202;
  var NOT_AN_ARRAY = 203;
  var NOT_INITIALIZED = 301;
  var NOT_IMPLEMENTED = 401;
  var KEYWORD_SET = 402;
  var READ_ONLY = 403;
  var WRITE_ONLY = 404;
  var INCORRECT_DATA_TYPE = 405;

  // The server's envelope error codes the transport reacts to (scormapi/errors.py).
  var SERVER_CONFLICT = 6;
  var SERVER_STALE = 10;

  // Any run of digits is an index position; whether it is a canonical index
  // is the table's index_regex to say.
  var DIGITS = /^[0-9]+$/;

  // ---- the rules, compiled once from the table ------------------------------

  // Segment lists become map keys through JSON, with null standing for an
  // index position, so a literal segment named "n" or "null" can never be
  // mistaken for one.
  function keyOf(segments) {
    return JSON.stringify(segments);
  }

  function patternSegments(pattern) {
    return pattern.split(".").map(function (part) {
      return part === "n" ? null : part;
    });
  }

  function compileType(spec, flags) {
    return {
      regex: spec.regex === null ? null : new RegExp(spec.regex, flags),
      minimum: spec.minimum,
      maximum: spec.maximum,
      maxLength: spec.max_length,
      vocabulary: spec.vocabulary,
      allowBlank: spec.allow_blank
    };
  }

  function Rules(table) {
    var flags = table.regex_flags || "";
    var self = this;
    this.table = table;
    this.indexRegex = new RegExp(table.index_regex, flags);
    this.types = {};
    Object.keys(table.types).forEach(function (name) {
      self.types[name] = compileType(table.types[name], flags);
    });
    this.elements = new Map();
    this.nodes = new Set();
    table.elements.forEach(function (element) {
      var segments = patternSegments(element.pattern);
      self.elements.set(keyOf(segments), element);
      for (var i = 1; i <= segments.length; i++) {
        self.nodes.add(keyOf(segments.slice(0, i)));
      }
    });
  }

  // {element, arrays: [[concrete array name, index], ...]} or an error code.
  Rules.prototype.resolve = function (name) {
    if (typeof name !== "string" || name.indexOf("cmi.") !== 0) {
      return NOT_IMPLEMENTED;
    }
    var parts = name.split(".");
    var segments = [];
    var arrays = [];
    for (var i = 0; i < parts.length; i++) {
      if (!DIGITS.test(parts[i])) {
        segments.push(parts[i]);
        continue;
      }
      if (!this.indexRegex.test(parts[i])) {
        return INVALID_ARGUMENT;
      }
      segments.push(null);
      arrays.push([parts.slice(0, i).join("."), parseInt(parts[i], 10)]);
    }
    var element = this.elements.get(keyOf(segments));
    if (element === undefined) {
      return this.unknown(segments);
    }
    return { element: element, arrays: arrays };
  };

  // Same decision as scorm12._unknown: a keyword asked of a node that lacks
  // it is 202/203, an unknown leaf under a known node below cmi is 201,
  // anything else is outside the model (401).
  Rules.prototype.unknown = function (segments) {
    var parent = segments.slice(0, -1);
    var leaf = segments[segments.length - 1];
    var parentIsNode = this.nodes.has(keyOf(parent));
    if (parentIsNode && leaf === "_children") return CANNOT_HAVE_CHILDREN;
    if (parentIsNode && leaf === "_count") return NOT_AN_ARRAY;
    if (parent.length > 1 && parentIsNode) return INVALID_ARGUMENT;
    return NOT_IMPLEMENTED;
  };

  // One more than the highest stored index under a concrete array name.
  Rules.prototype.itemCount = function (state, array) {
    var prefix = array + ".";
    var highest = -1;
    var self = this;
    state.forEach(function (_value, key) {
      if (key.indexOf(prefix) !== 0) return;
      var index = key.slice(prefix.length).split(".")[0];
      if (self.indexRegex.test(index)) {
        highest = Math.max(highest, parseInt(index, 10));
      }
    });
    return highest + 1;
  };

  Rules.prototype.indexesFit = function (state, arrays, appending) {
    for (var i = 0; i < arrays.length; i++) {
      var count = this.itemCount(state, arrays[i][0]);
      var index = arrays[i][1];
      if (index > count || (index === count && !appending)) return false;
    }
    return true;
  };

  function codePoints(text) {
    var count = 0;
    for (var _ of text) count++;
    return count;
  }

  // DataType.is_valid, step by step (cmi/types.py).
  Rules.prototype.typeAccepts = function (element, value) {
    var type = this.types[element.type];
    if (typeof value !== "string") return false;
    if (type.vocabulary.indexOf(value) >= 0) return true;
    if (type.vocabulary.length > 0 && type.regex === null) return false;
    if (value === "" && type.allowBlank) return true;
    var limit = element.max_length !== null ? element.max_length : type.maxLength;
    if (limit !== null && codePoints(value) > limit) return false;
    if (type.regex !== null && !type.regex.test(value)) return false;
    var number = Number(value);
    if (type.minimum !== null && number < type.minimum) return false;
    if (type.maximum !== null && number > type.maximum) return false;
    return true;
  };

  // [value, error] as scorm12.get_value answers content.
  Rules.prototype.get = function (state, name) {
    var resolved = this.resolve(name);
    if (typeof resolved === "number") return ["", resolved];
    if (!this.indexesFit(state, resolved.arrays, false)) return ["", INVALID_ARGUMENT];
    var element = resolved.element;
    if (element.keyword === "count") {
      return [String(this.itemCount(state, name.slice(0, -"._count".length))), NO_ERROR];
    }
    if (element.keyword !== null) return [element.value || "", NO_ERROR];
    if (element.access === "WO") return ["", WRITE_ONLY];
    var stored = state.get(name);
    return [stored === undefined ? "" : stored, NO_ERROR];
  };

  // An error code; stores the value only when it is NO_ERROR (scorm12.set_value).
  Rules.prototype.set = function (state, name, value) {
    var resolved = this.resolve(name);
    if (typeof resolved === "number") return resolved;
    var element = resolved.element;
    if (element.keyword !== null) return KEYWORD_SET;
    if (element.access === "RO") return READ_ONLY;
    if (!this.indexesFit(state, resolved.arrays, true)) return INVALID_ARGUMENT;
    if (!this.typeAccepts(element, value)) return INCORRECT_DATA_TYPE;
    if (element.content_excluded.indexOf(value) >= 0) return INCORRECT_DATA_TYPE;
    state.set(name, value);
    return NO_ERROR;
  };

  // ---- the transport: commits to the server ---------------------------------

  // keepalive requests may carry at most 64 KiB in flight; leave headroom.
  var KEEPALIVE_MAX_BYTES = 60000;
  var RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000];

  /*
   * Every commit carries all values not yet acknowledged, under a sequence
   * number higher than any sent before. The server refuses a sequence number
   * it has already passed, so a late or repeated request never overwrites
   * newer data, and the newest request always holds everything the older
   * ones did. A failed request is resent under its own number for the same
   * reason.
   */
  function Transport(config, report) {
    this.url = config.commit_url;
    this.token = config.launch_token;
    this.seq = config.commit_seq || 0;
    this.dirty = new Map();
    this.inFlight = 0;
    this.report = report;
    // What the save indicator needs to tell the truth: when the server last
    // took a commit (null: not yet in this session), the status it settled
    // on, how many requests are being resent, and why progress is not saved.
    this.savedAt = null;
    this.lessonStatus = null;
    this.resending = 0;
    // A refusal is final: the values it carried are dropped. Not reaching
    // the server is not: the values stay and a later commit may carry them.
    this.refused = null;
    this.unreachable = null;
  }

  // A value set again keeps its first place: the server applies values in
  // order, and an array item must come after the items before it.
  Transport.prototype.change = function (name, value) {
    this.dirty.set(name, value);
  };

  Transport.prototype.send = function (ending) {
    if (!this.url) {
      // Review: nothing a review session does is kept.
      this.dirty.clear();
      this.report();
      return;
    }
    this.seq += 1;
    var values = {};
    this.dirty.forEach(function (value, name) {
      values[name] = value;
    });
    var payload = {
      seq: this.seq,
      values: values,
      finish: ending === "finish",
      leave: ending === "leave"
    };
    this.post(payload, 0);
  };

  Transport.prototype.post = function (payload, attempt) {
    var self = this;
    var body = JSON.stringify(payload);
    this.inFlight += 1;
    this.report();
    var request = {
      method: "POST",
      // The launch token goes in a header, never in the address.
      headers: { "Content-Type": "application/json", "Authorization": "Bearer " + this.token },
      body: body,
      credentials: "omit",
      // Survives the page going away, so closing the tab loses nothing. A
      // retry runs on a living page and must not hit the keepalive quota again.
      keepalive: attempt === 0 && new TextEncoder().encode(body).length < KEEPALIVE_MAX_BYTES
    };
    fetch(this.url, request)
      .then(function (response) {
        // A proxy's error page is not JSON; the status still tells what to do.
        return response.json().then(
          function (json) { return [response.status, json]; },
          function () { return [response.status, null]; }
        );
      })
      .then(
        function (reply) {
          self.inFlight -= 1;
          if (attempt > 0) self.resending -= 1;
          self.answer(payload, attempt, reply[0], reply[1]);
        },
        function () {
          self.inFlight -= 1;
          if (attempt > 0) self.resending -= 1;
          self.retry(payload, attempt, "network error");
        }
      );
  };

  Transport.prototype.answer = function (payload, attempt, status, json) {
    var code = json && json.api_error_entity ? json.api_error_entity.error_code : null;
    if (status === 200) {
      this.acknowledge(payload);
      this.lessonStatus = json.lesson_status;
      this.savedAt = new Date();
      this.unreachable = null;
    } else if (code === SERVER_STALE) {
      this.stale(payload, json.commit_seq);
    } else if (code === SERVER_CONFLICT || status >= 500) {
      this.retry(payload, attempt, "the server was busy");
    } else {
      // Refused for good (422: a value the server's rules reject; 403: the
      // launch is no longer valid). Retrying cannot help.
      this.acknowledge(payload);
      this.refused = (json && json.api_error_entity && json.api_error_entity.error_message) || "HTTP " + status;
    }
    this.report();
  };

  Transport.prototype.acknowledge = function (payload) {
    var dirty = this.dirty;
    Object.keys(payload.values).forEach(function (name) {
      if (dirty.get(name) === payload.values[name]) dirty.delete(name);
    });
  };

  // The server has seen a newer sequence number. If it is one of ours, that
  // newer commit carried these values too. If it is not (another window on
  // the same attempt), continue after it so these values still get saved.
  Transport.prototype.stale = function (payload, serverSeq) {
    if (typeof serverSeq === "number" && serverSeq > this.seq) {
      this.seq = serverSeq;
      this.send(payload.finish ? "finish" : payload.leave ? "leave" : null);
      return;
    }
    this.acknowledge(payload);
  };

  Transport.prototype.retry = function (payload, attempt, why) {
    var self = this;
    if (attempt >= RETRY_DELAYS_MS.length) {
      this.unreachable = why;
      this.report();
      return;
    }
    this.resending += 1;
    this.inFlight += 1;
    window.setTimeout(function () {
      self.inFlight -= 1;
      self.post(payload, attempt + 1);
    }, RETRY_DELAYS_MS[attempt]);
  };

  // Nothing more will happen without a new commit: every request answered,
  // and every value saved, or no longer worth waiting for.
  Transport.prototype.settled = function () {
    return this.inFlight === 0 && (this.dirty.size === 0 || !this.url || this.unreachable !== null);
  };

  // ---- the API object -------------------------------------------------------

  function describe(rules, code) {
    var text = rules.table.errors[String(code)];
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

  function ScormApi(rules, config, onChange) {
    this.rules = rules;
    this.state = new Map(Object.entries(config.cmi || {}));
    // "new" until LMSInitialize, "running" until LMSFinish, then "finished";
    // "left" when the page goes away without LMSFinish.
    this.phase = "new";
    this.lastError = NO_ERROR;
    this.diagnostic = "";
    this.onChange = onChange || function () {};
    var self = this;
    this.transport = new Transport(config, function () {
      self.onChange(self);
    });
  }

  ScormApi.prototype.fail = function (code, diagnostic) {
    this.lastError = code;
    this.diagnostic = diagnostic || describe(this.rules, code);
    return code === NO_ERROR;
  };

  // The error for a call that needs a running session, or NO_ERROR.
  // Decision: after LMSFinish the API is "not initialized" again, as SCORM
  // 1.2 defines 301, so LMSFinish twice is 301 too; only a second
  // LMSInitialize is 101 (general exception), as the 1.2 RTE specifies.
  ScormApi.prototype.sessionError = function () {
    return this.phase === "running" ? NO_ERROR : NOT_INITIALIZED;
  };

  ScormApi.prototype.initialize = function (arg) {
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

  ScormApi.prototype.finish = function (arg) {
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

  ScormApi.prototype.getValue = function (name) {
    var error = this.sessionError();
    if (error) {
      this.fail(error, "LMSGetValue needs a session started by LMSInitialize");
      return "";
    }
    var answer = this.rules.get(this.state, typeof name === "string" ? name : String(name));
    this.fail(answer[1], answer[1] ? describe(this.rules, answer[1]) + ": " + name : "");
    return answer[0];
  };

  ScormApi.prototype.setValue = function (name, value) {
    var error = this.sessionError();
    if (error) return this.fail(error, "LMSSetValue needs a session started by LMSInitialize");
    var text = asString(value);
    if (text === null) return this.fail(INCORRECT_DATA_TYPE, "LMSSetValue needs a string value");
    var key = typeof name === "string" ? name : String(name);
    var code = this.rules.set(this.state, key, text);
    if (code !== NO_ERROR) return this.fail(code, describe(this.rules, code) + ": " + key);
    this.transport.change(key, text);
    this.fail(NO_ERROR, "");
    this.onChange(this);
    return true;
  };

  ScormApi.prototype.commit = function (arg) {
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
  ScormApi.prototype.leave = function () {
    if (this.phase !== "running") return;
    this.phase = "left";
    this.transport.send("leave");
  };

  // Save unsent values now (the tab was hidden and may never come back).
  ScormApi.prototype.flush = function () {
    if (this.phase === "running" && this.transport.dirty.size > 0) {
      this.transport.send(null);
    }
  };

  // The eight functions content calls; results are SCORM's strings.
  ScormApi.prototype.binding = function () {
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
      LMSGetErrorString: function (code) { return describe(self.rules, code); },
      LMSGetDiagnostic: function (code) {
        if (code === "" || code === undefined || String(code) === String(self.lastError)) {
          return self.diagnostic;
        }
        return describe(self.rules, code);
      }
    };
  };

  function start(config, onChange) {
    var runtime = new ScormApi(new Rules(config.table), config, onChange);
    window.API = runtime.binding();
    return runtime;
  }

  window.ScormPlayer = { start: start, Rules: Rules };
})();
