"""Column types shared by the models."""
from datetime import datetime, timezone

from sqlalchemy import Column, DateTime, Enum
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator):
    """An instant: timezone-aware UTC in Python on every database.

    PostgreSQL stores timestamptz; SQLite has no zone, so we store naive UTC and re-attach UTC on load.
    Naive datetimes are refused so that a local time can never be stored as if it were UTC.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def utcnow() -> datetime:
    """The current instant, aware. Only edges (views, jobs) call this; rules take `now` as an argument."""
    return datetime.now(timezone.utc)


def enum_column(enum_cls, name: str, *, length: int = 24, nullable: bool = False, **kwargs) -> Column:
    """A closed set stored as its values (not member names) in a VARCHAR with a CHECK, portable across databases."""
    return Column(
        Enum(enum_cls, name=name, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]),
        nullable=nullable,
        **kwargs,
    )
