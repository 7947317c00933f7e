/*
 * The commit transport: sends the values content sets to the server's
 * Commit endpoint, for any SCORM version's binding, and keeps the save state
 * the run-time page shows (saved, resending, refused, unreachable).
 *
 * A binding calls change(name, value) for each value it accepts,
 * forget(name) for one its rules removed before it was sent, and
 * send(ending) to commit; ending is "finish" when the content finished the
 * session, "leave" when the page goes away with it open, null otherwise.
 *
 * Exposes window.ScormApiPlayer.Transport.
 */
(function () {
  "use strict";

  // The server's envelope error codes the transport reacts to (scormapi/errors.py).
  var SERVER_CONFLICT = 6;
  var SERVER_STALE = 10;

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

  // Drop a value not yet sent: the binding's rules removed it (a new
  // interaction type clears the old responses), so the server must not get
  // it back. A request in flight that carries it is answered as before.
  Transport.prototype.forget = function (name) {
    this.dirty.delete(name);
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

  var player = window.ScormApiPlayer = window.ScormApiPlayer || {};
  player.Transport = Transport;
})();
