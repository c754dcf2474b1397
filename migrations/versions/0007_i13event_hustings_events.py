"""hustings: a hustings as an event in a channel; questions.hustings_id groups its questions

At most one open hustings (``ended_at`` NULL) per channel, guarded by a partial unique index.
Existing questions belong to no hustings (NULL).

Revision ID: 0007i13event
Revises: 0006i12count
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007i13event"
down_revision: str | None = "0006i12count"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hustings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("platform", sa.String(length=32), nullable=False),
        sa.Column("workspace", sa.String(length=64), nullable=False),
        sa.Column("channel", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("ballot_election_id", sa.Integer(), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("ended_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["ballot_election_id"],
            ["elections.id"],
            name=op.f("fk_hustings_ballot_election_id_elections"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hustings")),
        sa.UniqueConstraint(
            "platform", "workspace", "channel", "number", name="uq_hustings_number"
        ),
    )
    with op.batch_alter_table("hustings", schema=None) as batch_op:
        batch_op.create_index(
            "uq_hustings_open",
            ["platform", "workspace", "channel"],
            unique=True,
            sqlite_where=sa.text("ended_at IS NULL"),
            postgresql_where=sa.text("ended_at IS NULL"),
        )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hustings_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_questions_hustings_id"), ["hustings_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_questions_hustings_id_hustings"),
            "hustings",
            ["hustings_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_questions_hustings_id_hustings"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_questions_hustings_id"))
        batch_op.drop_column("hustings_id")
    with op.batch_alter_table("hustings", schema=None) as batch_op:
        batch_op.drop_index("uq_hustings_open")
    op.drop_table("hustings")
