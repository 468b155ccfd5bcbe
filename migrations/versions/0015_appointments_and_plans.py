"""therapy appointments and the shared treatment plan (versions)

New tables only: existing data is untouched.

Revision ID: 0015
Revises: 0016
Create Date: 2026-11-29 04:00:00

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0015'
down_revision: Union[str, None] = '0016'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('therapy_appointments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('therapist_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='appointment_status', native_enum=False, length=16), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_therapy_appointments_created_by_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_therapy_appointments_patient_id_users')),
    sa.ForeignKeyConstraint(['therapist_id'], ['users.id'], name=op.f('fk_therapy_appointments_therapist_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_therapy_appointments'))
    )
    with op.batch_alter_table('therapy_appointments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_therapy_appointments_patient_id'), ['patient_id'], unique=False)
        batch_op.create_index('ix_therapy_appointments_therapist_starts', ['therapist_id', 'starts_at'], unique=False)

    op.create_table('treatment_plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('focus', sa.JSON(), nullable=False),
    sa.Column('phase', sa.Enum('acute', 'taper', 'maintenance', name='plan_phase', native_enum=False, length=16), nullable=False),
    sa.Column('modalities', sa.JSON(), nullable=False),
    sa.Column('homework_minutes', sa.Integer(), nullable=False),
    sa.Column('edited_by_id', sa.Integer(), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['edited_by_id'], ['users.id'], name=op.f('fk_treatment_plans_edited_by_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_treatment_plans_patient_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_treatment_plans')),
    sa.UniqueConstraint('patient_id', 'version', name=op.f('uq_treatment_plans_patient_id_version'))
    )
    with op.batch_alter_table('treatment_plans', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_treatment_plans_patient_id'), ['patient_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('treatment_plans', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_treatment_plans_patient_id'))
    op.drop_table('treatment_plans')
    with op.batch_alter_table('therapy_appointments', schema=None) as batch_op:
        batch_op.drop_index('ix_therapy_appointments_therapist_starts')
        batch_op.drop_index(batch_op.f('ix_therapy_appointments_patient_id'))
    op.drop_table('therapy_appointments')
