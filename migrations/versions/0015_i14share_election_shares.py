"""shared elections: election_shares (a second channel, and what it has been told) and
share_codes (one-time codes, stored hashed)

Revision ID: 0015i14share
Revises: 0014i14remind
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015i14share"
down_revision: str | None = "0014i14remind"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "election_shares",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("shared_at", sa.DateTime(), nullable=False),
        sa.Column("shown_status", sa.String(length=16), nullable=False),
        sa.Column("shown_rounds", sa.Integer(), nullable=False),
        sa.Column("posting_until", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_election_shares_election_id_elections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_election_shares")),
        sa.UniqueConstraint("election_id", name="uq_election_share_election"),
    )
    op.create_index(
        "ix_election_shares_place", "election_shares", ["platform", "workspace", "channel"]
    )
    op.create_table(
        "share_codes",
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["elections.id"],
            name=op.f("fk_share_codes_election_id_elections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("code_hash", name=op.f("pk_share_codes")),
        sa.UniqueConstraint("election_id", name=op.f("uq_share_codes_election_id")),
    )


def downgrade() -> None:
    op.drop_table("share_codes")
    op.drop_index("ix_election_shares_place", table_name="election_shares")
    op.drop_table("election_shares")
