"""PostgreSQL and several processes: 64-bit random ballot ids, a claim on announcing a close

``ballots.id`` becomes BIGINT on PostgreSQL, where it was a 32-bit SERIAL: ballot ids are now
random 62-bit numbers on every database, not the next in cast order. SQLite's
``INTEGER PRIMARY KEY`` is already the 64-bit rowid, so there it is left as it is.
``elections.announcing_until`` is the time a scheduler's claim on announcing a timed close
runs out (NULL: nobody is announcing it), so several bot processes announce it once.

Revision ID: 0011i15pg
Revises: 0010i14roll
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011i15pg"
down_revision: str | None = "0010i14roll"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column("ballots", "id", type_=sa.BigInteger(), existing_type=sa.Integer())
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("announcing_until", sa.DateTime(), nullable=True))


def downgrade() -> None:
    """Drops the claim column. On PostgreSQL the ballot ids go back to 32 bits only while every
    stored id fits: random 62-bit ids issued since the upgrade cannot be narrowed without
    renumbering ballots (which would break their receipts), and the older code reads a BIGINT
    column unchanged, so the column is then left wide rather than failing the downgrade."""
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.drop_column("announcing_until")
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        widest = bind.execute(sa.text("SELECT max(abs(id)) FROM ballots")).scalar()
        if widest is None or widest <= _INT32_MAX:
            op.alter_column("ballots", "id", type_=sa.Integer(), existing_type=sa.BigInteger())


_INT32_MAX = 2**31 - 1
