"""The one identity every API shares: users, their roles' permissions, and every token issued."""

import re
from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
import sqlalchemy.orm as so

from apiary.core.db import Base, utcnow

# Bounded storage: the longest text each column holds. Every API's input rules use these, so that no
# request can store more (spec 003 gives the email's; the others are the columns' own).
MAX_USERNAME_LENGTH = 64
MAX_EMAIL_LENGTH = 256
MAX_PASSWORD_LENGTH = 128  # argon2 hashes any length; this bounds the work one login costs
MAX_NAME_LENGTH = 255  # a name or title of anything an API stores
MAX_TEXT_LENGTH = 10_000  # a longer text (a description, a body); no string in a request body is longer
PASSWORD_HASH_LENGTH = 255
MAX_IDENTITY_LENGTH = max(MAX_USERNAME_LENGTH, MAX_EMAIL_LENGTH)

# What moves a terminal's cursor, clears it or starts a line. Names are printed in logs and the CLI's
# output, where one could forge a line; the logs escape them.
CONTROL_CHARACTER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def text_problem(text: str, *, limit: int, name: bool = False) -> str | None:
    """What keeps `text` from being stored: longer than `limit`, not UTF-8 (a lone surrogate, which the
    command line can pass), or, for a `name`, a control character."""
    if len(text) > limit:
        return f"maximum length of {limit} characters"
    if not text.isascii() and not _encodable(text):
        return "must be valid text"
    if name and CONTROL_CHARACTER.search(text):
        return "must not contain control characters"
    return None


def _encodable(text: str) -> bool:
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


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
    username: so.Mapped[str | None] = so.mapped_column(sa.String(MAX_USERNAME_LENGTH), unique=True)
    email: so.Mapped[str | None] = so.mapped_column(sa.String(MAX_EMAIL_LENGTH), unique=True)
    password_hash: so.Mapped[str] = so.mapped_column(sa.String(PASSWORD_HASH_LENGTH))
    role: so.Mapped[Role | None] = so.mapped_column(
        sa.Enum(Role, native_enum=False, length=16, values_callable=lambda roles: [r.value for r in roles])
    )
    date_registered: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    # Every token issued before this moment is refused, whatever its row in the token store says (C7).
    password_changed_at: so.Mapped[datetime | None]

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
    """A token Apiary issued; one whose jti is missing here, revoked, expired, of another type, or issued
    before its user's last password change is refused."""

    __tablename__ = "tokens"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    jti: so.Mapped[str] = so.mapped_column(sa.String(36), unique=True)
    token_type: so.Mapped[TokenType] = so.mapped_column(
        sa.Enum(TokenType, native_enum=False, length=10, values_callable=lambda kinds: [k.value for k in kinds])
    )
    user_identity: so.Mapped[str] = so.mapped_column(sa.String(MAX_IDENTITY_LENGTH))
    # Kept when the user row disappears, so the token stays listed as revoked rather than unknown.
    user_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"), index=True)
    revoked: so.Mapped[bool] = so.mapped_column(default=False)
    # Precise to the microsecond (a token's `iat` claim is whole seconds), so that a token issued just
    # before a password change is told apart from one issued just after it.
    issued_at: so.Mapped[datetime]
    expires: so.Mapped[datetime]

    user: so.Mapped[User | None] = so.relationship()

    @property
    def superseded(self) -> bool:
        """Issued before its user's last password change: refused for good, whatever `revoked` says later."""
        changed_at = self.user.password_changed_at if self.user else None
        return changed_at is not None and self.issued_at < changed_at
