"""Whether the service's dependencies answer."""

import sqlalchemy as sa

from apiary.core.extensions import db


def database_ready() -> bool:
    """Whether the database answers a trivial query."""
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return False
    return True
