"""exposure recordings: PE imaginal session recordings a patient chose to send to the clinic

A new table only: nothing existed on the server before (recordings stayed on the phone), so there is no data to move.
One recording per ladder item; deleting the item deletes it.

Revision ID: 0019
Revises: 0013
Create Date: 2026-11-30 10:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa



# revision identifiers, used by Alembic.
revision: str = '0019'
down_revision: Union[str, None] = '0013'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'exposure_recordings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('patient_id', sa.Integer(), nullable=False),
        sa.Column('mime_type', sa.String(length=16), nullable=False),
        sa.Column('size_bytes', sa.Integer(), nullable=False),
        sa.Column('duration_seconds', sa.Integer(), nullable=False),
        sa.Column('audio', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('size_bytes > 0', name=op.f('ck_exposure_recordings_size_positive')),
        sa.CheckConstraint('duration_seconds BETWEEN 0 AND 36000', name=op.f('ck_exposure_recordings_duration_range')),
        sa.ForeignKeyConstraint(['item_id'], ['exposure_items.id'], ondelete='CASCADE',
                                name=op.f('fk_exposure_recordings_item_id_exposure_items')),
        sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_exposure_recordings_patient_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exposure_recordings')),
        sa.UniqueConstraint('item_id', name=op.f('uq_exposure_recordings_item_id')),
    )
    with op.batch_alter_table('exposure_recordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exposure_recordings_patient_id'), ['patient_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('exposure_recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exposure_recordings_patient_id'))
    op.drop_table('exposure_recordings')
