"""patient demographics: legal name, birth date, administrative gender and MRN (optional; FHIR export and the
staff directory use them)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 23:58:15.129008

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('family_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))
        batch_op.add_column(sa.Column('given_name', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))
        batch_op.add_column(sa.Column('birth_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('administrative_gender', sa.Enum('male', 'female', 'other', 'unknown', name='administrative_gender', native_enum=False, length=8), nullable=True))
        batch_op.add_column(sa.Column('mrn', sa.String(length=40), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_birth_date'), ['birth_date'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_users_mrn'), ['mrn'])


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_mrn'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_users_birth_date'))
        batch_op.drop_column('mrn')
        batch_op.drop_column('administrative_gender')
        batch_op.drop_column('birth_date')
        batch_op.drop_column('given_name')
        batch_op.drop_column('family_name')
