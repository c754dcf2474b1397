"""results: declared_rounds, for a count declared round by round

NULL means the whole count was declared at once (every existing result).

Revision ID: 0006i12count
Revises: 0005_i17bench
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006i12count"
down_revision: str | None = "0005_i17bench"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("declared_rounds", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_column("declared_rounds")
