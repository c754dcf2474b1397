"""questions: reason codes, merges, who answered, edited answers, proposed rewordings

Issue 13 items 1–3: ``dismiss_code`` beside the shown ``dismiss_reason``; ``merged_into_id``
(a duplicate merged into another question); ``answered_by``/``answered_at``;
``answer_edited_at`` and ``answer_message`` (where the answer was posted, so a re-answer edits
it); ``proposed_text``/``proposed_by`` (a rewording waiting for the asker's consent). Every
column is nullable: existing rows keep their meaning.

Revision ID: 0009i13mod
Revises: 0007i12pace
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009i13mod"
down_revision: str | None = "0007i12pace"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    ("dismiss_code", sa.String(length=32)),
    ("answered_by", sa.String(length=200)),
    ("answered_at", sa.DateTime()),
    ("answer_edited_at", sa.DateTime()),
    ("answer_message", sa.String(length=128)),
    ("proposed_text", sa.Text()),
    ("proposed_by", sa.String(length=64)),
)


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        for name, kind in _COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.add_column(sa.Column("merged_into_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_questions_merged_into_id_questions",
            "questions",
            ["merged_into_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_questions_merged_into_id_questions", type_="foreignkey")
        batch_op.drop_column("merged_into_id")
        for name, _ in reversed(_COLUMNS):
            batch_op.drop_column(name)
