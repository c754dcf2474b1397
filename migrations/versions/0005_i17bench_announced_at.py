"""elections.announced_at: a timed close and its announcement are two recorded steps

Revision ID: 0005_i17bench
Revises: 0003i16edge
Create Date: 2026-11-30

Closes made before this revision were announced when they were made (the scheduler posted
right after committing), so existing closed elections are marked announced at their close:
an upgrade must not announce old closes again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_i17bench"
down_revision: str | None = "0003i16edge"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announced_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE elections SET announced_at = closed_at WHERE closed_at IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.drop_column("announced_at")
