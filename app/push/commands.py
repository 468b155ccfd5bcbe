"""Push operations: create the VAPID key pair, send a test notification, run the clock process."""
import logging
import tempfile
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.auth import accounts
from app.db import get_db
from app.models.push import NotificationStatus, ReminderKind
from app.models.types import utcnow
from app.push import texts
from app.push.delivery import DeliveryReport, deliver_one, sender_from_config
from app.push.reminders import PATIENT_URL, THERAPIST_URL, queue_notification
from app.push.vapid import PRIVATE_KEY_FILE, generate_vapid_keys, load_vapid_keys
from app.scheduler import SchedulerBusy, run_scheduler


@click.command("vapid-keys")
@click.option("--print", "print_only", is_flag=True, help="Print a new private key for VAPID_PRIVATE_KEY instead.")
@with_appcontext
def vapid_keys(print_only: bool) -> None:
    """Write the VAPID key pair into instance/ (kept if it exists: a new key orphans every subscription)."""
    instance = Path(current_app.instance_path)
    if print_only:
        with tempfile.TemporaryDirectory() as directory:
            keys = generate_vapid_keys(Path(directory))
        click.echo("VAPID_PRIVATE_KEY=" + keys.private_pem.decode("ascii").strip().replace("\n", "\\n"))
        click.echo(f"# public key (applicationServerKey): {keys.application_server_key}")
        return
    existing = load_vapid_keys(instance, env_value=current_app.config.get("VAPID_PRIVATE_KEY"))
    if existing is not None:
        click.echo(f"VAPID keys already configured; public key: {existing.application_server_key}")
        return
    keys = generate_vapid_keys(instance)
    click.echo(f"Wrote {instance / PRIVATE_KEY_FILE}; public key: {keys.application_server_key}")


@click.command("push-test")
@click.option("--email", required=True, help="Whose devices get the test notification.")
@with_appcontext
def push_test(email: str) -> None:
    """Send a test notification to every device of one person now, and print how each delivery went."""
    db = get_db()
    user = accounts.find_user_by_email(db, email)
    if user is None:
        raise click.UsageError(f"No account with email {email}.")
    sender = sender_from_config(current_app.config, current_app.instance_path)
    if sender is None:
        raise click.UsageError("No VAPID key: run `flask --app app vapid-keys` first.")
    now = utcnow()
    notification = queue_notification(
        db, user=user, kind=ReminderKind.test, occurrence_key=f"test:{now.isoformat()}", text=texts.device_check(),
        url=PATIENT_URL if user.is_patient else THERAPIST_URL, due_at=now,
    )
    assert notification is not None
    notification.status = NotificationStatus.sending
    db.commit()
    report = DeliveryReport()
    with sender:
        result = deliver_one(db, sender, notification_id=notification.id, now=now, report=report)
    outcomes = ", ".join(report.outcomes) or "no device"
    click.echo(f"Test notification {result.status.value} for {user.email}: {outcomes}.")


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run every job once and exit (for cron-style use and checks).")
@with_appcontext
def scheduler(once: bool) -> None:
    """The clock process: plans reminders and sends what is due. Run exactly one (Procfile `clock:`)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        run_scheduler(current_app._get_current_object(), once=once)
    except SchedulerBusy as error:
        raise click.ClickException(str(error)) from None
