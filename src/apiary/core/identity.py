"""The one identity every API shares: users, their roles' permissions, and every token issued."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from apiary.core.db import Base, utcnow


class Role(StrEnum):
    """What a user is; each role grants a fixed set of permissions."""

    ADMIN = "admin"
    SELLER = "seller"
    CUSTOMER = "customer"
    MENTOR = "mentor"
    CODER = "coder"


ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    Role.ADMIN: frozenset({"post:new-category", "post:new-product", "patch:products", "delete:products"}),
    Role.SELLER: frozenset({"post:new-product"}),
    Role.CUSTOMER: frozenset(),
    Role.MENTOR: frozenset({"add:coder", "edit:snippet", "get:coders", "get:snippets", "get:userinfo"}),
    Role.CODER: frozenset(
        {
            "add:mentor",
            "delete:snippet",
            "edit:snippet",
            "get:mentors",
            "get:snippets",
            "get:userinfo",
            "post:snippet",
        }
    ),
}


class TokenType(StrEnum):
    ACCESS = "access"
    REFRESH = "refresh"


class User(Base):
    """A person who can log in to every API, by username or by email."""

    __tablename__ = "users"
    __table_args__ = (sa.CheckConstraint("username IS NOT NULL OR email IS NOT NULL", name="has_login_name"),)

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    username: so.Mapped[str | None] = so.mapped_column(sa.String(), unique=True)
    email: so.Mapped[str | None] = so.mapped_column(sa.String(), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String())
    role: so.Mapped[Role | None] = so.mapped_column(
        sa.Enum(Role, native_enum=False, length=16, values_callable=lambda roles: [r.value for r in roles])
    )
    date_registered: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    @property
    def identity(self) -> str:
        """The name tokens carry: the username, or the email for users registered by email."""
        name = self.username or self.email
        assert name is not None  # the has_login_name constraint guarantees one
        return name

    @property
    def permissions(self) -> frozenset[str]:
        return ROLE_PERMISSIONS[self.role] if self.role else frozenset()


class Token(Base):
    """A token Apiary issued; one whose jti is missing here or revoked is refused."""

    __tablename__ = "tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    jti: so.Mapped[str] = so.mapped_column(sa.String(36), unique=True)
    token_type: so.Mapped[TokenType] = so.mapped_column(
        sa.Enum(TokenType, native_enum=False, length=10, values_callable=lambda kinds: [k.value for k in kinds])
    )
    user_identity: so.Mapped[str] = so.mapped_column(sa.String())
    # Kept when the user row disappears, so the token stays listed as revoked rather than unknown.
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    revoked: so.Mapped[bool] = so.mapped_column(default=False)
    expires: so.Mapped[datetime]

    user: so.Mapped[User | None] = so.relationship()
