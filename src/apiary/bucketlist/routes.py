"""Bucketlist API routes (spec 003). Its halves of /auth/register and /auth/login are mounted in apiary.shared."""

from flask import url_for
from flask_openapi3 import Tag

from apiary.bucketlist import schemas, services
from apiary.core.auth import Guard, HeaderToken
from apiary.core.http import Reply
from apiary.core.identity import User
from apiary.core.routing import ApiBlueprint, BodyRule, takes_body

bp = ApiBlueprint(
    "bucketlist",
    __name__,
    error_model=schemas.ErrorOut,
    abp_tags=[Tag(name="bucketlist", description="Bucketlists and their items (spec 003)")],
)
# `Authorization: <any word> <token>`, as the original read it; Apiary's own tokens only.
guard = Guard(source=HeaderToken(scheme=None), refusals=schemas.REFUSALS, default=schemas.OTHER_REFUSAL)
REGISTRATION = BodyRule(schemas.EmailRegistration, form=True)
LOGIN = BodyRule(schemas.EmailCredentials, form=True)

# The paths' ids are werkzeug's `<int:...>`, not the core's `<id:...>` (which makes one beyond an INTEGER column
# 0), so that a 404 names the id that was asked for; the services look up no id that no row can have.


def register() -> Reply:
    """Spec 003's registration by email and password."""
    data = REGISTRATION.parse()
    services.register(email=data.email, password=data.password)
    return schemas.MessageOut(message=schemas.REGISTERED).model_dump(), 201


def login() -> Reply:
    """Spec 003's login by email: a short-lived access token."""
    data = LOGIN.parse()
    token = services.login(email=data.email, password=data.password)
    return schemas.LoginOut(message=schemas.LOGGED_IN, access_token=token).model_dump()


@bp.get("/bucketlists/", responses={200: schemas.BucketlistList, 400: schemas.ErrorOut})
@guard.required()
def list_bucketlists(query: schemas.BucketlistQuery, user: User) -> Reply:
    """The caller's bucketlists; ?q= filters them by name, ?limit= and ?page= page them."""
    if not query.paged:
        return schemas.bucketlist_list(services.list_bucketlists(owner=user, name_contains=query.q))
    per_page = query.limit or schemas.DEFAULT_LIMIT
    page = services.page_bucketlists(owner=user, name_contains=query.q, page=query.page or 1, per_page=per_page)
    return schemas.bucketlist_page(
        page,
        link=lambda number: url_for(".list_bucketlists", q=query.q, limit=per_page, page=number, _external=True),
    )


@bp.post("/bucketlists/", responses={201: schemas.BucketlistOut})
@guard.required()
@takes_body(schemas.BucketlistIn, form=True)
def create_bucketlist(user: User, data: schemas.BucketlistIn) -> Reply:
    """Create a bucketlist of the caller's."""
    return schemas.bucketlist_out(services.create_bucketlist(owner=user, name=data.name)), 201


@bp.get("/bucketlists/<int:bucketlist_id>", responses={200: schemas.BucketlistOut})
@guard.required()
def get_bucketlist(path: schemas.BucketlistPath, user: User) -> Reply:
    """One of the caller's bucketlists."""
    return schemas.bucketlist_out(services.get_owned_bucketlist(bucketlist_id=path.bucketlist_id, owner=user))


@bp.put("/bucketlists/<int:bucketlist_id>", responses={200: schemas.BucketlistOut})
@guard.required()
@takes_body(schemas.BucketlistIn, form=True)
def rename_bucketlist(path: schemas.BucketlistPath, user: User, data: schemas.BucketlistIn) -> Reply:
    """Rename one of the caller's bucketlists."""
    bucketlist = services.rename_bucketlist(bucketlist_id=path.bucketlist_id, owner=user, name=data.name)
    return schemas.bucketlist_out(bucketlist)


@bp.delete("/bucketlists/<int:bucketlist_id>", responses={200: schemas.MessageOut})
@guard.required()
def delete_bucketlist(path: schemas.BucketlistPath, user: User) -> Reply:
    """Delete one of the caller's bucketlists and its items."""
    services.delete_bucketlist(bucketlist_id=path.bucketlist_id, owner=user)
    return schemas.deleted("bucketlist", path.bucketlist_id)


@bp.get("/bucketlists/<int:bucketlist_id>/items/", responses={200: schemas.ItemList})
@guard.required()
def list_items(path: schemas.BucketlistPath, user: User) -> Reply:
    """The items of one of the caller's bucketlists."""
    items = services.list_items(bucketlist_id=path.bucketlist_id, owner=user)
    return [schemas.item_out(item) for item in items]


@bp.post("/bucketlists/<int:bucketlist_id>/items/", responses={201: schemas.ItemOut})
@guard.required()
@takes_body(schemas.ItemCreate, form=True)
def add_item(path: schemas.BucketlistPath, user: User, data: schemas.ItemCreate) -> Reply:
    """Add an item to one of the caller's bucketlists."""
    item = services.add_item(bucketlist_id=path.bucketlist_id, owner=user, name=data.name, done=data.done)
    return schemas.item_out(item), 201


@bp.get("/bucketlists/<int:bucketlist_id>/items/<int:item_id>", responses={200: schemas.ItemOut})
@guard.required()
def get_item(path: schemas.ItemPath, user: User) -> Reply:
    """One item of one of the caller's bucketlists."""
    item = services.get_owned_item(bucketlist_id=path.bucketlist_id, item_id=path.item_id, owner=user)
    return schemas.item_out(item)


@bp.put("/bucketlists/<int:bucketlist_id>/items/<int:item_id>", responses={200: schemas.ItemOut})
@guard.required()
@takes_body(schemas.ItemUpdate, form=True)
def update_item(path: schemas.ItemPath, user: User, data: schemas.ItemUpdate) -> Reply:
    """Rename an item, mark it done or not done, or both."""
    item = services.update_item(
        bucketlist_id=path.bucketlist_id, item_id=path.item_id, owner=user, name=data.name, done=data.done
    )
    return schemas.item_out(item)


@bp.delete("/bucketlists/<int:bucketlist_id>/items/<int:item_id>", responses={200: schemas.MessageOut})
@guard.required()
def delete_item(path: schemas.ItemPath, user: User) -> Reply:
    """Delete an item of one of the caller's bucketlists."""
    services.delete_item(bucketlist_id=path.bucketlist_id, item_id=path.item_id, owner=user)
    return schemas.deleted("item", path.item_id)
