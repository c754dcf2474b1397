"""questions: anonymous askers kept as a keyed hash and a sealed copy; the stats cooldown

``questions.asker_key`` (a keyed hash of the asker in the channel) and ``asker_sealed`` (their
id and name, encrypted under a key derived from the voter-key secret) hold the asker of an
anonymous question; ``asker_user_id`` and ``asker_name`` become nullable and are filled only
for a ``--named`` one (``bot.services.question_askers``). Existing rows are left as they were:
a migration has no secret to hash or seal with, and the code still matches them by the raw id.
``channel_settings.stats_posted_at``: when ``/questions stats`` last posted the figures in the
channel (``bot.services.flood.stats_cooldown``).

Downgrading fills the asker of every anonymous question asked since with ``"sealed"``
(no raw id exists to restore), so those questions lose their askers.

Revision ID: 0012i13fixes
Revises: 0011i15pg
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012i13fixes"
down_revision: str | None = "0011i15pg"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ASKER_INDEX = ["platform", "workspace", "channel", "asker_key"]


def upgrade() -> None:
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("asker_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("asker_sealed", sa.Text(), nullable=True))
        batch_op.alter_column("asker_user_id", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("asker_name", existing_type=sa.String(length=200), nullable=True)
        batch_op.create_index("ix_questions_asker_key", _ASKER_INDEX, unique=False)
    with op.batch_alter_table("channel_settings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("stats_posted_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("channel_settings", schema=None) as batch_op:
        batch_op.drop_column("stats_posted_at")
    op.execute("UPDATE questions SET asker_user_id = 'sealed' WHERE asker_user_id IS NULL")
    op.execute("UPDATE questions SET asker_name = 'sealed' WHERE asker_name IS NULL")
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.drop_index("ix_questions_asker_key")
        batch_op.alter_column("asker_name", existing_type=sa.String(length=200), nullable=False)
        batch_op.alter_column("asker_user_id", existing_type=sa.String(length=64), nullable=False)
        batch_op.drop_column("asker_sealed")
        batch_op.drop_column("asker_key")
