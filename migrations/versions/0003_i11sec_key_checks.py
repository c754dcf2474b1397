"""key_checks: fingerprints of the secrets the database was used with

Revision ID: 0003_i11sec
Revises: 0002i18text
Create Date: 2026-11-30
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003_i11sec'
down_revision: str | None = '0002i18text'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('key_checks',
    sa.Column('purpose', sa.String(length=32), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('purpose', name=op.f('pk_key_checks'))
    )


def downgrade() -> None:
    op.drop_table('key_checks')
