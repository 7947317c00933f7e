"""Request-body building blocks shared by every API area.

FastAPI validates the decoded JSON in Python mode, where pydantic's lax
conversions would turn "1" into a number or "true" into a boolean. Scalars
here are strict, so a wrong JSON type is a 422 naming the field; UUIDs and
dates stay lax because JSON can only carry them as strings.
"""
from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Strict, StringConstraints

Str = Annotated[str, Strict()]
Int = Annotated[int, Strict()]
Bool = Annotated[bool, Strict()]
Num = Annotated[float, Strict()]
Name = Annotated[str, Strict(), StringConstraints(min_length=1, max_length=255)]


class Body(BaseModel):
    """A JSON request body; unknown fields are ignored, as NexPort does."""

    model_config = ConfigDict(extra="ignore")
