"""sco_attempts.commit_seq as a 64-bit integer

The API allows sequence numbers up to 2**53 - 1; a 32-bit column overflowed
at 2**31 on PostgreSQL. SQLite's INTEGER is already 64-bit, so there is
nothing to change there (and altering a column would rebuild the table).

Revision ID: 0002
Revises: 0001
"""
import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column("sco_attempts", "commit_seq", type_=sa.BigInteger(), existing_type=sa.Integer(), existing_nullable=False)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return
    op.alter_column("sco_attempts", "commit_seq", type_=sa.Integer(), existing_type=sa.BigInteger(), existing_nullable=False)
