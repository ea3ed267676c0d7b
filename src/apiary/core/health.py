"""Whether the service's dependencies answer."""

import sqlalchemy as sa

from apiary.core.extensions import db


def database_ready() -> bool:
    """Whether the database answers a trivial query, on a pooled connection of its own: no ORM session
    to begin and close, which cost more than the query."""
    try:
        with db.engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except sa.exc.SQLAlchemyError:
        return False
    return True
