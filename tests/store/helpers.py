"""Small helpers shared by the store API tests: catalogue rows, tokens, the spec's error bodies."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import jwt
import sqlalchemy as sa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

from apiary.core.extensions import db
from apiary.core.identity import Role, User
from apiary.core.users import create_user
from apiary.store.models import Category, Product
from tests.support import PASSWORD, row_count

STORE_PERMISSIONS = frozenset({"post:new-category", "post:new-product", "patch:products", "delete:products"})
PRODUCT_KEYS = {"category", "description", "id", "in_stock", "name", "price"}
MAX_PRICE = 2147483647

ISSUER = "https://issuer.test/"
AUDIENCE = "apiary-store"
PROVIDER_KID = "provider-key-1"
PROVIDER_EC_KID = "provider-ec-key"  # the provider publishes an EC key too


def envelope(status: int, message: Any) -> dict[str, Any]:
    """The store's error body."""
    return {"success": False, "error": status, "message": message}


BAD_SYNTAX = envelope(400, "bad syntax")
NOT_FOUND = envelope(404, "resource not found")
METHOD_NOT_ALLOWED = envelope(405, "method not allowed")
BAD_REQUEST = envelope(422, "bad request")


def auth_failure(status: int, code: str, description: str) -> dict[str, Any]:
    return envelope(status, {"code": code, "description": description})


# The spec's auth failure table, plus Apiary's own token-store answers.
NO_AUTHORIZATION = auth_failure(401, "no_authorization", "Unable to find the authorization header.")
MALFORMED = auth_failure(401, "invalid_header", "Authorization malformed.")
EXPIRED = auth_failure(401, "token_expired", "Token expired.")
BAD_CLAIMS = auth_failure(401, "invalid_claims", "Incorrect claims. Please, check the audience and issuer.")
UNPARSABLE = auth_failure(400, "invalid_header", "Unable to parse authentication token.")
UNKNOWN_KEY = auth_failure(400, "invalid_header", "Unable to find the appropriate key.")
NO_PERMISSIONS = auth_failure(400, "invalid_claims", "Permissions not included in JWT.")
FORBIDDEN = auth_failure(403, "unauthorized", "Permission not found.")


# --- catalogue rows ----------------------------------------------------------------------------------


def add_category(name: str) -> Category:
    category = Category(name=name)
    db.session.add(category)
    db.session.commit()
    return category


def add_product(category: Category, name: str, *, price: int = 100, description: str | None = None) -> Product:
    product = Product(name=name, description=description or f"About {name}", price=price, category=category)
    db.session.add(product)
    db.session.commit()
    return product


def add_products(category: Category, count: int, *, prefix: str) -> list[Product]:
    """`count` products named "<prefix> 1".."<prefix> count", in id order."""
    products = [
        Product(name=f"{prefix} {n}", description=None, price=n, category=category) for n in range(1, count + 1)
    ]
    db.session.add_all(products)
    db.session.commit()
    return products


def price_of(product_id: int) -> int | None:
    """The stored price, read from the database (None when the product is gone)."""
    return db.session.scalar(sa.select(Product.price).where(Product.id == product_id))


class CatalogueState(NamedTuple):
    """What a write can change: the row counts and one product's price."""

    categories: int
    products: int
    price: int | None


def catalogue_state(product_id: int) -> CatalogueState:
    return CatalogueState(row_count(Category), row_count(Product), price_of(product_id))


# --- Apiary's own users and tokens ---------------------------------------------------------------------


def add_user(username: str, role: Role | None) -> User:
    """A committed user, for apps other than the `app` fixture's."""
    user = create_user(username=username, email=None, password=PASSWORD, role=role)
    db.session.commit()
    return user


# --- the external provider's tokens ----------------------------------------------------------------------


@dataclass(frozen=True)
class Provider:
    """An OpenID provider stand-in: its signing key, and where it publishes the public half."""

    key: RSAPrivateKey
    jwks_url: str
    fetches: list[str] = field(default_factory=list)  # the path of each request the JWKS server answered

    def token(
        self,
        *,
        permissions: list[str] | None = None,
        key: RSAPrivateKey | None = None,
        kid: str | None = PROVIDER_KID,
        lifetime: timedelta = timedelta(minutes=5),
        **claims: Any,
    ) -> str:
        """An RS256 token as Auth0 issues it; `permissions=None` leaves the claim out."""
        now = datetime.now(UTC)
        payload: dict[str, Any] = {
            "sub": "auth0|tester",
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": min(now, now + lifetime),
            "exp": now + lifetime,
        }
        if permissions is not None:
            payload["permissions"] = permissions
        payload.update(claims)
        headers = {"kid": kid} if kid is not None else {}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers=headers)
