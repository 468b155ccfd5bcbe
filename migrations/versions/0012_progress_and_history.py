"""progress and history: questionnaire scores on the patient's Progress page, edit marks on patients' entries

Revision ID: 0012
Revises: 0015
Create Date: 2026-11-29 04:00:00.000000

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision: str = '0012'
down_revision: Union[str, None] = '0015'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

EDITABLE = ('mood_checkins', 'exposure_practices', 'activities')


def upgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('progress_scores', sa.Boolean(), server_default=sa.false(), nullable=False))
    for table in EDITABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table in EDITABLE:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('edited_at')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('progress_scores')
