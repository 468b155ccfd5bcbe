"""sites: a clinic network's sites, staff at sites, patients and closures per site

Creates the default site from the clinic settings (zone, hours, holiday region, phone numbers; the deployment's
CLINIC_NAME and, while no admin saved the clinic time, CLINIC_TIMEZONE) and assigns every existing patient, staff
member and closure to it, so a single-site clinic carries on with no extra step.

Revision ID: 0016
Revises: 0009
Create Date: 2026-11-29 03:50:00

"""
import os
from datetime import datetime, time, timezone
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel


# revision identifiers, used by Alembic.
revision: str = '0016'
down_revision: Union[str, None] = '0009'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

SETTINGS = ("clinic_phone", "after_hours_phone", "crisis_line_label", "crisis_line_number", "crisis_line_text",
            "crisis_chat_url", "emergency_number", "timezone", "opens_at", "closes_at", "holiday_country",
            "holiday_region")


def _default_site_values(conn) -> dict:
    settings = sa.table("clinic_settings", sa.column("id", sa.Integer()), sa.column("updated_by_id", sa.Integer()),
                        sa.column("opens_at", sa.Time()), sa.column("closes_at", sa.Time()),
                        *(sa.column(name, sa.String()) for name in SETTINGS if not name.endswith("_at")))
    row = conn.execute(sa.select(settings).where(settings.c.id == 1)).mappings().first()
    values = {name: row[name] for name in SETTINGS} if row else {}
    if row is None or row["updated_by_id"] is None:
        values["timezone"] = os.environ.get("CLINIC_TIMEZONE", "America/New_York")
    now = datetime.now(timezone.utc)
    return {"name": os.environ.get("CLINIC_NAME", "TMS Clinic")[:80], "address": "", "created_at": now,
            "updated_at": now, **values}


def upgrade() -> None:
    sites = op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('address', sa.Text(), server_default='', nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('opens_at', sa.Time(), nullable=False),
    sa.Column('closes_at', sa.Time(), nullable=False),
    sa.Column('holiday_country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('holiday_region', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('clinic_phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('after_hours_phone', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('crisis_line_label', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
    sa.Column('crisis_line_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('crisis_line_text', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('crisis_chat_url', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('emergency_number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('name', name=op.f('uq_sites_name'))
    )
    op.create_table('staff_sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_staff_sites_site_id_sites')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_staff_sites_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_sites')),
    sa.UniqueConstraint('user_id', 'site_id', name=op.f('uq_staff_sites_user_id_site_id'))
    )
    with op.batch_alter_table('staff_sites', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_sites_site_id'), ['site_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_sites_user_id'), ['user_id'], unique=False)

    conn = op.get_bind()
    defaults = {
        "clinic_phone": "", "after_hours_phone": "", "crisis_line_label": "988 Suicide & Crisis Lifeline",
        "crisis_line_number": "988", "crisis_line_text": "988", "crisis_chat_url": "https://988lifeline.org/chat",
        "emergency_number": "911", "opens_at": time(7, 0), "closes_at": time(19, 0), "holiday_country": "US",
        "holiday_region": "",
    }
    op.bulk_insert(sites, [{**defaults, **_default_site_values(conn)}])
    site_id = conn.execute(sa.text("SELECT min(id) FROM sites")).scalar_one()

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('site_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_users_site_id'), ['site_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_users_site_id_sites'), 'sites', ['site_id'], ['id'])
    conn.execute(sa.text("UPDATE users SET site_id = :site WHERE role = 'patient'"), {"site": site_id})
    conn.execute(sa.text(
        "INSERT INTO staff_sites (user_id, site_id, added_at) SELECT id, :site, :now FROM users WHERE role IN "
        "('admin', 'therapist', 'physician', 'technician')"
    ), {"site": site_id, "now": datetime.now(timezone.utc)})

    with op.batch_alter_table('clinic_closures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('site_id', sa.Integer(), nullable=True))
    conn.execute(sa.text("UPDATE clinic_closures SET site_id = :site"), {"site": site_id})
    with op.batch_alter_table('clinic_closures', schema=None) as batch_op:
        batch_op.alter_column('site_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_constraint('uq_clinic_closures_day', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_clinic_closures_site_id_day'), ['site_id', 'day'])
        batch_op.create_index(batch_op.f('ix_clinic_closures_site_id'), ['site_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_clinic_closures_site_id_sites'), 'sites', ['site_id'], ['id'])


def downgrade() -> None:
    """Back to one clinic: closures of sites other than the first are dropped (their days would collide)."""
    conn = op.get_bind()
    first = conn.execute(sa.text("SELECT min(id) FROM sites")).scalar()
    if first is not None:
        conn.execute(sa.text("DELETE FROM clinic_closures WHERE site_id <> :site"), {"site": first})
    with op.batch_alter_table('clinic_closures', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_clinic_closures_site_id_sites'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_clinic_closures_site_id'))
        batch_op.drop_constraint(batch_op.f('uq_clinic_closures_site_id_day'), type_='unique')
        batch_op.create_unique_constraint('uq_clinic_closures_day', ['day'])
        batch_op.drop_column('site_id')

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_site_id_sites'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_users_site_id'))
        batch_op.drop_column('site_id')

    with op.batch_alter_table('staff_sites', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_sites_user_id'))
        batch_op.drop_index(batch_op.f('ix_staff_sites_site_id'))

    op.drop_table('staff_sites')
    op.drop_table('sites')
