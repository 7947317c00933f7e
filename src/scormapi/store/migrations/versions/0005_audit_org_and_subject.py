"""audit_events.org_id and subject_user_id: the audit log per organization

AdminApi/GetAuditLog lists the events of an organization and its
descendants, and filters by the user an event is about. Events recorded
before this revision keep both columns null: they belong to no organization,
so only a reader of the root organization's log sees them.

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

# (column, the table it references)
COLUMNS = (("org_id", "organizations"), ("subject_user_id", "users"))


def upgrade() -> None:
    for column, target in COLUMNS:
        _add_reference(column, target)
    op.create_index("ix_audit_org_time", "audit_events", ["org_id", "occurred_at"])
    op.create_index("ix_audit_events_subject_user_id", "audit_events", ["subject_user_id"])


def _add_reference(column: str, target: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        # As in 0004: SQLite adds a nullable column with its reference in
        # place, where Alembic would rebuild the table (and break the foreign
        # keys pointing at it). CHAR(32) is how the Uuid type stores there.
        op.execute(f"ALTER TABLE audit_events ADD COLUMN {column} CHAR(32) REFERENCES {target} (id)")
    else:
        op.add_column("audit_events", sa.Column(column, sa.Uuid(), sa.ForeignKey(f"{target}.id"), nullable=True))


def downgrade() -> None:
    op.drop_index("ix_audit_events_subject_user_id", table_name="audit_events")
    op.drop_index("ix_audit_org_time", table_name="audit_events")
    for column, _ in reversed(COLUMNS):
        op.drop_column("audit_events", column)
