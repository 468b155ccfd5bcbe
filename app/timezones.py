"""IANA time zone names, validated before they are stored."""
from functools import lru_cache
from zoneinfo import ZoneInfo, available_timezones


class UnknownTimezone(ValueError):
    def __init__(self, name: str):
        super().__init__(f"“{name}” is not a time zone we know. Use a name like America/New_York.")
        self.field = "timezone"
        self.message = str(self)


@lru_cache(maxsize=1)
def _known() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(name: str) -> ZoneInfo:
    """Return the zone for an IANA name, or raise UnknownTimezone (never a 500 on user input)."""
    name = (name or "").strip()
    if name not in _known():
        raise UnknownTimezone(name)
    return ZoneInfo(name)


def common_timezones() -> list[str]:
    """The zones offered in pickers: the canonical Area/City names, sorted."""
    return sorted(z for z in _known() if "/" in z and not z.startswith(("Etc/", "SystemV/", "US/")))
