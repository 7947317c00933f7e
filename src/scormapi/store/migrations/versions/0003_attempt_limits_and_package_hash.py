"""Attempt limits, grading across attempts, and the package's hash

- assignments.max_attempts (0 = unlimited) and assignments.grading_method
  ("highest", "last", "first") replace assignments.attempt_policy. The old
  policies map onto them: "new_attempt" (every relaunch of a finished lesson
  began a new attempt) becomes unlimited attempts; "review" (a finished
  lesson only reopened for review) becomes one attempt. Both keep the
  default grading, "highest", so no learner's result goes down.
- courseware.package_sha256: the SHA-256 of the imported zip, so importing
  the same file again into an organization is caught. Courseware imported
  before this revision has none (its zip was not kept) and matches nothing.

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("max_attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("grading_method", sa.String(length=16), nullable=False, server_default="highest"))
    op.execute("UPDATE assignments SET max_attempts = 1 WHERE attempt_policy = 'review'")
    with op.batch_alter_table("assignments") as batch:
        batch.drop_column("attempt_policy")
    with op.batch_alter_table("courseware") as batch:
        batch.add_column(sa.Column("package_sha256", sa.String(length=64), nullable=True))
        batch.create_index("ix_courseware_org_package", ["org_id", "package_sha256"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("courseware") as batch:
        batch.drop_index("ix_courseware_org_package")
        batch.drop_column("package_sha256")
    with op.batch_alter_table("assignments") as batch:
        batch.add_column(sa.Column("attempt_policy", sa.String(length=16), nullable=False, server_default="new_attempt"))
    op.execute("UPDATE assignments SET attempt_policy = 'review' WHERE max_attempts = 1")
    with op.batch_alter_table("assignments") as batch:
        batch.drop_column("max_attempts")
        batch.drop_column("grading_method")
