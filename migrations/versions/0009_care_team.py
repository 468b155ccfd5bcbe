"""care team: physician and technician roles, external therapists, care team members

The role column is a plain VARCHAR(16) without a CHECK (native_enum=False), so the two new roles need no change
to existing rows or constraints.

Revision ID: 0009
Revises: 0010
Create Date: 2026-11-29 00:01:51.090357

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0009'
down_revision: Union[str, None] = '0010'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    op.create_table('care_team_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('patient_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('physician', 'co_therapist', name='care_team_role', native_enum=False, length=16), nullable=False),
    sa.Column('sees_thought_records', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('added_by_id', sa.Integer(), nullable=True),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['added_by_id'], ['users.id'], name=op.f('fk_care_team_members_added_by_id_users')),
    sa.ForeignKeyConstraint(['member_id'], ['users.id'], name=op.f('fk_care_team_members_member_id_users')),
    sa.ForeignKeyConstraint(['patient_id'], ['users.id'], name=op.f('fk_care_team_members_patient_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_care_team_members')),
    sa.UniqueConstraint('patient_id', 'member_id', name=op.f('uq_care_team_members_patient_id_member_id'))
    )
    with op.batch_alter_table('care_team_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_care_team_members_member_id'), ['member_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_team_members_patient_id'), ['patient_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external', sa.Boolean(), server_default=sa.false(), nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('external')

    with op.batch_alter_table('care_team_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_care_team_members_patient_id'))
        batch_op.drop_index(batch_op.f('ix_care_team_members_member_id'))

    op.drop_table('care_team_members')
