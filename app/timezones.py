"""IANA time zone names, validated before they are stored or used: the one place that decides what a zone is."""
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from app.validation import FieldError

_NOT_IANA_ZONES = frozenset({"localtime", "Factory", "posixrules"})
"""Host aliases that zoneinfo can load but that are not zones a person lives in."""


class UnknownTimezone(FieldError):
    """A name that is not an IANA zone, reported against the form's `field`."""


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(available_timezones()) - _NOT_IANA_ZONES


def validate_timezone(name: str, *, field: str = "timezone") -> ZoneInfo:
    """Return the zone for an IANA name, or raise UnknownTimezone (never a 500 on user input)."""
    if not isinstance(name, str) or name.strip() not in _known():
        raise UnknownTimezone(field, f"“{name}” is not a time zone we know. Use a name like America/New_York.")
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise UnknownTimezone(field, f"“{name}” is not a time zone we know.") from None


def common_timezones() -> list[str]:
    """The zones offered in pickers: the canonical Area/City names, sorted."""
    return sorted(z for z in _known() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/")))
