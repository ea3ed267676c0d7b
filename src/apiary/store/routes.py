"""Store API routes (spec 000)."""

from flask import Response
from flask_openapi3 import Tag

from apiary.core.auth import Guard, HeaderToken
from apiary.core.errors import BadRequest, Unprocessable
from apiary.core.http import Reply
from apiary.core.routing import ApiBlueprint, takes_body
from apiary.store import schemas, services

bp = ApiBlueprint(
    "store",
    __name__,
    error_model=schemas.ErrorOut,
    abp_tags=[Tag(name="store", description="Categories and products (spec 000)")],
)
guard = Guard(source=HeaderToken(scheme="Bearer"), refusals=schemas.REFUSALS, accept_external=True)


@bp.get(
    "/welcome",
    responses={200: {"description": "HTML greeting, the login page's redirect target", "content": {"text/html": {}}}},
    database=False,
)
def welcome() -> Reply:
    """A greeting for browsers returning from the login page."""
    return Response("<h1>Welcome!</h1>", mimetype="text/html")


@bp.get("/categories", responses={200: schemas.CategoryList})
def list_categories() -> Reply:
    """Every category."""
    categories = services.list_categories()
    return schemas.CategoryList(categories=[schemas.category_out(c) for c in categories]).model_dump()


@bp.post("/categories", responses={200: schemas.CategoryCreated, 422: schemas.ErrorOut})
@guard.permission("post:new-category")
@takes_body(schemas.CategoryCreate, invalid=Unprocessable)
def create_category(data: schemas.CategoryCreate) -> Reply:
    """Create a category (permission post:new-category)."""
    category, total = services.create_category(name=data.name)
    return schemas.CategoryCreated(created=category.id, total_categories=total).model_dump()


@bp.get("/categories/<id:category_id>/products", responses={200: schemas.CategoryProductPage})
def category_products(path: schemas.CategoryPath, query: schemas.PageQuery) -> Reply:
    """One page of a category's products, ten per page."""
    category, page = services.list_category_products(category_id=path.category_id, page=query.page)
    return schemas.category_product_page(category, page)


@bp.get("/products", responses={200: schemas.ProductListAnswer, 400: schemas.ErrorOut})
def list_products(query: schemas.ListQuery) -> Reply:
    """One page of all products, ten per page (by number, or after a cursor)."""
    if query.after is not None:
        return schemas.product_cursor_page(*services.list_products_after(after=query.after))
    return schemas.product_page(services.list_products(page=query.page))


@bp.get("/products/<id:product_id>", responses={200: schemas.ProductDetail})
def get_product(path: schemas.ProductPath) -> Reply:
    """One product and its category."""
    return schemas.product_detail(services.get_product(product_id=path.product_id))


@bp.post("/products", responses={200: schemas.ProductCreated, 422: schemas.ErrorOut})
@guard.permission("post:new-product")
@takes_body(schemas.ProductCreate, invalid=Unprocessable)
def create_product(data: schemas.ProductCreate) -> Reply:
    """Create a product (permission post:new-product)."""
    product, total = services.create_product(**data.model_dump())
    return schemas.ProductCreated(created=product.id, total_products=total).model_dump()


@bp.patch("/products/<id:product_id>", responses={200: schemas.ProductUpdated})
@guard.permission("patch:products")
@takes_body(schemas.PriceUpdate, invalid=BadRequest)
def update_product(path: schemas.ProductPath, data: schemas.PriceUpdate) -> Reply:
    """Change a product's price (permission patch:products)."""
    product = services.update_price(product=services.get_product(product_id=path.product_id), price=data.price)
    return schemas.ProductUpdated(updated=product.id).model_dump()


@bp.delete("/products/<id:product_id>", responses={200: schemas.ProductDeleted})
@guard.permission("delete:products")
def delete_product(path: schemas.ProductPath) -> Reply:
    """Delete a product (permission delete:products)."""
    services.delete_product(product_id=path.product_id)
    return schemas.ProductDeleted(deleted=path.product_id).model_dump()
