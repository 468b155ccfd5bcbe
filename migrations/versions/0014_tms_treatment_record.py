"""tms treatment record: what each delivered visit gave, the course's dose prescription, the MT re-check interval

Existing courses get no prescription (NULLs, an empty target); the clinic's re-check interval starts at 7 days.

Revision ID: 0014
Revises: 0009
Create Date: 2026-11-29 03:43:16.278445

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0014'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('tms_treatment_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('target', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('coil', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('motor_threshold_pct', sa.Integer(), nullable=False),
    sa.Column('motor_threshold_measured_on', sa.Date(), nullable=False),
    sa.Column('intensity_pct', sa.Integer(), nullable=False),
    sa.Column('pattern', sa.Enum('1hz', '10hz', '18hz', '20hz', 'itbs', 'ctbs', 'other', name='stimulation_pattern', native_enum=False, length=16), nullable=False),
    sa.Column('pulses', sa.Integer(), nullable=False),
    sa.Column('duration_seconds', sa.Integer(), nullable=False),
    sa.Column('adverse_events', sa.JSON(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('duration_seconds BETWEEN 1 AND 7200', name=op.f('ck_tms_treatment_records_duration_range')),
    sa.CheckConstraint('intensity_pct BETWEEN 50 AND 150', name=op.f('ck_tms_treatment_records_intensity_range')),
    sa.CheckConstraint('motor_threshold_pct BETWEEN 1 AND 100', name=op.f('ck_tms_treatment_records_motor_threshold_range')),
    sa.CheckConstraint('pulses BETWEEN 1 AND 10000', name=op.f('ck_tms_treatment_records_pulses_range')),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_tms_treatment_records_patient_id_users')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_tms_treatment_records_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['session_id'], ['tms_sessions.id'], name=op.f('fk_tms_treatment_records_session_id_tms_sessions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tms_treatment_records')),
    sa.UniqueConstraint('session_id', name=op.f('uq_tms_treatment_records_session_id'))
    )
    with op.batch_alter_table('tms_treatment_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tms_treatment_records_patient_id'), ['patient_id'], unique=False)

    with op.batch_alter_table('clinic_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('motor_threshold_recheck_days', sa.Integer(), server_default='7', nullable=False))
        batch_op.create_check_constraint(op.f('ck_clinic_settings_motor_threshold_recheck_range'),
                                         'motor_threshold_recheck_days BETWEEN 1 AND 90')

    with op.batch_alter_table('tms_courses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prescribed_target', sqlmodel.sql.sqltypes.AutoString(length=60), server_default='', nullable=False))
        batch_op.add_column(sa.Column('prescribed_pattern', sa.Enum('1hz', '10hz', '18hz', '20hz', 'itbs', 'ctbs', 'other', name='stimulation_pattern', native_enum=False, length=16), nullable=True))
        batch_op.add_column(sa.Column('prescribed_intensity_pct', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('prescribed_pulses', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_tms_courses_prescribed_intensity_range'),
            'prescribed_intensity_pct IS NULL OR prescribed_intensity_pct BETWEEN 50 AND 150')
        batch_op.create_check_constraint(
            op.f('ck_tms_courses_prescribed_pulses_range'),
            'prescribed_pulses IS NULL OR prescribed_pulses BETWEEN 1 AND 10000')



def downgrade() -> None:
    with op.batch_alter_table('tms_courses', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_tms_courses_prescribed_pulses_range'), type_='check')
        batch_op.drop_constraint(op.f('ck_tms_courses_prescribed_intensity_range'), type_='check')
        batch_op.drop_column('prescribed_pulses')
        batch_op.drop_column('prescribed_intensity_pct')
        batch_op.drop_column('prescribed_pattern')
        batch_op.drop_column('prescribed_target')

    with op.batch_alter_table('clinic_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_clinic_settings_motor_threshold_recheck_range'), type_='check')
        batch_op.drop_column('motor_threshold_recheck_days')

    with op.batch_alter_table('tms_treatment_records', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tms_treatment_records_patient_id'))

    op.drop_table('tms_treatment_records')
