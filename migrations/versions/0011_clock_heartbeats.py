"""clock heartbeats: the clock process records each delivery cycle; /healthz reports the age

Revision ID: 0011
Revises: 0007
Create Date: 2026-11-29 00:45:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision: str = '0011'
down_revision: Union[str, None] = '0007'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'clock_heartbeats',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('beat_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_clock_heartbeats')),
    )


def downgrade() -> None:
    op.drop_table('clock_heartbeats')
