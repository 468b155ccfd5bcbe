"""exposure sessions and onboarding: the SUDS ratings a practice's timer asked for, and the patient welcome tour

Existing practices keep their before/peak/after and get no timed ratings. Existing users have used the app
already, so their tour counts as done (they can still open it from the Me page); people created from now on start
at its first step.

Revision ID: 0013
Revises: 0014
Create Date: 2026-11-29 04:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0013'
down_revision: Union[str, None] = '0014'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table(
        'exposure_practice_ratings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.Column('minute', sa.Integer(), nullable=False),
        sa.Column('suds', sa.Integer(), nullable=False),
        sa.CheckConstraint('suds BETWEEN 0 AND 100', name=op.f('ck_exposure_practice_ratings_suds_range')),
        sa.CheckConstraint('minute BETWEEN 0 AND 600', name=op.f('ck_exposure_practice_ratings_minute_range')),
        sa.ForeignKeyConstraint(['practice_id'], ['exposure_practices.id'],
                                name=op.f('fk_exposure_practice_ratings_practice_id_exposure_practices')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_exposure_practice_ratings')),
    )
    with op.batch_alter_table('exposure_practice_ratings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exposure_practice_ratings_practice_id'), ['practice_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('onboarding', sa.Enum('pending', 'skipped', 'done', name='onboarding',
                                                            native_enum=False, length=8),
                                      server_default='pending', nullable=False))
        batch_op.add_column(sa.Column('onboarding_step', sa.Integer(), server_default='0', nullable=False))
    op.execute("UPDATE users SET onboarding = 'done'")


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('onboarding_step')
        batch_op.drop_column('onboarding')
    with op.batch_alter_table('exposure_practice_ratings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exposure_practice_ratings_practice_id'))
    op.drop_table('exposure_practice_ratings')
