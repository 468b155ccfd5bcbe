"""Alembic owns the schema: migrations build exactly what the models declare, and round-trip down and up."""
import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app import schema
from app.config import normalise_database_url
from app.db import make_engine
from tests.support.databases import postgres_database


def _postgres_server_url() -> str | None:
    url = normalise_database_url(os.environ.get("TEST_DATABASE_URL", ""))
    return url if url.startswith("postgresql") else None


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    """A brand-new empty database of each kind (PostgreSQL only when the run targets it)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    server = _postgres_server_url()
    if server is None:
        pytest.skip("this run targets SQLite; the PostgreSQL run covers this case")
    with postgres_database(server, f"migrations_{uuid.uuid4().hex[:10]}") as url:
        yield url


def _differences(url: str) -> list:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
            return compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_migrations_match_the_models(empty_database):
    schema.upgrade(empty_database)
    assert _differences(empty_database) == []


def test_migrations_downgrade_to_nothing_and_upgrade_again(empty_database):
    schema.upgrade(empty_database)
    schema.downgrade(empty_database, "base")
    assert _tables(empty_database) == set()
    schema.upgrade(empty_database)
    assert _tables(empty_database) == {t.name for t in SQLModel.metadata.sorted_tables}
