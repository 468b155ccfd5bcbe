"""TMS timing true to the clinic: actual visit starts and their history, session length, prescribed sessions,
make-ups, clinic time zone/hours/holiday region, closures, PHQ-9 difficulty, PCL-5 experience

Revision ID: 0005
Revises: 0008
Create Date: 2026-11-29 00:10:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0005'
down_revision: Union[str, None] = '0008'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('clinic_closures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_clinic_closures_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clinic_closures')),
    sa.UniqueConstraint('day', name=op.f('uq_clinic_closures_day'))
    )
    op.create_table('tms_session_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status_from', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('status_to', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('started_from', sa.DateTime(timezone=True), nullable=True),
    sa.Column('started_to', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_tms_session_changes_changed_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['tms_sessions.id'], name=op.f('fk_tms_session_changes_session_id_tms_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tms_session_changes'))
    )
    with op.batch_alter_table('tms_session_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tms_session_changes_session_id'), ['session_id'], unique=False)

    op.create_table('homework_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('thought_record', 'activity_plan', 'exposure_practice', 'dbt_skill', 'diary_card', 'mood_checkin', 'questionnaire', name='homework_kind', native_enum=False, length=24), nullable=False),
    sa.Column('target', sa.String(length=64), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_homework_entries_patient_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_homework_entries'))
    )
    with op.batch_alter_table('homework_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_homework_entries_patient_id'), ['patient_id'], unique=False)

    with op.batch_alter_table('tms_courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_minutes', sa.Integer(), server_default='40', nullable=False))
        batch_op.add_column(sa.Column('prescribed_sessions', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('include_weekends', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('tms_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('started_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('makeup_for_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_tms_sessions_makeup_for_id_tms_sessions'), 'tms_sessions', ['makeup_for_id'], ['id'])
    with op.batch_alter_table('clinic_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), server_default='America/New_York', nullable=False))
        batch_op.add_column(sa.Column('opens_at', sa.Time(), server_default='07:00:00', nullable=False))
        batch_op.add_column(sa.Column('closes_at', sa.Time(), server_default='19:00:00', nullable=False))
        batch_op.add_column(sa.Column('holiday_country', sqlmodel.sql.sqltypes.AutoString(length=2), server_default='US', nullable=False))
        batch_op.add_column(sa.Column('holiday_region', sqlmodel.sql.sqltypes.AutoString(length=8), server_default='', nullable=False))
    with op.batch_alter_table('questionnaire_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('difficulty', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('experience', sa.Text(), nullable=True))
        batch_op.create_check_constraint('difficulty_range', 'difficulty IS NULL OR difficulty BETWEEN 0 AND 3')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('stressful_experience', sa.Text(), server_default='', nullable=False))
    # A visit marked done before this migration began when it was booked: the best record there is.
    op.execute("UPDATE tms_sessions SET started_at = scheduled_at WHERE status = 'completed'")


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('stressful_experience')
    with op.batch_alter_table('questionnaire_responses', schema=None) as batch_op:
        batch_op.drop_constraint('difficulty_range', type_='check')
        batch_op.drop_column('experience')
        batch_op.drop_column('difficulty')
    with op.batch_alter_table('clinic_settings', schema=None) as batch_op:
        batch_op.drop_column('holiday_region')
        batch_op.drop_column('holiday_country')
        batch_op.drop_column('closes_at')
        batch_op.drop_column('opens_at')
        batch_op.drop_column('timezone')
    with op.batch_alter_table('tms_sessions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tms_sessions_makeup_for_id_tms_sessions'), type_='foreignkey')
        batch_op.drop_column('makeup_for_id')
        batch_op.drop_column('started_at')
    with op.batch_alter_table('tms_courses', schema=None) as batch_op:
        batch_op.drop_column('include_weekends')
        batch_op.drop_column('prescribed_sessions')
        batch_op.drop_column('session_minutes')
    with op.batch_alter_table('tms_session_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tms_session_changes_session_id'))
    op.drop_table('tms_session_changes')
    with op.batch_alter_table('homework_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_homework_entries_patient_id'))
    op.drop_table('homework_entries')
    op.drop_table('clinic_closures')
