"""Configuration checks for `flask --app app doctor`: each returns the warnings it finds (empty when all is well).

Pure functions of the app's configuration, so the command (and its tests) only print what these return.
"""
from app.public_identity import public_base


def check_public_base_url(config) -> list[str]:
    """Without PUBLIC_BASE_URL, FHIR identifiers and calendar UIDs use a per-install fallback that no EHR can resolve;
    setting it later changes every id, so exports already imported would be imported again."""
    if (config.get("PUBLIC_BASE_URL") or "").strip():
        return []
    return [
        "PUBLIC_BASE_URL is not set: FHIR identifiers, local code systems and calendar event ids use the fallback "
        f"{public_base(config)} (from INSTANCE_ID). Set PUBLIC_BASE_URL to this site's https address before the "
        "first FHIR export or calendar subscription; changing it later makes EHRs and calendars see new records."
    ]


CHECKS = (check_public_base_url,)
"""Every check the doctor command runs, in order."""


def run_checks(config) -> list[str]:
    return [warning for check in CHECKS for warning in check(config)]
