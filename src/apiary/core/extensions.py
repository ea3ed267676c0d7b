"""Extensions created without an app; the factory binds them."""

from pathlib import Path

import sqlalchemy as sa
from flask import Flask
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from apiary.core.db import Base

MIGRATIONS_DIR = Path(__file__).resolve().parents[3] / "migrations"

# Objects stay readable after the commit: an answer built from them must not need the database again,
# or a database lost right after a commit would turn a stored write into a 503.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate(directory=str(MIGRATIONS_DIR))


def rollback() -> None:
    """Roll the request's transaction back; on a connection the database has dropped, forget the session."""
    try:
        db.session.rollback()
    except sa.exc.SQLAlchemyError:
        db.session.registry.clear()


def register_session_cleanup(app: Flask) -> None:
    """End each request's session without failing the request when the database went away meanwhile.

    Runs before Flask-SQLAlchemy's own teardown (teardowns run last registered first), which then has
    nothing left to close.
    """

    @app.teardown_appcontext
    def end_session(_error: BaseException | None) -> None:
        try:
            db.session.remove()
        except sa.exc.SQLAlchemyError:
            db.session.registry.clear()  # the pool replaces the dead connection (pool_pre_ping)
