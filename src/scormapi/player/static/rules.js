/*
 * The data-model rules, compiled from the element table the server renders
 * (cmi/engine.py table_json), for any SCORM version: resolve, get, set,
 * validate and itemCount make the decisions cmi/names.py and cmi/engine.py
 * make, in the same order, so the browser and the server never disagree.
 *
 * Answers are the engine's outcomes by name ("OK", "TYPE_MISMATCH",
 * "READ_ONLY", ...), never a version's error numbers: each binding maps them
 * to its own (the table's error_codes).
 *
 * State is a Map from concrete element name to value, as the engine's dict.
 *
 * Exposes window.ScormApiPlayer.Rules, .OK and .formats (the registry that
 * a version's format checks add themselves to, see compileFormat).
 */
(function () {
  "use strict";

  var OK = "OK";
  var INDEX = "n";
  var COUNT_SUFFIX = "._count";
  // Any run of ASCII digits is an index position; whether it is written
  // canonically is the table's index_regex to say.
  var DIGITS = /^[0-9]+$/;
  var KEY_PLACEHOLDER = /^\{([a-z_]+)\}$/;

  // ---- names: the pattern tree of cmi/names.py ------------------------------

  // A pattern or a prefix of one ("cmi", "cmi.interactions.n"). The server
  // has already refused a malformed table, so patterns are taken as given.
  function Node(pattern) {
    this.pattern = pattern;
    this.isPattern = false;
    this.literals = new Map();
    this.index = null;
    this.key = null;
    this.keyed = null;
  }

  Node.prototype.grow = function (part) {
    var path = this.pattern ? this.pattern + "." + part : part;
    var placeholder = KEY_PLACEHOLDER.exec(part);
    if (part === INDEX) {
      this.index = this.index || new Node(path);
      return this.index;
    }
    if (placeholder !== null) {
      this.key = placeholder[1];
      this.keyed = this.keyed || new Node(path);
      return this.keyed;
    }
    if (!this.literals.has(part)) this.literals.set(part, new Node(path));
    return this.literals.get(part);
  };

  // [segment, where the next one starts].
  function readPlain(name, start) {
    var end = name.indexOf(".", start);
    if (end < 0) end = name.length;
    return [name.slice(start, end), end + 1];
  }

  // The value of a "{key=value}" segment at start and where the next segment
  // starts, or null. The value runs to the first "}", which must end the segment.
  function readKeyed(name, start, key) {
    var opening = "{" + key + "=";
    if (!name.startsWith(opening, start)) return null;
    var close = name.indexOf("}", start);
    var endsSegment = close + 1 === name.length || name.startsWith(".", close + 1);
    if (close <= start + opening.length || !endsSegment) return null;
    return [name.slice(start + opening.length, close), close + 2];
  }

  // Why a well-formed name matches no pattern (names._unmatched).
  function unmatched(parent, leaf, depth) {
    if (parent === null) return "UNDEFINED";
    if (leaf === "_children") return "NO_CHILDREN";
    if (leaf === "_count") return "NOT_AN_ARRAY";
    if (leaf === "_version" && depth > 2) return "NO_VERSION";
    return depth > 2 ? "UNKNOWN_CHILD" : "UNDEFINED";
  }

  // A name being matched one segment at a time; node becomes null once the
  // name leaves the tree (the rest is still read for malformed indexes).
  function Walk(name, root, indexRegex) {
    this.name = name;
    this.node = root;
    this.parent = null;
    this.leaf = "";
    this.depth = 0;
    this.indexRegex = indexRegex;
    this.indexes = [];
    this.keys = [];
    this.arrays = [];
    this.arrayPatterns = [];
  }

  // Where the next segment starts, or null for a malformed index.
  Walk.prototype.advance = function (start) {
    var stepped = this.keyedStep(start) || this.plainStep(start);
    if (stepped === null) return null;
    this.parent = this.node;
    this.node = stepped[0];
    this.leaf = this.name.slice(start, stepped[1] - 1);
    this.depth += 1;
    return stepped[1];
  };

  Walk.prototype.keyedStep = function (start) {
    var node = this.node;
    if (node === null || node.key === null) return null;
    var read = readKeyed(this.name, start, node.key);
    if (read === null) return null;
    this.keys.push([node.key, read[0]]);
    return [node.keyed, read[1]];
  };

  Walk.prototype.plainStep = function (start) {
    var read = readPlain(this.name, start);
    var segment = read[0];
    if (!DIGITS.test(segment)) {
      var child = this.node === null ? undefined : this.node.literals.get(segment);
      return [child === undefined ? null : child, read[1]];
    }
    if (!this.indexRegex.test(segment)) return null;
    return [this.indexStep(start, parseInt(segment, 10)), read[1]];
  };

  Walk.prototype.indexStep = function (start, index) {
    if (this.node === null || this.node.index === null) return null;
    this.indexes.push(index);
    this.arrays.push([this.name.slice(0, start - 1), index]);
    this.arrayPatterns.push(this.node.pattern);
    return this.node.index;
  };

  Walk.prototype.result = function (containers) {
    if (this.node !== null && !this.node.isPattern && this.node.keyed !== null && !containers) {
      return "MISSING_KEY";
    }
    if (this.node === null || !(this.node.isPattern || containers)) {
      return unmatched(this.parent, this.leaf, this.depth);
    }
    return {
      pattern: this.node.pattern,
      indexes: this.indexes,
      keys: this.keys,
      arrays: this.arrays,
      arrayPatterns: this.arrayPatterns
    };
  };

  // pattern with its placeholders filled in order (names.concrete).
  function concrete(pattern, indexes, keys) {
    var next = 0;
    var values = new Map(keys);
    return pattern.split(".").map(function (part) {
      if (part === INDEX) return String(indexes[next++]);
      var placeholder = KEY_PLACEHOLDER.exec(part);
      return placeholder === null ? part : "{" + placeholder[1] + "=" + values.get(placeholder[1]) + "}";
    }).join(".");
  }

  // ---- values: DataType.check of cmi/datatypes.py ---------------------------

  // The checks of datatypes.Format, by name, registered by the files that
  // define them (before or after this one, but before any Rules is built).
  var player = window.ScormApiPlayer = window.ScormApiPlayer || {};
  var formats = player.formats = player.formats || {};

  function compileFormat(spec, lookups) {
    if (spec === undefined || spec === null) return null;
    var check = formats[spec.name];
    if (typeof check !== "function") throw new Error("no check for the format " + spec.name);
    return function (value) { return check(value, spec, lookups); };
  }

  function compileType(spec, flags, lookups) {
    return {
      format: compileFormat(spec.format, lookups),
      regex: spec.regex === null ? null : new RegExp(spec.regex, flags),
      minimum: spec.minimum,
      maximum: spec.maximum,
      maxLength: spec.max_length,
      vocabulary: spec.vocabulary,
      allowBlank: spec.allow_blank
    };
  }

  // Lengths count code points, as Python's len does.
  function codePoints(text) {
    var count = 0;
    for (var _ of text) count++;
    return count;
  }

  // limit overrides the type's own length limit when it is not null.
  function checkType(type, value, limit) {
    if (typeof value !== "string") return "TYPE_MISMATCH";
    if (type.vocabulary.indexOf(value) >= 0) return OK;
    if (type.vocabulary.length > 0 && type.regex === null) return "TYPE_MISMATCH";
    if (value === "" && type.allowBlank) return OK;
    var most = limit !== null ? limit : type.maxLength;
    // The length first, so a huge value is refused without running a regex on it.
    if (most !== null && codePoints(value) > most) return "TOO_LONG";
    if (type.regex !== null && !type.regex.test(value)) return "TYPE_MISMATCH";
    if (type.format !== null) {
      var outcome = type.format(value);
      if (outcome !== OK) return outcome;
    }
    var number = Number(value);
    if (type.minimum !== null && number < type.minimum) return "OUT_OF_RANGE";
    if (type.maximum !== null && number > type.maximum) return "OUT_OF_RANGE";
    return OK;
  }

  // ---- the rules ------------------------------------------------------------

  function Rules(table) {
    var flags = table.regex_flags || "";
    var self = this;
    this.table = table;
    // DataModel(access_last=...): SCORM 2004 checks access after placement.
    this.accessLast = Boolean(table.access_last);
    // The names the last set removed (Element.clears), for the binding to
    // drop from what it has yet to commit.
    this.cleared = [];
    this.indexRegex = new RegExp(table.index_regex, flags);
    this.types = {};
    Object.keys(table.types).forEach(function (name) {
      self.types[name] = compileType(table.types[name], flags, table.lookups || {});
    });
    this.elements = new Map();
    this.root = new Node("");
    table.elements.forEach(function (element) {
      self.elements.set(element.pattern, element);
      var node = self.root;
      element.pattern.split(".").forEach(function (part) {
        node = node.grow(part);
      });
      node.isPattern = true;
    });
    // Per array pattern, the names relative to one item whose storage makes
    // the item exist (engine._item_leaves).
    this.leaves = new Map(Object.entries(table.arrays || {}));
  }

  // The pattern a name matches, or the outcome saying why none does
  // (PatternTree.match); containers also matches a prefix of a pattern.
  Rules.prototype.match = function (name, containers) {
    if (typeof name !== "string" || !this.root.literals.has(readPlain(name, 0)[0])) {
      return "UNDEFINED";
    }
    var walk = new Walk(name, this.root, this.indexRegex);
    var start = 0;
    while (start <= name.length) {
      var following = walk.advance(start);
      if (following === null) return "MALFORMED_INDEX";
      start = following;
    }
    return walk.result(containers);
  };

  // {name, element, indexes, keys, arrays: [[concrete array name, index], ...],
  // leaves: the item leaves of each array} or the outcome naming why there is
  // none. Array bounds need the state: get and set check them.
  Rules.prototype.resolve = function (name) {
    var match = this.match(name, false);
    // DataModel(root_keywords=False): "cmi._children" is no name at all.
    if ((match === "NO_CHILDREN" || match === "NOT_AN_ARRAY") && this.table.root_keywords === false &&
        name.split(".").length === 2) {
      return "UNDEFINED";
    }
    if (typeof match === "string") return match;
    var self = this;
    return {
      name: name,
      element: this.elements.get(match.pattern),
      indexes: match.indexes,
      keys: match.keys,
      arrays: match.arrays,
      leaves: match.arrayPatterns.map(function (pattern) { return self.leaves.get(pattern) || []; })
    };
  };

  function itemExists(state, array, index, leaves) {
    var prefix = array + "." + index + ".";
    return leaves.some(function (leaf) { return state.has(prefix + leaf); });
  }

  // Items are contiguous from 0 (set stores them in order): the number before
  // the first missing one, found by doubling then bisecting.
  function countItems(state, array, leaves) {
    if (!itemExists(state, array, 0, leaves)) return 0;
    var present = 0;
    var missing = 1;
    while (itemExists(state, array, missing, leaves)) {
      present = missing;
      missing *= 2;
    }
    while (missing - present > 1) {
      var middle = Math.floor((present + missing) / 2);
      if (itemExists(state, array, middle, leaves)) present = middle;
      else missing = middle;
    }
    return missing;
  }

  // The _count of a concrete array name ("cmi.interactions.0.objectives");
  // throws for a name that is not one.
  Rules.prototype.itemCount = function (state, array) {
    var match = this.match(array, true);
    if (typeof match === "string" || !this.leaves.has(match.pattern)) {
      throw new Error("not an array: " + array);
    }
    return countItems(state, array, this.leaves.get(match.pattern));
  };

  // Reading needs every indexed item to exist; writing may also append one
  // right after the last (or at 0), at each level of nesting.
  function itemsFit(state, resolved, appending) {
    for (var i = 0; i < resolved.arrays.length; i++) {
      var array = resolved.arrays[i][0];
      var index = resolved.arrays[i][1];
      var leaves = resolved.leaves[i];
      if (itemExists(state, array, index, leaves)) continue;
      if (!appending || (index > 0 && !itemExists(state, array, index - 1, leaves))) return false;
    }
    return true;
  }

  // The stored value of the element that picks resolved's type (type_by).
  function selector(state, resolved) {
    var typeBy = resolved.element.type_by;
    if (typeBy === undefined || state === null) return null;
    var value = state.get(concrete(typeBy, resolved.indexes, resolved.keys));
    return value === undefined ? null : value;
  }

  Rules.prototype.checkValue = function (resolved, value, state) {
    var element = resolved.element;
    var typeName = element.type;
    if (element.type_by !== undefined) {
      var chosen = selector(state, resolved);
      if (chosen === null) return "DEPENDENCY_NOT_ESTABLISHED";
      typeName = element.type + "." + chosen;
    }
    return checkType(this.types[typeName], value, element.max_length);
  };

  // Evaluation.value: null when no threshold is stored.
  function evaluate(rule, state) {
    var threshold = state.get(rule.threshold);
    if (threshold === undefined || threshold === "") return null;
    var measure = state.get(rule.measure);
    if (measure === undefined || measure === "") return rule.unset;
    return Number(measure) >= Number(threshold) ? rule.met : rule.unmet;
  }

  // [value, outcome] as engine.get_value answers content.
  Rules.prototype.get = function (state, name) {
    var resolved = this.resolve(name);
    if (typeof resolved === "string") return ["", resolved];
    if (!itemsFit(state, resolved, false)) return ["", "NO_SUCH_ITEM"];
    var element = resolved.element;
    if (element.keyword === "count") {
      var array = name.slice(0, -COUNT_SUFFIX.length);
      var leaves = this.leaves.get(element.pattern.slice(0, -COUNT_SUFFIX.length)) || [];
      return [String(countItems(state, array, leaves)), OK];
    }
    if (element.keyword !== null) return [element.value || "", OK];
    if (element.access === "WO") return ["", "WRITE_ONLY"];
    var evaluated = element.evaluated ? evaluate(element.evaluated, state) : null;
    if (evaluated !== null) return [evaluated, OK];
    if (!state.has(name)) {
      return element.default !== undefined ? [element.default, OK] : ["", "VALUE_NOT_INITIALIZED"];
    }
    return [state.get(name), OK];
  };

  // Whether value may be stored in name as far as its type goes
  // (engine.validate_value): no value can be set on a keyword.
  Rules.prototype.validate = function (name, value, state) {
    var resolved = this.resolve(name);
    if (typeof resolved === "string") return resolved;
    if (resolved.element.keyword !== null) return "KEYWORD_IS_READ_ONLY";
    return this.checkValue(resolved, value, state === undefined ? null : state);
  };

  function access(state, resolved) {
    var element = resolved.element;
    if (element.keyword !== null) return "KEYWORD_IS_READ_ONLY";
    if (element.access === "RO") return "READ_ONLY";
    return OK;
  }

  // Whether another item of the innermost array holds value in the same element.
  function repeats(state, resolved, value) {
    var last = resolved.arrays.length - 1;
    var array = resolved.arrays[last][0];
    var index = resolved.arrays[last][1];
    var leaf = resolved.name.slice((array + "." + index + ".").length);
    var count = countItems(state, array, resolved.leaves[last]);
    for (var other = 0; other < count; other++) {
      if (other !== index && state.get(array + "." + other + "." + leaf) === value) return true;
    }
    return false;
  }

  function mustBeUnique(state, resolved) {
    var element = resolved.element;
    return Boolean(element.unique) || (element.unique_by !== undefined &&
      element.unique_by.indexOf(selector(state, resolved)) >= 0);
  }

  // Array items, the array's limit, the dependency, write-once, uniqueness.
  function placement(state, resolved, value) {
    var element = resolved.element;
    if (!itemsFit(state, resolved, true)) return "INDEX_OUT_OF_ORDER";
    var limits = element.limit_by || {};
    var chosen = selector(state, resolved);
    if (chosen !== null && Object.prototype.hasOwnProperty.call(limits, chosen) &&
        resolved.indexes[resolved.indexes.length - 1] >= limits[chosen]) {
      return "ITEM_LIMIT";
    }
    if (element.requires && !state.has(concrete(element.requires, resolved.indexes, resolved.keys))) {
      return "DEPENDENCY_NOT_ESTABLISHED";
    }
    if (element.write_once && state.has(resolved.name) && state.get(resolved.name) !== value) {
      return "WRITE_ONCE";
    }
    if (mustBeUnique(state, resolved) && repeats(state, resolved, value)) return "NOT_UNIQUE";
    return OK;
  }

  // What set checks before the value's type (engine._may_set).
  Rules.prototype.maySet = function (state, resolved, value) {
    var checks = this.accessLast ? [placement, access] : [access, placement];
    for (var i = 0; i < checks.length; i++) {
      var outcome = checks[i](state, resolved, value);
      if (outcome !== OK) return outcome;
    }
    return OK;
  };

  // Remove what a changed value invalidates (Element.clears); returns the names removed.
  function clear(state, resolved, old, value) {
    var removed = [];
    if (old === undefined || old === value) return removed;
    (resolved.element.clears || []).forEach(function (pattern) {
      var prefix = concrete(pattern, resolved.indexes, resolved.keys);
      Array.from(state.keys()).forEach(function (name) {
        if (name === prefix || name.startsWith(prefix + ".")) {
          state.delete(name);
          removed.push(name);
        }
      });
    });
    return removed;
  }

  var BELOW_A_KNOWN_ELEMENT = ["UNKNOWN_CHILD", "NO_CHILDREN", "NOT_AN_ARRAY", "NO_VERSION"];

  // Whether a name that matches nothing passes an array index past its
  // _count first (engine._gap_on_the_way): SCORM 2004 reads left to right.
  Rules.prototype.gapOnTheWay = function (state, name) {
    var parts = name.split(".");
    var self = this;
    for (var end = parts.length - 1; end > 0; end--) {
      var match = this.match(parts.slice(0, end).join("."), true);
      if (typeof match !== "string") {
        var reached = {
          arrays: match.arrays,
          leaves: match.arrayPatterns.map(function (pattern) { return self.leaves.get(pattern) || []; })
        };
        return !itemsFit(state, reached, true);
      }
    }
    return false;
  };

  // An outcome, as engine.set_value answers content; stores the value only when OK.
  Rules.prototype.set = function (state, name, value) {
    this.cleared = [];
    var resolved = this.resolve(name);
    if (typeof resolved === "string") {
      if (this.accessLast && BELOW_A_KNOWN_ELEMENT.indexOf(resolved) >= 0 && this.gapOnTheWay(state, name)) {
        return "INDEX_OUT_OF_ORDER";
      }
      return resolved;
    }
    var outcome = this.maySet(state, resolved, value);
    if (outcome === OK) outcome = this.checkValue(resolved, value, state);
    if (outcome === OK && resolved.element.content_excluded.indexOf(value) >= 0) {
      outcome = "RESERVED_FOR_LMS";
    }
    if (outcome === OK) {
      var old = state.get(name);
      state.set(name, value);
      this.cleared = clear(state, resolved, old, value);
    }
    return outcome;
  };

  player.OK = OK;
  player.Rules = Rules;

  // Each version's binding (api12.js, api2004.js) registers its start here
  // under its table's version; the run-time page starts the one its table
  // names, so the page names no version of its own.
  player.bindings = player.bindings || {};
  player.start = function (config, onChange) {
    var bind = player.bindings[config.table.version];
    if (typeof bind !== "function") throw new Error("no run-time binding for data model " + config.table.version);
    return bind(config, onChange);
  };
})();
