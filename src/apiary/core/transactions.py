"""The end of every use case: one commit, or nothing at all."""

import sqlalchemy as sa

from apiary.core.errors import ApiError
from apiary.core.extensions import db


def commit(*, on_conflict: ApiError | None = None) -> None:
    """Commit the request's transaction; a uniqueness race lost to another request becomes `on_conflict`."""
    try:
        db.session.commit()
    except sa.exc.IntegrityError:
        db.session.rollback()
        if on_conflict is None:
            raise
        raise on_conflict from None
