"""Forum tables: articles, written by Apiary's users."""

from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from apiary.core.db import Base, utcnow
from apiary.core.identity import User


class Article(Base):
    """An article; only its author may change or delete it."""

    __tablename__ = "article"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    title: so.Mapped[str] = so.mapped_column(sa.Text())
    text: so.Mapped[str] = so.mapped_column(sa.Text())
    date_posted: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # Deleting an account (account API) deletes its articles with it.
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))

    author: so.Mapped[User] = so.relationship()


# Every listing reads newest first, ties broken by id; the second index also serves the foreign key.
sa.Index("ix_article_newest_first", Article.date_posted.desc(), Article.id.desc())
sa.Index("ix_article_author_newest_first", Article.user_id, Article.date_posted.desc(), Article.id.desc())
