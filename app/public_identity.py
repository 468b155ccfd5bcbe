"""The one name this installation goes by: FHIR identifiers, local code systems and calendar UIDs hang off it.

It comes from configuration only, never from the request (reached as `localhost` or `127.0.0.1`, a record keeps its
id). PUBLIC_BASE_URL wins; without it a per-install fallback under the reserved `.invalid` domain keeps ids stable
but unresolvable, which `doctor` warns about (app/safety/doctor.py).
"""
from urllib.parse import urlsplit


def public_base(config) -> str:
    """PUBLIC_BASE_URL without a trailing slash, else https://install-<INSTANCE_ID>.invalid."""
    configured = (config.get("PUBLIC_BASE_URL") or "").rstrip("/")
    return configured or f"https://install-{config['INSTANCE_ID']}.invalid"


def uid_domain(config) -> str:
    """The host part for globally unique ids such as iCalendar UIDs (RFC 5545 suggests id@domain)."""
    return urlsplit(public_base(config)).hostname or f"install-{config['INSTANCE_ID']}.invalid"


def mrn_system(config) -> str:
    """The URI of the clinic's medical record numbers, as its EHR knows them (MRN_SYSTEM), else one of ours."""
    return config.get("MRN_SYSTEM") or f"{public_base(config)}/fhir/NamingSystem/mrn"
