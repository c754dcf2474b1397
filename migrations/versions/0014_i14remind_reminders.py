"""reminders and turnout by section: roll_links.address, reminders_sent, roll_section_turnout

``roll_links.address`` holds a linked account's platform, workspace and user id,
Fernet-encrypted under a key derived from the voter-key secret, so ``/election remind`` can
send it a private reminder (NULL for links made before: those members /link again to be
reminded). ``reminders_sent`` keeps when an election's reminders last went out on each platform (one
a day per platform).
``roll_section_turnout`` counts a roll election's voters per roll section, as
``roll_turnout`` does per branch (ballots cast before it are in no section's counter).

Revision ID: 0014i14remind
Revises: 0013i13menus
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014i14remind"
down_revision: str | None = "0013i13menus"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _per_election(name: str, *columns: sa.Column[object], key: tuple[str, ...]) -> None:
    op.create_table(
        name,
        sa.Column("election_id", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f(f"fk_{name}_election_id_elections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(*key, name=op.f(f"pk_{name}")),
    )


def upgrade() -> None:
    with op.batch_alter_table("roll_links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.Text(), nullable=True))
    _per_election(
        "roll_section_turnout",
        sa.Column("section", sa.String(length=100), nullable=False),
        sa.Column("voters", sa.Integer(), nullable=False),
        key=("election_id", "section"),
    )
    _per_election(
        "reminders_sent",
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        key=("election_id", "platform"),
    )


def downgrade() -> None:
    op.drop_table("reminders_sent")
    op.drop_table("roll_section_turnout")
    with op.batch_alter_table("roll_links", schema=None) as batch_op:
        batch_op.drop_column("address")
