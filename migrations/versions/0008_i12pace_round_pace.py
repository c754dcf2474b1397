"""results: pace_seconds and next_round_at, for a paced count that advances by itself

``pace_seconds`` is the interval ``--pace`` set (NULL: each round waits for a moderator);
``next_round_at`` is when the scheduler declares the next round (NULL once fully declared,
or with no pace). Both live in the database so a restart resumes the pacing.

Revision ID: 0007i12pace
Revises: 0007i13event
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007i12pace"
down_revision: str | None = "0007i13event"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pace_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("next_round_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("results", schema=None) as batch_op:
        batch_op.drop_column("next_round_at")
        batch_op.drop_column("pace_seconds")
