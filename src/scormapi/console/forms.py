"""What the console's management pages share: the organization a page is
about, among those where the user holds the page's permission, and a form
shown again with what was typed and each field's problem."""
from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from fastapi import Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from scormapi.api.deps import services
from scormapi.auth.permissions import Permission
from scormapi.console import records
from scormapi.console.gate import Admin, message_page
from scormapi.store.models import Organization

T = TypeVar("T")


@dataclass
class FormState:
    """A form as it is shown again: what was typed and each field's problem."""

    values: dict[str, str] = field(default_factory=dict)
    problems: dict[str, str] = field(default_factory=dict)

    def org_id(self) -> uuid.UUID | None:
        """The organization the form's "org" field names; when it names
        none, a problem beside that field."""
        found = as_uuid(self.values.get("org", ""))
        if found is None:
            self.problems["org"] = "Choose an organization."
        return found


def as_uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Chosen:
    """The organizations a page may offer, and the one it is about."""

    orgs: list[Organization]
    org: Organization

    def choices(self) -> list[tuple[str, str]]:
        """The organizations as a form's select offers them (id, name)."""
        return [(str(o.id), o.name) for o in self.orgs]


def choose_org(request: Request, admin: Admin, session: Session, permission: Permission,
               org_id: uuid.UUID | None) -> Chosen | Response:
    """The organizations where the user holds ``permission`` (there or
    through an ancestor) and ``org_id`` among them, or the first top one
    when none is asked for; a refusal page when the user holds it nowhere,
    or ``org_id`` is not among them (which tells nothing of what it is)."""
    orgs = records.reach(session, services(request).grants, admin.user_id, permission)
    if not orgs:
        return message_page(request, admin, "Not allowed", f"You hold {permission} in no organization.", 403)
    chosen = next((o for o in orgs if o.id == org_id), None) if org_id else records.tree(orgs)[0].org
    if chosen is None:
        message = f"No such organization among those you {permission.lower()} in."
        return message_page(request, admin, "Not found", message, 404)
    return Chosen(orgs, chosen)


def read_in_org(request: Request, admin: Admin, permission: Permission, org_id: uuid.UUID | None,
                read: Callable[[Session, Organization], T]) -> tuple[Chosen, T] | Response:
    """``read`` of the organization ``choose_org`` picks, in the same read
    transaction; or ``choose_org``'s refusal page."""
    with services(request).db.read() as session:
        chosen = choose_org(request, admin, session, permission, org_id)
        if not isinstance(chosen, Chosen):
            return chosen
        return chosen, read(session, chosen.org)
