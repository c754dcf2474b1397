"""questions: where each question's card was posted (``card_message``)

A Discord card (the question's announcement with its upvote button) is updated when the
question is merged, dismissed or answered; any process must find it, so where it was posted
(``channel:message``) is kept with the question. Nullable: existing rows keep their meaning
(their cards are simply not updated).

Revision ID: 0013i13menus
Revises: 0012i13fixes
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013i13menus"
down_revision: str | None = "0012i13fixes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("card_message", sa.String(length=128), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_column("card_message")
