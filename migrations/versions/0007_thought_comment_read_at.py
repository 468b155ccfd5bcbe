"""thought_comments.read_at: when the patient opened the record after the comment (unread ones show on Today)

Revision ID: 0007
Revises: 0004
Create Date: 2026-11-29 00:40:00

"""
from typing import Sequence, Union

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: Union[str, None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    with op.batch_alter_table('thought_comments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('read_at', sa.DateTime(timezone=True), nullable=True))
    # Comments written before this change were shown with their record already; don't announce them as new.
    op.execute("UPDATE thought_comments SET read_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table('thought_comments', schema=None) as batch_op:
        batch_op.drop_column('read_at')
