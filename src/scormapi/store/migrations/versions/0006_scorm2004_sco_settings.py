"""courseware_scos: the SCORM 2004 settings a SCO is launched with

- completion_threshold: adlcp:completionThreshold, kept only when the
  manifest makes completion depend on the measure (4th edition
  completedByMeasure, or a 3rd edition threshold);
- scaled_passing_score: the primary objective's minNormalizedMeasure, kept
  only when it is satisfiedByMeasure;
- objective_ids: the objectiveIDs of the SCO's objectives, in manifest
  order, joined by single spaces (they are URIs, which hold no spaces).

"" means none in each. SCOs imported before this revision get "": a 2004
package imported earlier must be imported again for its SCOs to have them.
data_from_lms, max_time_allowed and time_limit_action already hold a 2004
SCO's values.

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COLUMNS = (
    ("completion_threshold", sa.String(length=32)),
    ("scaled_passing_score", sa.String(length=32)),
    ("objective_ids", sa.Text()),
)


# Plain ADD and DROP COLUMN, as in 0003: on SQLite Alembic's batch mode would
# rebuild the table, which sco_attempts' foreign keys refuse once they hold rows.


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column("courseware_scos", sa.Column(name, type_, nullable=False, server_default=""))


def downgrade() -> None:
    for name, _ in reversed(COLUMNS):
        op.drop_column("courseware_scos", name)
