"""The SCORM data models as data: types, element tables, error codes, timespans, run-time rules."""
