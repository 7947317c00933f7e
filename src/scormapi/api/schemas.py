"""Request-body building blocks shared by every API area.

FastAPI validates the decoded JSON in Python mode, where pydantic's lax
conversions would turn "1" into a number or "true" into a boolean. Scalars
here are strict, so a wrong JSON type is a 422 naming the field; UUIDs and
dates stay lax because JSON can only carry them as strings.

Every text a body carries, dict keys and list items included, follows one
rule, checked by ``Body`` before any field is: a request is refused before
anything reaches a database. NUL (U+0000) is refused because PostgreSQL text cannot
hold it; lone surrogates (U+D800..U+DFFF, which JSON's ``\\ud800`` escapes
can carry) because UTF-8 cannot encode them. Refused, never altered: a value
stored is the value sent.
"""
from __future__ import annotations

from collections import deque
from datetime import datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Strict, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

# What a column of String(255) holds: names, logins, titles, SCO ids.
NAME_MAX = 255
UNSTORABLE = "string_unstorable"
# A body full of bad text is answered with the first few: the message must
# not grow with the body.
MAX_PROBLEMS = 20

Str = Annotated[str, Strict()]


def date_text(value: Any) -> Any:
    """Dates must arrive as text: pydantic would read a number as epoch seconds."""
    if not isinstance(value, str):
        raise PydanticCustomError("datetime_type", "Input should be an ISO 8601 date-time string")
    return value


# An ISO 8601 date-time; a Zoned one must say its time zone.
Date = Annotated[datetime, BeforeValidator(date_text)]
ZonedDate = Annotated[AwareDatetime, BeforeValidator(date_text)]
Int = Annotated[int, Strict()]
Bool = Annotated[bool, Strict()]
Num = Annotated[float, Strict()]
Name = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=NAME_MAX)]


def unstorable(text: str) -> str | None:
    """Why ``text`` cannot be stored exactly, or None."""
    if "\x00" in text:
        return "must not contain the NUL character (U+0000)"
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return "must not contain unpaired surrogates (U+D800..U+DFFF)"
    return None


def _plain(value: Any) -> bool:
    """ASCII text without NUL: storable, and cheap to tell."""
    return type(value) is str and value.isascii() and "\x00" not in value


def text_problems(value: Any) -> list[str]:
    """Every string in a decoded JSON value that cannot be stored, by path,
    outer fields first. A loop, not recursion: a body nested as deep as the
    JSON parser allows must not exhaust the stack here."""
    problems: list[str] = []
    # (value, its path, why its field name cannot be stored or None)
    pending: deque[tuple[Any, str, str | None]] = deque([(value, "", None)])
    while pending and len(problems) < MAX_PROBLEMS:
        item, path, bad_name = pending.popleft()
        if bad_name:
            problems.append(f"{path}: the field name {bad_name}")
        if isinstance(item, str):
            why = unstorable(item)
            if why:
                problems.append(f"{path}: {why}")
        elif isinstance(item, dict):
            for key, child in item.items():
                if _plain(key) and _plain(child):
                    continue  # most of a body: no path needs building
                # Shown escaped: the message itself must be encodable.
                shown = str(key).encode("utf-8", "backslashreplace").decode("utf-8")
                where = f"{path}.{shown}" if path else shown
                pending.append((child, where, unstorable(key) if isinstance(key, str) else None))
        elif isinstance(item, list):
            pending.extend((child, f"{path}.{index}", None) for index, child in enumerate(item))
    return problems


class Body(BaseModel):
    """A JSON request body. A field the operation does not define is refused
    (422 "name: unknown field"): ignoring a misspelt repair field would let an
    operator believe a repair happened. So is any text, field names included,
    that a database cannot store exactly (see the module's note)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _storable_text(cls, data: Any) -> Any:
        problems = text_problems(data)
        if problems:
            raise PydanticCustomError(UNSTORABLE, "; ".join(problems))
        return data
