"""calendar: SEQUENCE per TMS session (bumped on reschedule and cancellation) and the patient's choice of entry
title ("TMS session" or a neutral word); existing sessions start at 0, existing feeds keep "TMS session"

Revision ID: 0008
Revises: 0003
Create Date: 2026-11-29 00:18:10.077483

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0008'
down_revision: Union[str, None] = '0003'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('event_title', sa.Enum('tms', 'neutral', name='calendar_title', native_enum=False, length=8), server_default='tms', nullable=False))
        batch_op.add_column(sa.Column('settings_changed_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('tms_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sequence', sa.Integer(), server_default='0', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('tms_sessions', schema=None) as batch_op:
        batch_op.drop_column('sequence')

    with op.batch_alter_table('calendar_feeds', schema=None) as batch_op:
        batch_op.drop_column('settings_changed_at')
        batch_op.drop_column('event_title')

