"""Engine per app, one SQLModel session per request (on `g`), committed by the view and closed on teardown."""
import time

from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlmodel import Session, create_engine

PING_AFTER_IDLE_SECONDS = 10.0
"""A pooled connection that sat idle longer is pinged before use (a restart or failover may have closed it
meanwhile); one in steady use is not, since pinging it was one of a repeat Today visit's four round trips. A
connection killed mid-traffic still gives at worst a 503, and the pool reconnects (tests/test_database_faults.py)."""


def make_engine(url: str) -> Engine:
    """SQLite gets foreign keys, WAL and a busy timeout on every connection: web and clock processes both write.

    hide_parameters keeps row values (PHI) out of error messages and therefore out of the logs.
    """
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 15}, hide_parameters=True)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=15000")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        return engine
    engine = create_engine(url, pool_size=5, max_overflow=10, hide_parameters=True)
    _ping_idle_connections(engine)
    return engine


def _ping_idle_connections(engine: Engine) -> None:
    """pool_pre_ping, but only for connections idle over PING_AFTER_IDLE_SECONDS; a failed ping makes the pool
    replace the connection before the request sees it."""

    @event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection, record):
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, record, _proxy):
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            raise DisconnectionError("idle connection closed by the server") from error


def init_app(app: Flask) -> None:
    app.extensions["engine"] = make_engine(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)


def get_engine() -> Engine:
    return current_app.extensions["engine"]


def get_db() -> Session:
    """The request's session; the view (or job) commits once, anything uncommitted is rolled back on teardown."""
    if "db" not in g:
        g.db = Session(get_engine(), expire_on_commit=False)
    return g.db


def _close_session(_exc: BaseException | None) -> None:
    db = g.pop("db", None)
    if db is not None:
        _rollback_and_close(db)


def _rollback_and_close(db: Session) -> None:
    """A connection lost after the response was built must not turn a finished request into an error."""
    try:
        db.rollback()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
    finally:
        db.close()


def discard_session() -> None:
    """Drop the request's session after a lost connection; loaded objects (the signed-in user) stay readable."""
    db = g.pop("db", None)
    if db is not None:
        db.expunge_all()
        _rollback_and_close(db)
