"""The clinic's operations commands (`flask --app app ...`)."""
import click
from alembic import command
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from app import schema
from app.auth import accounts
from app.auth.passwords import WeakPassword
from app.db import get_db
from app.models import Role
from app.push import commands as push_commands
from app.safety import doctor as safety_doctor


def register(app: Flask) -> None:
    app.cli.add_command(db_group)
    app.cli.add_command(create_user)
    app.cli.add_command(set_password)
    app.cli.add_command(seed_demo)
    app.cli.add_command(push_commands.vapid_keys)
    app.cli.add_command(push_commands.push_test)
    app.cli.add_command(push_commands.scheduler)
    app.cli.add_command(safety_doctor.doctor)


db_group = AppGroup("db", help="Database migrations (Alembic).")


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str):
    """Apply migrations up to REVISION (default: head)."""
    schema.upgrade(current_app.config["DATABASE_URL"], revision)


@db_group.command("downgrade")
@click.argument("revision", default="-1")
def db_downgrade(revision: str):
    """Revert migrations down to REVISION (default: one step)."""
    schema.downgrade(current_app.config["DATABASE_URL"], revision)


@db_group.command("revision")
@click.option("-m", "--message", required=True)
@click.option("--autogenerate", is_flag=True)
def db_revision(message: str, autogenerate: bool):
    """Create a migration; with --autogenerate, from the difference between models and database."""
    command.revision(schema.alembic_config(current_app.config["DATABASE_URL"]), message=message, autogenerate=autogenerate)


@db_group.command("current")
def db_current():
    command.current(schema.alembic_config(current_app.config["DATABASE_URL"]))


@click.command("create-user")
@with_appcontext
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--email", required=True)
@click.option("--password", required=True)
@click.option("--name", default=None)
@click.option("--therapist", "therapist_email", default=None, help="Treating therapist's email (patients).")
@click.option("--timezone", default=None, help="IANA name, e.g. America/Chicago.")
def create_user(role, email, password, name, therapist_email, timezone):
    """Create an account that can sign in straight away."""
    db = get_db()
    therapist = accounts.find_user_by_email(db, therapist_email) if therapist_email else None
    try:
        user = accounts.create_user(
            db,
            role=Role(role),
            email=email,
            name=name or email.split("@")[0],
            timezone=timezone or current_app.config["CLINIC_TIMEZONE"],
            therapist=therapist,
            password=password,
        )
    except (accounts.AccountError, WeakPassword) as error:
        raise click.UsageError(f"{error.field}: {error.message}") from None
    db.commit()
    click.echo(f"Created {user.role} {user.email} (id {user.id}).")


@click.command("set-password")
@with_appcontext
@click.option("--email", required=True)
@click.option("--password", required=True)
def set_password(email, password):
    """Set a user's password directly (signs out their other sessions)."""
    db = get_db()
    user = accounts.find_user_by_email(db, email)
    if user is None:
        raise click.UsageError(f"No account with email {email}.")
    try:
        accounts.set_password(db, user=user, password=password)
    except WeakPassword as error:
        raise click.UsageError(error.message) from None
    db.commit()
    click.echo(f"Password set for {user.email}.")


@click.command("seed-demo")
@with_appcontext
def seed_demo():
    """Create (or refresh) the demo clinic. Safe to run again."""
    from app.demo import seed

    summary = seed(get_db())
    click.echo(summary)
