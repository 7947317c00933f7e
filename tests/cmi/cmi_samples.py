"""Sample values shared by the cmi tests: for every data type one valid value
and one invalid value, each chosen on the edge of the type's rule."""

VALID_AND_INVALID = {
    "CMIBlank": ("", " "),
    "CMIString255": ("x" * 255, "x" * 256),
    "CMIString4096": ("x" * 4096, "x" * 4097),
    "CMIDecimal": ("-1.5", "1e3"),
    "CMIInteger": ("65536", "65537"),
    "CMISInteger": ("-32768", "-32769"),
    "CMIIdentifier": ("q" * 255, "q 1"),
    "CMITime": ("23:59:59.99", "24:00:00"),
    "CMITimespan": ("9999:59:59.99", "1:00:00"),
    "CMIFeedback": ("x" * 255, "x" * 256),
    "CMIScore": ("100", "100.01"),
    "CMIAudio": ("-1", "-2"),
    "CMISpeed": ("-100", "101"),
    "CMIText": ("1", "2"),
    "CMIVocabulary.credit": ("no-credit", "Credit"),
    "CMIVocabulary.status": ("incomplete", "done"),
    "CMIVocabulary.entry": ("resume", "Resume"),
    "CMIVocabulary.mode": ("review", "test"),
    "CMIVocabulary.exit": ("suspend", "quit"),
    "CMIVocabulary.time_limit_action": ("continue,no message", "continue, no message"),
    "CMIVocabulary.interaction_type": ("likert", "essay"),
    "CMIVocabulary.result": ("-2.5", "maybe"),
}


# Per type, values on both sides of each rule.
CASES = {
    "CMIBlank": {"valid": [""], "invalid": [" ", "0", "x"]},
    "CMIString255": {
        "valid": ["", "Doe, Jane", "x" * 255, "\u00e9" * 255, "\U0001f600" * 255],
        "invalid": ["x" * 256, "\U0001f600" * 256],
    },
    "CMIString4096": {"valid": ["", "x" * 4096], "invalid": ["x" * 4097]},
    "CMIDecimal": {
        "valid": ["0", "-1", "50.25", "-0.5", "5.", ".5", "-.5", "007", "123456789.123"],
        "invalid": ["", "-", ".", "1e3", "1E3", " 5", "5 ", "+5", "5,5", "1.2.3", "--1",
                    "NaN", "Infinity", "\u0665"],
    },
    "CMIInteger": {
        "valid": ["0", "1", "65536", "00065536"],
        "invalid": ["", "-1", "65537", "1.0", "1e2", " 1", "+1", "99999999999999999999"],
    },
    "CMISInteger": {
        "valid": ["-32768", "32768", "0", "-0", "-1"],
        "invalid": ["-32769", "32769", "", "-", "1.5", "+3"],
    },
    "CMIIdentifier": {
        "valid": ["q1", "urn:x-y_z/1", "q" * 255, "\u00e9t\u00e9"],
        "invalid": ["", "q" * 256, "q 1", "q\t1", "q\n", " q", "q\u00a0", "q\u3000",
                    "q\ufeff", "q\x1c"],
    },
    "CMITime": {
        "valid": ["00:00:00", "23:59:59", "09:30:00.5", "23:59:59.99"],
        "invalid": ["24:00:00", "9:30:00", "12:60:00", "12:00:60", "12:00:00.123", "", "12:00"],
    },
    "CMITimespan": {
        "valid": ["00:00:00", "0000:00:00.00", "9999:59:59.99", "123:45:06.7"],
        "invalid": ["1:00:00", "00:60:00", "00:00:60", "10000:00:00", "00:00:00.001", ""],
    },
    "CMIFeedback": {"valid": ["", "a,b", "x" * 255], "invalid": ["x" * 256]},
    "CMIScore": {
        "valid": ["", "0", "100", "50.25", "0.0", "100.00", "-0"],
        "invalid": ["-1", "-0.01", "100.01", "101", "1e2", " 5", "abc"],
    },
    "CMIAudio": {"valid": ["-1", "0", "100"], "invalid": ["-2", "101", "", "1.5"]},
    "CMISpeed": {"valid": ["-100", "0", "100"], "invalid": ["-101", "101", "", "5.0"]},
    "CMIText": {"valid": ["-1", "0", "1"], "invalid": ["-2", "2", "", "0.5"]},
    "CMIVocabulary.credit": {
        "valid": ["credit", "no-credit"],
        "invalid": ["", "Credit", "no credit"],
    },
    "CMIVocabulary.status": {
        "valid": ["passed", "completed", "failed", "incomplete", "browsed", "not attempted"],
        "invalid": ["", "Passed", "not_attempted", "complete", " passed"],
    },
    "CMIVocabulary.entry": {"valid": ["ab-initio", "resume", ""], "invalid": ["abinitio", " "]},
    "CMIVocabulary.mode": {"valid": ["browse", "normal", "review"], "invalid": ["", "Normal"]},
    "CMIVocabulary.exit": {
        "valid": ["time-out", "suspend", "logout", ""],
        "invalid": ["timeout", "normal", "Suspend"],
    },
    "CMIVocabulary.time_limit_action": {
        "valid": ["exit,message", "exit,no message", "continue,message", "continue,no message"],
        "invalid": ["", "exit", "exit, message"],
    },
    "CMIVocabulary.interaction_type": {
        "valid": ["true-false", "choice", "fill-in", "matching", "performance",
                  "sequencing", "likert", "numeric"],
        "invalid": ["", "true_false", "Choice"],
    },
    "CMIVocabulary.result": {
        "valid": ["correct", "wrong", "unanticipated", "neutral", "0", "-1", "0.75"],
        "invalid": ["", "Correct", "incorrect", "1e1"],
    },
}


def concrete(pattern: str) -> str:
    """The first item's name for an element pattern (every n becomes 0)."""
    return ".".join("0" if part == "n" else part for part in pattern.split("."))
