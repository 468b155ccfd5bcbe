"""Safety net: event details, origin, receipt and escalation times; safety contacts; diary threshold;
TMS red-flag questions; clinic escalation minutes and crisis chat link

Revision ID: 0004
Revises: 0006
Create Date: 2026-11-29 00:10:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: Union[str, None] = '0006'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

RED_FLAGS = ('seizure', 'fainted', 'headache_unrelieved', 'hearing_change', 'mania_signs')


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('safety_contact', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('suicide_urge_threshold', sa.Integer(), server_default='4', nullable=False))
        batch_op.create_check_constraint(op.f('ck_users_suicide_urge_threshold_range'), 'suicide_urge_threshold BETWEEN 3 AND 5')

    with op.batch_alter_table('safety_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('details', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('origin', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('received_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('escalated_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_safety_events_origin', ['patient_id', 'origin'], unique=True)
    op.execute("UPDATE safety_events SET received_at = created_at")

    with op.batch_alter_table('side_effect_checks', schema=None) as batch_op:
        for name in RED_FLAGS:
            batch_op.add_column(sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('clinic_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('crisis_chat_url', sa.String(length=200),
                                      server_default='https://988lifeline.org/chat', nullable=False))
        batch_op.add_column(sa.Column('escalation_minutes', sa.Integer(), server_default='60', nullable=False))
        batch_op.create_check_constraint(op.f('ck_clinic_settings_escalation_minutes_range'), 'escalation_minutes BETWEEN 5 AND 1440')


def downgrade() -> None:
    with op.batch_alter_table('clinic_settings', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_clinic_settings_escalation_minutes_range'), type_='check')
        batch_op.drop_column('escalation_minutes')
        batch_op.drop_column('crisis_chat_url')

    with op.batch_alter_table('side_effect_checks', schema=None) as batch_op:
        for name in reversed(RED_FLAGS):
            batch_op.drop_column(name)

    with op.batch_alter_table('safety_events', schema=None) as batch_op:
        batch_op.drop_index('ix_safety_events_origin')
        batch_op.drop_column('escalated_at')
        batch_op.drop_column('received_at')
        batch_op.drop_column('origin')
        batch_op.drop_column('details')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_users_suicide_urge_threshold_range'), type_='check')
        batch_op.drop_column('suicide_urge_threshold')
        batch_op.drop_column('safety_contact')
