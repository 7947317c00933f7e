/*
 * The SCORM 2004 format checks of cmi/scorm2004/types.py, registered in
 * window.ScormApiPlayer.formats under the names their Format.to_json gives:
 * "localized", "language", "calendar" and "finite_real". Each answers the
 * outcome name Python's Format.check answers for the same value.
 *
 * The checks are also exposed as window.ScormApiPlayer.types2004 for the
 * interaction formats (interactions2004.js): isLanguage(tag, lookups),
 * localizedOutcome(value, limit, lookups), isIdentifier(value, limit) and
 * isReal(value). `lookups` is the table's "lookups" (language.TABLES).
 */
(function () {
  "use strict";

  var OK = "OK";

  // The regexes of types.py and language.py, with the same sources, so the
  // parity tests can compare them character for character.
  var WHITESPACE_CLASS = "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
  var URI_CHAR = "(?:[A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2}|[^\\x00-\\x9f" + WHITESPACE_CLASS + "])";
  var IDENTIFIER_SOURCE = "(?=[\\s\\S])(?:[A-Za-z][A-Za-z0-9+.-]*:(?=[^#])|(?![^/?#]*:))" +
    URI_CHAR + "*(?:#" + URI_CHAR + "*)?";
  var REAL_SOURCE = "[+-]?(?:[0-9]+\\.?[0-9]*|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?";
  var LANGUAGE_SOURCE = "(?:[A-Za-z]{2,3}|[iIxX])(?:-[A-Za-z0-9]{1,8})*";

  var IDENTIFIER = new RegExp("^(?:" + IDENTIFIER_SOURCE + ")$", "u");
  var REAL = new RegExp("^(?:" + REAL_SOURCE + ")$", "u");
  var LANGUAGE = new RegExp("^(?:" + LANGUAGE_SOURCE + ")$", "u");
  var LOCALIZED = /^(?:\{lang=([^}]*)\})?([\s\S]*)$/u;
  var DATE = /^([0-9]{4})-([0-9]{2})-([0-9]{2})/;
  var LOCAL_RANGE = /^q[a-t][a-z]$/;

  // Lengths count code points, as Python's len does.
  function codePoints(text) {
    var count = 0;
    for (var _ of text) count++;
    return count;
  }

  // The code tables as sets, built once per lookups object.
  var tables = null;
  function tablesOf(lookups) {
    if (tables === null || tables.lookups !== lookups) {
      tables = {
        lookups: lookups,
        iso639_1: new Set(lookups.iso639_1 || []),
        iso639_2: new Set(lookups.iso639_2 || []),
        iso3166: new Set(lookups.iso3166 || []),
        iana: new Set(lookups.iana_tags || [])
      };
    }
    return tables;
  }

  // language.is_language: a registered IANA tag (or one with more subcodes),
  // x- private use, or a listed langcode and an optional country.
  function isRegistered(parts, codes) {
    for (var end = 2; end <= parts.length; end++) {
      if (codes.iana.has(parts.slice(0, end).join("-"))) return true;
    }
    return false;
  }

  function isLangcode(code, codes) {
    if (code.length === 2) return codes.iso639_1.has(code);
    return codes.iso639_2.has(code) || LOCAL_RANGE.test(code);
  }

  function isLanguage(tag, lookups) {
    if (typeof tag !== "string" || !LANGUAGE.test(tag)) return false;
    var codes = tablesOf(lookups);
    var parts = tag.toLowerCase().split("-");
    if (isRegistered(parts, codes)) return true;
    var code = parts[0];
    if (code === "x") return parts.length > 1;
    if (code === "i" || !isLangcode(code, codes)) return false;
    return parts.length === 1 || (parts[1].length === 2 && codes.iso3166.has(parts[1].toUpperCase()));
  }

  // types.localized_outcome; limit null means no limit.
  function localizedOutcome(value, limit, lookups) {
    if (typeof value !== "string") return "TYPE_MISMATCH";
    var match = LOCALIZED.exec(value);
    if (match[1] !== undefined && !isLanguage(match[1], lookups)) return "TYPE_MISMATCH";
    if (limit !== null && limit !== undefined && codePoints(match[2]) > limit) return "TOO_LONG";
    return OK;
  }

  function isIdentifier(value, limit) {
    if (typeof value !== "string") return false;
    if (limit !== null && limit !== undefined && codePoints(value) > limit) return false;
    return IDENTIFIER.test(value);
  }

  function fitsDouble(value) {
    var number = Number(value);
    return number !== Infinity && number !== -Infinity;
  }

  function isReal(value) {
    return typeof value === "string" && REAL.test(value) && fitsDouble(value);
  }

  // types.is_real_date: the day of a leading YYYY-MM-DD exists.
  function isRealDate(value) {
    var match = DATE.exec(value);
    if (match === null) return true;
    var year = Number(match[1]), month = Number(match[2]), day = Number(match[3]);
    if (month < 1 || month > 12) return false;
    // Day 0 of the next month is the last day of this one.
    var last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    return day >= 1 && day <= last;
  }

  var player = window.ScormApiPlayer = window.ScormApiPlayer || {};
  var formats = player.formats = player.formats || {};

  formats.localized = function (value, spec, lookups) {
    return localizedOutcome(value, spec.max_length, lookups);
  };
  formats.language = function (value, spec, lookups) {
    return isLanguage(value, lookups) ? OK : "TYPE_MISMATCH";
  };
  formats.calendar = function (value) {
    return isRealDate(value) ? OK : "TYPE_MISMATCH";
  };
  formats.finite_real = function (value) {
    return fitsDouble(value) ? OK : "OUT_OF_RANGE";
  };

  player.types2004 = {
    isLanguage: isLanguage,
    localizedOutcome: localizedOutcome,
    isIdentifier: isIdentifier,
    isReal: isReal,
    sources: { identifier: IDENTIFIER_SOURCE, real: REAL_SOURCE, language: LANGUAGE_SOURCE }
  };
})();
