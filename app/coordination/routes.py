"""The physician's weekly coordination page, and the command that emails its notice."""
import click
from flask import Blueprint, current_app, render_template
from flask.cli import with_appcontext
from flask_login import current_user

from app.coordination.summary import send_weekly_emails, weekly_summary
from app.db import get_db
from app.mail import mail_configured
from app.models.types import utcnow
from app.policy import physician_required
from app.public_identity import public_base

bp = Blueprint("coordination", __name__)

SECTION_TABS = {"safety": "safety.therapist_patient"}
"""Where a line opens on the physician's side; everything else is on the Measures tab."""


@bp.get("/coordination")
@physician_required
def weekly():
    rows = weekly_summary(get_db(), current_user, now=utcnow())
    return render_template("coordination/weekly.html", rows=rows, tabs=SECTION_TABS)


@bp.cli.command("weekly-email")
@with_appcontext
def weekly_email():
    """Email each physician that their weekly coordination summary is ready (run weekly, e.g. Monday 07:00)."""
    if not mail_configured():
        raise click.ClickException("SMTP is not configured (SMTP_HOST, MAIL_FROM): nothing sent.")
    sent = send_weekly_emails(get_db(), now=utcnow(), base_url=public_base(current_app.config))
    click.echo(f"{sent} weekly summaries emailed.")
