"""the membership roll: roll_members, roll_links, link_attempts, roll_turnout;
elections.electorate and roll_rules

Existing elections keep ``electorate = 'roles'`` (the server default), so nothing changes for
them.

Revision ID: 0010i14roll
Revises: 0009i13mod
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010i14roll"
down_revision: str | None = "0009i13mod"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "roll_members",
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("branch", sa.String(length=100), nullable=False),
        sa.Column("section", sa.String(length=100), nullable=False),
        sa.Column("joined", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=True),
        sa.Column("departed_at", sa.DateTime(), nullable=True),
        sa.Column("code_hash", sa.String(length=64), nullable=True),
        sa.Column("code_expires_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name=op.f("pk_roll_members")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_roll_members_code_hash")),
    )
    op.create_table(
        "roll_links",
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("member_id", sa.String(length=64), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["roll_members.member_id"],
            name=op.f("fk_roll_links_member_id_roll_members"),
        ),
        sa.PrimaryKeyConstraint("account_key", name=op.f("pk_roll_links")),
        sa.UniqueConstraint("member_id", "platform", name="uq_roll_link_platform"),
    )
    op.create_table(
        "link_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_key", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link_attempts")),
    )
    op.create_index("ix_link_attempts_account", "link_attempts", ["account_key", "at"])
    op.create_table(
        "roll_turnout",
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("branch", sa.String(length=100), nullable=False),
        sa.Column("voters", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_roll_turnout_election_id_elections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("election_id", "branch", name=op.f("pk_roll_turnout")),
    )
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("electorate", sa.String(length=8), server_default="roles", nullable=False)
        )
        batch_op.add_column(sa.Column("roll_rules", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("elections", schema=None) as batch_op:
        batch_op.drop_column("roll_rules")
        batch_op.drop_column("electorate")
    op.drop_table("roll_turnout")
    op.drop_index("ix_link_attempts_account", table_name="link_attempts")
    op.drop_table("link_attempts")
    op.drop_table("roll_links")
    op.drop_table("roll_members")
