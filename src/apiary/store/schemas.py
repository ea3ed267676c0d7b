"""Store API (spec 000) shapes: input rules, the exact success bodies and the error envelope."""

import math
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel, StringConstraints
from pydantic_core import PydanticCustomError
from werkzeug.http import HTTP_STATUS_CODES

from apiary.core.auth import Refusal
from apiary.core.db import MAX_INTEGER
from apiary.core.errors import ApiError
from apiary.core.http import QueryModel, RowId
from apiary.core.identity import MAX_NAME_LENGTH
from apiary.core.pagination import CursorPage, Page, page_number
from apiary.core.tokens import Rejection
from apiary.store.models import Category, Product


def _auth_error(code: str, description: str) -> dict[str, str]:
    return {"code": code, "description": description}


MALFORMED = _auth_error("invalid_header", "Authorization malformed.")
NO_AUTHORIZATION = Refusal(401, _auth_error("no_authorization", "Unable to find the authorization header."))
REVOKED = Refusal(401, _auth_error("token_revoked", "Token has been revoked."))
REFUSALS = {
    Rejection.MISSING: NO_AUTHORIZATION,
    Rejection.NO_BODY: NO_AUTHORIZATION,
    Rejection.BAD_SCHEME: Refusal(401, MALFORMED),
    Rejection.NO_TOKEN: Refusal(401, MALFORMED),
    Rejection.EXTRA_PARTS: Refusal(401, MALFORMED),
    Rejection.UNDECODABLE: Refusal(401, MALFORMED),
    Rejection.NO_KID: Refusal(401, MALFORMED),
    Rejection.EXPIRED: Refusal(401, _auth_error("token_expired", "Token expired.")),
    Rejection.BAD_CLAIMS: Refusal(
        401, _auth_error("invalid_claims", "Incorrect claims. Please, check the audience and issuer.")
    ),
    Rejection.REVOKED: REVOKED,
    Rejection.USER_GONE: REVOKED,
    Rejection.WRONG_TYPE: Refusal(401, _auth_error("invalid_token_type", "Only access tokens are allowed.")),
    Rejection.INVALID: Refusal(400, _auth_error("invalid_header", "Unable to parse authentication token.")),
    Rejection.UNKNOWN_KID: Refusal(400, _auth_error("invalid_header", "Unable to find the appropriate key.")),
    Rejection.NO_PERMISSIONS: Refusal(400, _auth_error("invalid_claims", "Permissions not included in JWT.")),
    Rejection.FORBIDDEN: Refusal(403, _auth_error("unauthorized", "Permission not found.")),
}


def _price(value: Any) -> int:
    """An integer price, converted the way the original's int() did: 799.9 and "799" are accepted."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise PydanticCustomError("price", "price must be a whole number")
    if isinstance(value, float) and not math.isfinite(value):
        raise PydanticCustomError("price", "price must be finite")
    try:
        price = int(value)
    except ValueError:
        raise PydanticCustomError("price", "price must be a whole number") from None
    if not 0 <= price <= MAX_INTEGER:
        raise PydanticCustomError("price", "price must be between 0 and {max}", {"max": MAX_INTEGER})
    return price


Price = Annotated[int, BeforeValidator(_price)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_LENGTH)]


class PageQuery(QueryModel):
    """`?page=`: a page number from 1; anything that is not an integer means page 1."""

    page: Annotated[int, BeforeValidator(page_number)] = 1


class ListQuery(PageQuery):
    """`?page=`, or `?after=`: the cursor of an earlier answer's `next_cursor` (empty for the first rows),
    which pages at the same cost at any depth; `page` is then ignored."""

    after: str | None = Field(None, description="An earlier answer's `next_cursor`; empty for the first rows.")


class CategoryPath(BaseModel):
    category_id: int


class ProductPath(BaseModel):
    product_id: int


class CategoryCreate(BaseModel):
    name: Name


class ProductCreate(BaseModel):
    """A new product; other keys in the body (the original's clients send `id`) are ignored."""

    name: Name
    description: str | None = None  # at most MAX_TEXT_LENGTH, like every text of a body (core.http)
    price: Price
    category_id: RowId
    in_stock: bool = True


class PriceUpdate(BaseModel):
    price: Price


class CategoryOut(BaseModel):
    id: int
    name: str


class ProductOut(BaseModel):
    id: int
    name: str
    category: str
    description: str | None
    price: int
    in_stock: bool


class CategoryList(BaseModel):
    success: bool = True
    categories: list[CategoryOut]


class CategoryCreated(BaseModel):
    success: bool = True
    created: int
    total_categories: int


class ProductPage(BaseModel):
    success: bool = True
    page: int
    products: list[ProductOut]
    total_products: int


class ProductCursorPage(BaseModel):
    """The answer to `?after=`: the products after the cursor, and the cursor of the next ones."""

    success: bool = True
    products: list[ProductOut]
    total_products: int
    next_cursor: str | None = Field(description="The next answer's `?after=`; null on the last one.")


class ProductListAnswer(RootModel[ProductPage | ProductCursorPage]):
    """A page by number (`?page=`), or the products after a cursor (`?after=`)."""


class CategoryProductPage(BaseModel):
    success: bool = True
    page: int
    products: list[ProductOut]
    total_category_products: int
    current_category: CategoryOut


class ProductDetail(BaseModel):
    success: bool = True
    product: ProductOut
    current_category: CategoryOut


class ProductCreated(BaseModel):
    success: bool = True
    created: int
    total_products: int


class ProductUpdated(BaseModel):
    success: bool = True
    updated: int


class ProductDeleted(BaseModel):
    success: bool = True
    deleted: int


class ErrorOut(BaseModel):
    model_config = ConfigDict(title="StoreError")  # the document names schemas by title; every API has an ErrorOut

    success: bool = False
    error: int
    message: str | dict[str, str]


def category_out(category: Category) -> CategoryOut:
    return CategoryOut(id=category.id, name=category.name)


def product_out(product: Product) -> ProductOut:
    return ProductOut(
        id=product.id,
        name=product.name,
        category=product.category.name,
        description=product.description,
        price=product.price,
        in_stock=product.in_stock,
    )


def product_page(page: Page[Product]) -> dict[str, Any]:
    return ProductPage(
        page=page.page, products=[product_out(p) for p in page.items], total_products=page.total
    ).model_dump()


def product_cursor_page(page: CursorPage[Product], total: int) -> dict[str, Any]:
    return ProductCursorPage(
        products=[product_out(p) for p in page.items], total_products=total, next_cursor=page.next_cursor
    ).model_dump()


def category_product_page(category: Category, page: Page[Product]) -> dict[str, Any]:
    return CategoryProductPage(
        page=page.page,
        products=[product_out(p) for p in page.items],
        total_category_products=page.total,
        current_category=category_out(category),
    ).model_dump()


def product_detail(product: Product) -> dict[str, Any]:
    return ProductDetail(product=product_out(product), current_category=category_out(product.category)).model_dump()


# The original's app-wide handlers; any other status falls back to its standard reason phrase.
MESSAGES = {
    400: "bad syntax",
    404: "resource not found",
    405: "method not allowed",
    422: "bad request",
    500: "internal server error",
}


def render_error(error: ApiError) -> tuple[dict[str, Any], int]:
    """`{"success": false, "error": status, "message": ...}`; auth failures carry a {code, description}."""
    status = error.status_code
    message = error.message
    if message is None:
        message = MESSAGES.get(status, HTTP_STATUS_CODES.get(status, "error").lower())
    return ErrorOut(error=status, message=message).model_dump(), status
