"""Throwaway PostgreSQL databases beside the one a run targets: for a migration from nothing, a restore from a
backup, or one pytest-xdist worker's own database."""
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, make_url, text


@contextmanager
def postgres_database(server_url: str, name: str) -> Iterator[str]:
    """A new empty database `name` on the server of `server_url` (any old one of that name is dropped first),
    yielded as a URL and dropped afterwards, even with connections still open to it."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    drop = text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    with admin.connect() as conn:
        conn.execute(drop)
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(drop)
        admin.dispose()
