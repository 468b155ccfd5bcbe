"""What staff type into the directory's search box, read as name words and at most one date of birth."""
import re
from dataclasses import dataclass
from datetime import date

from app.validation import FieldError, text

ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
MAX_LENGTH = 100


@dataclass(frozen=True)
class DirectoryQuery:
    terms: tuple[str, ...]
    """Lower-cased words; a patient matches when every word is in their name, legal names or MRN."""
    birth_date: date | None


def _as_date(word: str) -> date | None:
    """An ISO date (1980-04-12) or the US order clinics write (04/12/1980); None if the word is not date-shaped."""
    us = US_DATE.match(word)
    if not (ISO_DATE.match(word) or us):
        return None
    try:
        if us:
            return date(int(us.group(3)), int(us.group(1)), int(us.group(2)))
        year, month, day = (int(part) for part in word.split("-"))
        return date(year, month, day)
    except ValueError:
        raise FieldError("q", f"{word} is not a date: write a date of birth like 1980-04-12 or 04/12/1980.") from None


def parse_query(raw: str | None) -> DirectoryQuery:
    cleaned = text(raw, field="q", label="The search", limit=MAX_LENGTH)
    terms, birth_date = [], None
    for word in cleaned.split():
        day = _as_date(word)
        if day is None:
            terms.append(word.lower())
        elif birth_date is not None:
            raise FieldError("q", "Search for one date of birth at a time.")
        else:
            birth_date = day
    return DirectoryQuery(terms=tuple(terms), birth_date=birth_date)
