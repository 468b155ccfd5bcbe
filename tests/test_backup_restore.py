"""The documented PostgreSQL backup procedure works: pg_dump -Fc, restore into a fresh database, same rows."""
import shutil
import subprocess
import uuid

import pytest
from sqlalchemy import create_engine, func, make_url, select
from sqlmodel import SQLModel

from tests.support.databases import postgres_database
from tests.support.world import build_world


def _libpq_url(url) -> str:
    """pg_dump and pg_restore take libpq URLs (no +psycopg driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def _row_counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in SQLModel.metadata.sorted_tables}


@pytest.fixture
def fresh_database(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("backup and restore is a PostgreSQL procedure; this run targets SQLite")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.fail("pg_dump/pg_restore missing: install postgresql-client (CI does)")
    with postgres_database(database_url, f"restore_{uuid.uuid4().hex[:10]}") as url:
        yield make_url(url)


def test_pg_dump_and_pg_restore_bring_back_every_row(app, db, database_url, fresh_database, tmp_path):
    build_world(db)
    before = _row_counts(app.extensions["engine"])
    assert before["users"] == 10 and before["tms_sessions"] > 0  # the world's five people and five of the care team
    dump = tmp_path / "clinic.dump"
    source = _libpq_url(make_url(database_url))
    subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), source], check=True, timeout=120)
    subprocess.run(["pg_restore", "--no-owner", "--exit-on-error", "--dbname", _libpq_url(fresh_database), str(dump)],
                   check=True, timeout=120)
    restored = create_engine(fresh_database)
    try:
        assert _row_counts(restored) == before
    finally:
        restored.dispose()
