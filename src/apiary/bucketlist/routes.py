"""Bucketlist API routes (spec 003). Its halves of /auth/register and /auth/login are mounted in apiary.shared."""

from flask_openapi3 import Tag

from apiary.bucketlist import schemas, services
from apiary.core.http import Reply
from apiary.core.routing import ApiBlueprint, BodyRule

bp = ApiBlueprint(
    "bucketlist",
    __name__,
    error_model=schemas.ErrorOut,
    abp_tags=[Tag(name="bucketlist", description="Bucketlists and their items (spec 003)")],
)
CREDENTIALS = BodyRule(schemas.EmailCredentials, form=True)


def register() -> Reply:
    """Spec 003's registration by email and password."""
    data = CREDENTIALS.parse()
    services.register(email=data.email, password=data.password)
    return schemas.MessageOut(message=schemas.REGISTERED).model_dump(), 201


def login() -> Reply:
    """Spec 003's login by email: a short-lived access token."""
    data = CREDENTIALS.parse()
    token = services.login(email=data.email, password=data.password)
    return schemas.LoginOut(message=schemas.LOGGED_IN, access_token=token).model_dump()
