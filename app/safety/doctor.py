"""`flask --app app doctor`: what a clinic must configure before patients rely on the app, checked in one place.

Each check is a plain function of the configuration and the database; the command prints them and exits non-zero
when something required is missing (so a deploy script or CI can stop on it).
"""
from dataclasses import dataclass
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlmodel import Session, select

from app.db import get_db
from app.models import PushSubscription
from app.models.safety import ClinicSettings
from app.public_identity import public_base
from app.push.vapid import VapidKeyError, load_vapid_keys
from app.safety.services import safety_contacts
from app.sites.services import all_sites


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True

    @property
    def label(self) -> str:
        return "ok" if self.ok else ("MISSING" if self.required else "warning")


def crisis_numbers(db: Session) -> list[Check]:
    """Each site's numbers (its patients dial them); a single-site clinic's checks read as before."""
    saved = db.get(ClinicSettings, 1) is not None
    sites = all_sites(db)
    found = []
    for site in sites:
        at = f" ({site.name})" if len(sites) > 1 else ""
        numbers = f"{site.crisis_line_label} {site.crisis_line_number}, emergency {site.emergency_number}"
        found += [
            Check(f"Crisis numbers{at}", bool(site.crisis_line_number and site.emergency_number),
                  numbers + ("" if saved else " (US defaults: an admin has not reviewed them at /admin/clinic)")),
            Check(f"Clinic phone{at}", bool(site.clinic_phone),
                  site.clinic_phone or "none: TMS red flags tell patients to call the clinic today (set it at /admin/clinic)"),
        ]
    return found


def contacts(db: Session) -> list[Check]:
    people = safety_contacts(db)
    with_device = set(db.exec(select(PushSubscription.user_id).where(
        PushSubscription.user_id.in_([p.id for p in people]))).all()) if people else set()
    found = [
        Check("Safety contacts", bool(people),
              ", ".join(p.name for p in people) if people
              else "none: alerts a therapist can't receive, escalations and TMS red flags reach nobody (mark staff at /admin)"),
    ]
    if people:
        found.append(Check("Safety contacts' devices", bool(with_device),
                           f"{len(with_device)} of {len(people)} can receive pushes (turn reminders on at /settings/reminders)",
                           required=False))
    return found


def configuration(config, instance_path: str) -> list[Check]:
    try:
        keys = load_vapid_keys(Path(instance_path), env_value=config.get("VAPID_PRIVATE_KEY"))
        vapid = (keys is not None, "configured" if keys else "none: run `flask --app app vapid-keys` (no push alerts)")
    except VapidKeyError as error:
        vapid = (False, f"unreadable: {error}")
    smtp = bool(config.get("SMTP_HOST") and config.get("MAIL_FROM"))
    return [
        Check("VAPID keys (push alerts)", *vapid),
        public_base_url(config),
        Check("SMTP", smtp, f"{config.get('SMTP_HOST')} as {config.get('MAIL_FROM')}" if smtp
              else "not set: staff pass invite and reset links on by hand", required=False),
    ]


def public_base_url(config) -> Check:
    """Invite and push links need the public address; FHIR identifiers and calendar UIDs hang off it too, so setting
    it after the first export changes every id and an EHR or calendar would import everything again."""
    if (config.get("PUBLIC_BASE_URL") or "").strip():
        return Check("PUBLIC_BASE_URL", True, config["PUBLIC_BASE_URL"])
    return Check("PUBLIC_BASE_URL", False, (
        "not set: invite and push links need the public https address, and FHIR identifiers and calendar event ids "
        f"use the fallback {public_base(config)} (from INSTANCE_ID). Set it before the first FHIR export or calendar "
        "subscription; changing it later makes EHRs and calendars see new records."))


def run_checks(db: Session, config, instance_path: str) -> list[Check]:
    return crisis_numbers(db) + contacts(db) + configuration(config, instance_path)


@click.command("doctor")
@with_appcontext
def doctor():
    """List what this clinic must configure (crisis numbers, safety contacts, push keys, public URL, email)."""
    checks = run_checks(get_db(), current_app.config, current_app.instance_path)
    for check in checks:
        click.echo(f"{check.label:8} {check.name}: {check.detail}")
    missing = [c.name for c in checks if c.required and not c.ok]
    if missing:
        click.echo(f"\n{len(missing)} required setting(s) missing: {', '.join(missing)}.", err=True)
        raise SystemExit(1)
    click.echo("\nEverything required is configured.")
