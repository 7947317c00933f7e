"""A minimal navigation for courses of several SCOs, without a sequencing
engine: SCOs play in manifest order, the learner may choose any of them,
and adl.nav.request is acted on after Terminate as §7's table says.

`request_valid` gives the adl.nav.request_valid.* values a SCO reads, and
`decide` the same answer for the request it made, so the two never
disagree.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass

LAUNCH, EXIT, EXIT_ALL, SUSPEND_ALL, NONE = "launch", "exit", "exit_all", "suspend_all", "none"

_PREFIX = "adl.nav.request_valid."
_TARGETED = re.compile(r"\{target=([^}]*)\}(choice|jump)")
# Requests that end this SCO or the course; abandon* do so without the
# roll-up of statuses.
_ENDING = {
    "exit": (EXIT, False),
    "exitAll": (EXIT_ALL, False),
    "abandon": (EXIT, True),
    "abandonAll": (EXIT_ALL, True),
}


@dataclass(frozen=True)
class Decision:
    """What the LMS does after Terminate.

    `action` is one of LAUNCH (`target` is the SCO to launch), EXIT (back
    to the table of contents), EXIT_ALL (the course attempt ends),
    SUSPEND_ALL (the course is suspended; `target` is the SCO the next
    launch resumes) or NONE (nothing; `reason` says why when the request
    was not valid). `abandoned` marks abandon/abandonAll: the statuses of
    the ended attempt are not rolled up.
    """

    action: str
    target: str | None = None
    reason: str = ""
    abandoned: bool = False


def _position(order: Sequence[str], current: str) -> int:
    try:
        return list(order).index(current)
    except ValueError:
        raise ValueError(f"SCO {current!r} is not in the course's order") from None


def request_valid(order: Sequence[str], current: str) -> dict[str, str]:
    """The adl.nav.request_valid.* values for `current` in the manifest
    `order` of SCO ids: continue and previous by position, choice and jump
    "true" for every SCO of the course (each is deliverable, the current
    one included). ValueError when `current` is not in `order`."""
    position = _position(order, current)
    values = {
        _PREFIX + "continue": _word(position + 1 < len(order)),
        _PREFIX + "previous": _word(position > 0),
    }
    for kind in ("choice", "jump"):
        values.update({f"{_PREFIX}{kind}.{{target={sco}}}": "true" for sco in order})
    return values


def _word(flag: bool) -> str:
    return "true" if flag else "false"


def decide(request: str, order: Sequence[str], current: str) -> Decision:
    """The decision for the adl.nav.request `request` made by `current`.

    continue/previous launch the next/previous SCO in `order`; a choice or
    jump launches its target if the course has it; exit, exitAll, abandon,
    abandonAll and suspendAll end as `Decision` says; "_none_" does
    nothing. A request `request_valid` calls false (continue from the last
    SCO, a target the course lacks) or outside the vocabulary does nothing,
    with a reason. ValueError when `current` is not in `order`.
    """
    position = _position(order, current)
    if request in _ENDING:
        action, abandoned = _ENDING[request]
        return Decision(action, abandoned=abandoned)
    if request == "suspendAll":
        return Decision(SUSPEND_ALL, target=current)
    if request == "_none_":
        return Decision(NONE)
    if request in ("continue", "previous"):
        return _step(order, position, 1 if request == "continue" else -1)
    targeted = _TARGETED.fullmatch(request)
    if targeted is None:
        return Decision(NONE, reason=f"unknown navigation request {request!r}")
    target, kind = targeted.groups()
    if target not in order:
        return Decision(NONE, reason=f"{kind} to {target!r}: no such SCO in the course")
    return Decision(LAUNCH, target=target)


def _step(order: Sequence[str], position: int, step: int) -> Decision:
    following = position + step
    if 0 <= following < len(order):
        return Decision(LAUNCH, target=order[following])
    word = "continue" if step > 0 else "previous"
    edge = "last" if step > 0 else "first"
    return Decision(NONE, reason=f"{word} from {order[position]!r}: it is the {edge} SCO of the course")
