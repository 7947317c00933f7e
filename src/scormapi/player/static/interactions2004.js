/*
 * SCORM 2004 interaction responses in the browser: the check of the format
 * "interaction" of cmi/scorm2004/interactions.py, which judges
 * cmi.interactions.n.correct_responses.m.pattern (spec.role "pattern") and
 * cmi.interactions.n.learner_response ("response") of each interaction type
 * (spec.kind), with the same rules in the same order:
 *
 * - a run of leading "{name=value}" delimiters, in any order; a name the
 *   element does not take, or one already read, ends the run and the rest
 *   is content; a name it takes with an invalid value refuses the value;
 * - then the content, built with "[,]" (list), "[.]" (pair) and "[:]"
 *   (range) as the type says.
 *
 * Identifiers, reals, language tags and localized strings are judged by the
 * checks types2004.js exposes (ScormApiPlayer.types2004), looked up when a
 * value is checked, so the two files may load in either order.
 *
 * Registers ScormApiPlayer.formats.interaction.
 */
(function () {
  "use strict";

  var player = window.ScormApiPlayer = window.ScormApiPlayer || {};
  var formats = player.formats = player.formats || {};

  var OK = "OK";
  var MISMATCH = "TYPE_MISMATCH";
  var LIST = "[,]";
  var PAIR = "[.]";
  var RANGE = "[:]";
  var BOOLEAN = ["true", "false"];

  // The limits interactions.py enforces (see its docstring): the
  // identifier rule's limit and the stated maxima of a fill-in answer and
  // of a performance step answer.
  var SHORT_IDENTIFIER_LIMIT = 250;
  var FILL_IN_ITEM_LIMIT = 250;
  var STEP_ANSWER_LIMIT = 250;

  function shared() {
    var types = player.types2004;
    if (!types) throw new Error("types2004.js is not loaded");
    return types;
  }

  // Lengths count code points, as Python's len does.
  function codePoints(text) {
    var count = 0;
    for (var _ of text) count++;
    return count;
  }

  function every(items, test) {
    for (var i = 0; i < items.length; i++) {
      if (!test(items[i])) return false;
    }
    return true;
  }

  // ---- leading delimiters ---------------------------------------------------

  function delimiterValueOk(name, value, lookups) {
    if (name === "lang") return shared().isLanguage(value, lookups);
    return BOOLEAN.indexOf(value) >= 0;
  }

  // The content after the delimiters the element takes, or null when one of
  // them carries an invalid value (interactions.read_delimiters).
  function readDelimiters(value, allowed, lookups) {
    var found = {};
    var start = 0;
    while (value.startsWith("{", start)) {
      var close = value.indexOf("}", start);
      if (close < 0) break;
      var inner = value.slice(start + 1, close);
      var equals = inner.indexOf("=");
      if (equals < 0) break;
      var name = inner.slice(0, equals);
      if (allowed.indexOf(name) < 0 || Object.prototype.hasOwnProperty.call(found, name)) break;
      if (!delimiterValueOk(name, inner.slice(equals + 1), lookups)) return null;
      found[name] = true;
      start = close + 1;
    }
    return value.slice(start);
  }

  // ---- content ----------------------------------------------------------------

  function identifier(text) {
    return shared().isIdentifier(text, SHORT_IDENTIFIER_LIMIT);
  }

  function trueFalse(content) {
    return BOOLEAN.indexOf(content) >= 0;
  }

  // A set of identifiers, none repeated; "" is the empty set.
  function choice(content) {
    if (content === "") return true;
    var items = content.split(LIST);
    return every(items, identifier) && new Set(items).size === items.length;
  }

  function fillIn(content, lookups) {
    return every(content.split(LIST), function (item) {
      return shared().localizedOutcome(item, FILL_IN_ITEM_LIMIT, lookups) === OK;
    });
  }

  function text() {
    return true;
  }

  // The two sides of "a[.]b", or null without exactly one "[.]".
  function pair(item) {
    var sides = item.split(PAIR);
    return sides.length === 2 ? sides : null;
  }

  function matchingItem(item) {
    var sides = pair(item);
    return sides !== null && identifier(sides[0]) && identifier(sides[1]);
  }

  function matching(content) {
    return every(content.split(LIST), matchingItem);
  }

  function matchingOrBlank(content) {
    return content === "" || matching(content);
  }

  // "min[:]max": exactly one "[:]", each side empty or a real, min <= max.
  function range(content) {
    var sides = content.split(RANGE);
    var isReal = shared().isReal;
    if (sides.length !== 2) return false;
    if (!every(sides, function (side) { return side === "" || isReal(side); })) return false;
    return sides[0] === "" || sides[1] === "" || Number(sides[0]) <= Number(sides[1]);
  }

  // "name[.]answer": the name an identifier, the answer a range or at most
  // 250 characters; either may be empty, not both.
  function step(item) {
    var sides = pair(item);
    if (sides === null || (sides[0] === "" && sides[1] === "")) return false;
    if (sides[0] !== "" && !identifier(sides[0])) return false;
    if (sides[1].indexOf(RANGE) >= 0) return range(sides[1]);
    return codePoints(sides[1]) <= STEP_ANSWER_LIMIT;
  }

  function performance(content) {
    return every(content.split(LIST), step);
  }

  // Identifiers in order, repeats allowed, at least one.
  function sequencing(content) {
    return every(content.split(LIST), identifier);
  }

  function number(content) {
    return shared().isReal(content);
  }

  function rule(delimiters, content) {
    return { delimiters: delimiters, content: content };
  }

  // By interaction type, then pattern or response (interactions._RULES).
  var RULES = {
    "true-false": { pattern: rule([], trueFalse), response: rule([], trueFalse) },
    "choice": { pattern: rule([], choice), response: rule([], choice) },
    "fill-in": { pattern: rule(["case_matters", "order_matters"], fillIn), response: rule([], fillIn) },
    "long-fill-in": { pattern: rule(["case_matters", "lang"], text), response: rule(["lang"], text) },
    "likert": { pattern: rule([], identifier), response: rule([], identifier) },
    "matching": { pattern: rule([], matching), response: rule([], matchingOrBlank) },
    "performance": { pattern: rule(["order_matters"], performance), response: rule([], performance) },
    "sequencing": { pattern: rule([], sequencing), response: rule([], sequencing) },
    "numeric": { pattern: rule([], range), response: rule([], number) },
    "other": { pattern: rule([], text), response: rule([], text) }
  };

  formats.interaction = function (value, spec, lookups) {
    var found = RULES[spec.kind] && RULES[spec.kind][spec.role];
    if (!found) throw new Error("no interaction format for " + spec.kind + " " + spec.role);
    var content = readDelimiters(value, found.delimiters, lookups);
    return content !== null && found.content(content, lookups) ? OK : MISMATCH;
  };
})();
