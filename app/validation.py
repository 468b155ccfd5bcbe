"""Field checks shared by patient and therapist entry forms: required text, length limits, whole-number scales.

Each check raises FieldError (a ValueError carrying the form field and a human message); a validator that checks
many fields collects them into one FormInvalid so every problem is shown beside its field at once.
"""
from collections.abc import Iterable


class FieldError(ValueError):
    """One field's problem, worded for the person filling in the form."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class FormInvalid(ValueError):
    """Several field problems from one submission; `errors` maps field name to message (first problem wins)."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors: dict[str, str] = {}
        for error in errors:
            self.errors.setdefault(error.field, error.message)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class Collector:
    """Runs checks and keeps their FieldErrors, so one submission reports all of its problems."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def check(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except FieldError as error:
            self.errors.append(error)
            return None

    def add(self, field: str, message: str) -> None:
        self.errors.append(FieldError(field, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise FormInvalid(self.errors)


def text(value: str | None, *, field: str, label: str, limit: int, required: bool = False) -> str:
    """Trimmed text; empty is allowed unless required; over `limit` characters is refused with the limit shown."""
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise FieldError(field, f"{label} is needed.")
    if len(cleaned) > limit:
        raise FieldError(field, f"{label} can be at most {limit} characters (this has {len(cleaned)}).")
    return cleaned


def score(value: str | int | None, *, field: str, label: str, low: int, high: int, required: bool = False) -> int | None:
    """A whole number in [low, high] (inclusive), from a form string or an int; blank is None unless required."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise FieldError(field, f"{label} is needed: choose a number from {low} to {high}.")
        return None
    if isinstance(value, bool):
        raise FieldError(field, f"{label} must be a whole number from {low} to {high}.")
    try:
        number = int(value.strip()) if isinstance(value, str) else int(value)
    except ValueError:
        raise FieldError(field, f"{label} must be a whole number from {low} to {high}.") from None
    if isinstance(value, float) and value != number:
        raise FieldError(field, f"{label} must be a whole number from {low} to {high}.")
    if not low <= number <= high:
        raise FieldError(field, f"{label} must be from {low} to {high}.")
    return number
