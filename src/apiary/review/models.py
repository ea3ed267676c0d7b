"""Review tables: mentors and coders (profiles of users, each with its own id sequence) and snippets."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from apiary.core.db import Base
from apiary.core.identity import User

MAX_USERNAME_LENGTH = 24
MAX_SNIPPET_NAME_LENGTH = 200


class Mentor(Base):
    """A user who reviews the snippets of the coders it mentors."""

    __tablename__ = "mentors"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(MAX_USERNAME_LENGTH), unique=True)
    # Deleting the account deletes the profile; its coders become available again.
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)

    user: so.Mapped[User | None] = so.relationship()
    coders: so.Mapped[list["Coder"]] = so.relationship(back_populates="mentor", order_by="Coder.id")


class Coder(Base):
    """A user who posts snippets; at most one mentor reviews them."""

    __tablename__ = "coders"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str] = so.mapped_column(sa.String(MAX_USERNAME_LENGTH), unique=True)
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    mentor_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("mentors.id", ondelete="SET NULL"), index=True)

    user: so.Mapped[User | None] = so.relationship()
    mentor: so.Mapped[Mentor | None] = so.relationship(back_populates="coders")
    snippets: so.Mapped[list["Snippet"]] = so.relationship(back_populates="coder", order_by="Snippet.id")


class Snippet(Base):
    """A piece of code a coder wrote, perhaps waiting for its mentor's review."""

    __tablename__ = "snippet"  # singular, as in the original

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    snippet_name: so.Mapped[str] = so.mapped_column(sa.String(MAX_SNIPPET_NAME_LENGTH))
    code: so.Mapped[str] = so.mapped_column(sa.String())
    needs_review: so.Mapped[bool] = so.mapped_column(default=False)
    comments: so.Mapped[str | None] = so.mapped_column(sa.String())
    coder_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("coders.id", ondelete="CASCADE"), index=True)

    coder: so.Mapped[Coder] = so.relationship(back_populates="snippets")
