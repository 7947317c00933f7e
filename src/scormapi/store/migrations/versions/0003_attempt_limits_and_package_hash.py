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


# Plain ALTER TABLE, not Alembic's batch mode: on SQLite batch mode copies
# the table and drops the old one, which foreign keys from other tables
# (assignment_statuses, courseware_scos) refuse once they hold rows. SQLite
# 3.35 and later drop a column in place.


def upgrade() -> None:
    op.add_column("assignments", sa.Column("max_attempts", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("assignments", sa.Column("grading_method", sa.String(length=16), nullable=False, server_default="highest"))
    op.execute("UPDATE assignments SET max_attempts = 1 WHERE attempt_policy = 'review'")
    op.drop_column("assignments", "attempt_policy")
    op.add_column("courseware", sa.Column("package_sha256", sa.String(length=64), nullable=True))
    op.create_index("ix_courseware_org_package", "courseware", ["org_id", "package_sha256"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_courseware_org_package", table_name="courseware")
    op.drop_column("courseware", "package_sha256")
    op.add_column("assignments", sa.Column("attempt_policy", sa.String(length=16), nullable=False, server_default="new_attempt"))
    op.execute("UPDATE assignments SET attempt_policy = 'review' WHERE max_attempts = 1")
    op.drop_column("assignments", "max_attempts")
    op.drop_column("assignments", "grading_method")
