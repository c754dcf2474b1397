"""questions: published flag, draft numbers, per-member index; channel flood limits

A question that was never shown to the channel must stay invisible to members even after it
is dismissed, so whether it was ever published is stored. Existing open or answered questions
were published; an existing dismissed one is taken as never published (hiding a question that
was once public is the safe way to be wrong). The flood limits are per channel, NULL meaning
the default. A question held for approval gets a draft number (``P3``) and its public number
(``Q7``) only when published, so members see no gaps; existing rows keep their numbers.

Revision ID: 0002i18text
Revises: 0001
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002i18text"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("published", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("draft_number", sa.Integer(), nullable=True))
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=True)
        batch_op.create_unique_constraint(
            "uq_question_draft_number", ["platform", "workspace", "channel", "draft_number"]
        )
        batch_op.create_index(
            "ix_questions_asker", ["platform", "workspace", "channel", "asker_user_id"]
        )
    op.execute(
        sa.text("UPDATE questions SET published = :yes WHERE status IN ('open', 'answered')")
        .bindparams(yes=True)
    )
    with op.batch_alter_table("channel_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("question_limit", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("question_window", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("channel_settings", schema=None) as batch_op:
        batch_op.drop_column("question_window")
        batch_op.drop_column("question_limit")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_asker")
        batch_op.drop_constraint("uq_question_draft_number", type_="unique")
        batch_op.alter_column("number", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("draft_number")
        batch_op.drop_column("published")
