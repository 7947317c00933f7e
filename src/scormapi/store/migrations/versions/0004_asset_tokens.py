"""access_tokens.assignment_status_id: keys to a course's untracked pages

An item whose resource is an asset (a handout, a page) opens in the player
without a run-time and without a record. Its files are opened by a token
bound to the learner's assignment status rather than to an attempt, so
removing the status (a deleted enrollment or assignment) takes the key
with it.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a nullable column with its reference in place; Alembic
        # would ask for a table rebuild, which foreign keys pointing at
        # access_tokens' neighbours make fragile. CHAR(32) is how the Uuid
        # type stores on SQLite.
        op.execute("ALTER TABLE access_tokens ADD COLUMN assignment_status_id CHAR(32) REFERENCES assignment_statuses (id)")
    else:
        op.add_column(
            "access_tokens",
            sa.Column("assignment_status_id", sa.Uuid(), sa.ForeignKey("assignment_statuses.id"), nullable=True),
        )
    op.create_index("ix_access_tokens_assignment_status_id", "access_tokens", ["assignment_status_id"])


def downgrade() -> None:
    op.drop_index("ix_access_tokens_assignment_status_id", table_name="access_tokens")
    op.drop_column("access_tokens", "assignment_status_id")
