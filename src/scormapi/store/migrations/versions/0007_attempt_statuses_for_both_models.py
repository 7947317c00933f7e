"""sco_attempts, sco_attempt_history: typed columns that hold both models

- completion_status: completed, incomplete, not attempted or unknown
  (SCORM 2004's words; a 1.2 status maps onto them);
- success_status: passed, failed or unknown;
- score_scaled: -1..1 (SCORM 2004's score.scaled; a 1.2 raw score / 100).

lesson_status stays the one summary status reports and the roll-up read,
in SCORM 1.2's words, for both models. Rows written before this revision
(all SCORM 1.2, as 2004 SCOs ran on the 1.2 model until then) get the
columns from their lesson_status and score_raw, as the 1.2 profile derives
them from now on.

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

TABLES = ("sco_attempts", "sco_attempt_history")

# lesson_status -> (completion_status, success_status), as cmi.scorm2004.mapping says.
_STATUSES = {
    "passed": ("completed", "passed"),
    "failed": ("completed", "failed"),
    "completed": ("completed", "unknown"),
    "incomplete": ("incomplete", "unknown"),
    "browsed": ("incomplete", "unknown"),
    "not attempted": ("not attempted", "unknown"),
}


def upgrade() -> None:
    # Plain ADD COLUMN, as in 0003: on SQLite Alembic's batch mode would
    # rebuild the tables, which their foreign keys refuse once they hold rows.
    for table in TABLES:
        op.add_column(table, sa.Column("completion_status", sa.String(length=32), nullable=False,
                                       server_default="unknown"))
        op.add_column(table, sa.Column("success_status", sa.String(length=16), nullable=False,
                                       server_default="unknown"))
        op.add_column(table, sa.Column("score_scaled", sa.Float(), nullable=True))
        _fill(table)


def _fill(table: str) -> None:
    rows = sa.table(table, sa.column("lesson_status"), sa.column("completion_status"), sa.column("success_status"),
                    sa.column("score_raw"), sa.column("score_scaled"))
    for status, (completion, success) in _STATUSES.items():
        op.execute(rows.update().where(rows.c.lesson_status == status)
                   .values(completion_status=completion, success_status=success))
    op.execute(rows.update().where(rows.c.score_raw.is_not(None)).values(score_scaled=rows.c.score_raw / 100.0))


def downgrade() -> None:
    for table in TABLES:
        for name in ("score_scaled", "success_status", "completion_status"):
            op.drop_column(table, name)
