"""Store API routes (spec 000)."""

from flask import Response
from flask_openapi3 import APIBlueprint, Tag
from pydantic import BaseModel

from apiary.core.auth import BEARER, Guard, HeaderToken
from apiary.core.http import Reply, body_doc, parse_body
from apiary.core.tokens import Principal
from apiary.store import schemas, services

bp = APIBlueprint("store", __name__, abp_tags=[Tag(name="store", description="Categories and products (spec 000)")])
guard = Guard(source=HeaderToken(scheme="Bearer"), refusals=schemas.REFUSALS, accept_external=True)
AUTH_ERRORS: dict[str | int, type[BaseModel]] = {status: schemas.ErrorOut for status in (400, 401, 403)}


@bp.get("/welcome", responses={200: {"description": "HTML greeting, the login page's redirect target"}})
def welcome() -> Reply:
    """A greeting for browsers returning from the login page."""
    return Response("<h1>Welcome!</h1>", mimetype="text/html")


@bp.get("/categories", responses={200: schemas.CategoryList})
def list_categories() -> Reply:
    """Every category."""
    categories = services.list_categories()
    return schemas.CategoryList(categories=[schemas.category_out(c) for c in categories]).model_dump()


@bp.post(
    "/categories",
    responses={200: schemas.CategoryCreated, 422: schemas.ErrorOut, **AUTH_ERRORS},
    security=BEARER,
    openapi_extensions=body_doc(schemas.CategoryCreate),
)
@guard.permission("post:new-category")
def create_category(principal: Principal) -> Reply:
    """Create a category (permission post:new-category)."""
    data = parse_body(schemas.CategoryCreate, json_only=True)
    category, total = services.create_category(name=data.name)
    return schemas.CategoryCreated(created=category.id, total_categories=total).model_dump()


@bp.get("/categories/<id:category_id>/products", responses={200: schemas.CategoryProductPage, 404: schemas.ErrorOut})
def category_products(path: schemas.CategoryPath, query: schemas.PageQuery) -> Reply:
    """One page of a category's products, ten per page."""
    category, page = services.category_products(category_id=path.category_id, page=query.page)
    return schemas.category_product_page(category, page)


@bp.get("/products", responses={200: schemas.ProductPage})
def list_products(query: schemas.PageQuery) -> Reply:
    """One page of all products, ten per page."""
    return schemas.product_page(services.products(page=query.page))


@bp.get("/products/<id:product_id>", responses={200: schemas.ProductDetail, 404: schemas.ErrorOut})
def get_product(path: schemas.ProductPath) -> Reply:
    """One product and its category."""
    return schemas.product_detail(services.get_product(product_id=path.product_id))


@bp.post(
    "/products",
    responses={200: schemas.ProductCreated, 422: schemas.ErrorOut, **AUTH_ERRORS},
    security=BEARER,
    openapi_extensions=body_doc(schemas.ProductCreate),
)
@guard.permission("post:new-product")
def create_product(principal: Principal) -> Reply:
    """Create a product (permission post:new-product)."""
    data = parse_body(schemas.ProductCreate, json_only=True)
    product, total = services.create_product(data=data)
    return schemas.ProductCreated(created=product.id, total_products=total).model_dump()


@bp.patch(
    "/products/<id:product_id>",
    responses={200: schemas.ProductUpdated, 404: schemas.ErrorOut, **AUTH_ERRORS},
    security=BEARER,
    openapi_extensions=body_doc(schemas.PriceUpdate),
)
@guard.permission("patch:products")
def update_product(path: schemas.ProductPath, principal: Principal) -> Reply:
    """Change a product's price (permission patch:products)."""
    services.get_product(product_id=path.product_id)
    data = parse_body(schemas.PriceUpdate, json_only=True)
    product = services.update_price(product_id=path.product_id, price=data.price)
    return schemas.ProductUpdated(updated=product.id).model_dump()


@bp.delete(
    "/products/<id:product_id>",
    responses={200: schemas.ProductDeleted, 404: schemas.ErrorOut, **AUTH_ERRORS},
    security=BEARER,
)
@guard.permission("delete:products")
def delete_product(path: schemas.ProductPath, principal: Principal) -> Reply:
    """Delete a product (permission delete:products)."""
    services.delete_product(product_id=path.product_id)
    return schemas.ProductDeleted(deleted=path.product_id).model_dump()
