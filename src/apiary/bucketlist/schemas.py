"""Bucketlist API (spec 003) shapes: input rules, the exact success bodies and the error dialect."""

import math
from collections.abc import Callable, Sequence
from functools import partial
from typing import Annotated, Any, Self

from flask import Response, jsonify
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    RootModel,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError
from werkzeug.http import HTTP_STATUS_CODES

from apiary.bucketlist.models import NAME_LENGTH, Bucketlist, BucketlistRow, Item
from apiary.core.auth import Refusal
from apiary.core.errors import ApiError, ValidationFailed
from apiary.core.http import QueryModel, TextTooLong, http_date, sent_as_form
from apiary.core.identity import MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH
from apiary.core.pagination import MAX_PAGE, Page
from apiary.core.tokens import Rejection

REGISTERED = "You registered successfully. Please log in."
LOGGED_IN = "You logged in successfully."

# The spec's two token answers: expired, and everything else (a missing header included).
REFUSALS = {Rejection.EXPIRED: Refusal(401, "Expired token. Please login to get a new token")}
OTHER_REFUSAL = Refusal(401, "Invalid token. Please register or login")

# How a form spells a boolean (a form's values are text; JSON has true and false of its own).
FORM_BOOLEANS = {"true": True, "1": True, "false": False, "0": False}

DEFAULT_LIMIT = 20
MAX_LIMIT = 100


# The longest text each field of this API's bodies takes: its column's.
LONGEST_TEXT = {"name": NAME_LENGTH, "email": MAX_EMAIL_LENGTH, "password": MAX_PASSWORD_LENGTH}
AT_MOST = "must be at most {max} characters"


def _at_most(value: str, field: str) -> str:
    """`value`, unless it is longer than `field`'s column."""
    if len(value) > LONGEST_TEXT[field]:
        raise PydanticCustomError("too_long", AT_MOST, {"max": LONGEST_TEXT[field]})
    return value


def _required_text(value: Any, *, bounded_as: str | None = None) -> str:
    """Text that is there and not empty (a missing field takes the empty default, refused here in this API's
    words), and with `bounded_as`, no longer than that field's column."""
    if value is None or value == "":
        raise PydanticCustomError("missing", "is required")
    if not isinstance(value, str):
        raise PydanticCustomError("text", "must be text")
    return value if bounded_as is None else _at_most(value, bounded_as)


def _name(value: Any) -> str:
    """Text of at most NAME_LENGTH characters, not all blank; a number counts as its text, as the original's
    str(name) had it."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise PydanticCustomError("text", "must be text")
    if not value.strip():
        raise PydanticCustomError("missing", "is required")
    return _at_most(value, "name")


def _boolean(value: Any, info: ValidationInfo) -> bool:
    """true or false: a JSON boolean, or one of FORM_BOOLEANS' spellings in a form (any case)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and sent_as_form(info) and value.lower() in FORM_BOOLEANS:
        return FORM_BOOLEANS[value.lower()]
    raise PydanticCustomError("boolean", "must be true or false")


def _counting_number(value: Any, *, maximum: int) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        number = 0
    if not 1 <= number <= maximum:
        raise PydanticCustomError("number", "must be a whole number from 1 to {max}", {"max": maximum})
    return number


Name = Annotated[str, BeforeValidator(_name)]
Done = Annotated[bool, BeforeValidator(_boolean)]


class EmailCredentials(BaseModel):
    """A login's email and password, sent as a form or as JSON. Either may be of any length: one that no
    account has is a wrong one (401), as in the account API's login."""

    model_config = ConfigDict(validate_default=True)

    email: Annotated[str, BeforeValidator(_required_text)] = ""
    password: Annotated[str, BeforeValidator(_required_text)] = ""


class EmailRegistration(EmailCredentials):
    """A new user's email and password, each no longer than its column."""

    email: Annotated[str, BeforeValidator(partial(_required_text, bounded_as="email"))] = ""
    password: Annotated[str, BeforeValidator(partial(_required_text, bounded_as="password"))] = ""


class BucketlistIn(BaseModel):
    """A bucketlist's name, sent as a form or as JSON."""

    model_config = ConfigDict(validate_default=True)

    name: Name = ""


class ItemCreate(BaseModel):
    """A new item: a name, and whether it is done (not yet, unless said)."""

    model_config = ConfigDict(validate_default=True)

    name: Name = ""
    done: Done = False


class ItemUpdate(BaseModel):
    """A new name, a new done state, or both; what is left out stays as it was."""

    name: Annotated[str | None, BeforeValidator(_name)] = None
    done: Annotated[bool | None, BeforeValidator(_boolean)] = None

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if self.name is None and self.done is None:
            raise PydanticCustomError("missing", "name or done is required")
        return self


class BucketlistQuery(QueryModel):
    """Extensions of the list (none by default): `q` filters by name, `limit` and `page` page it."""

    q: str | None = None  # the core refuses a query value with a NUL (or any control character)
    limit: Annotated[int | None, BeforeValidator(partial(_counting_number, maximum=MAX_LIMIT))] = None
    page: Annotated[int | None, BeforeValidator(partial(_counting_number, maximum=MAX_PAGE))] = None

    @property
    def paged(self) -> bool:
        return self.limit is not None or self.page is not None


class BucketlistPath(BaseModel):
    bucketlist_id: int


class ItemPath(BaseModel):
    bucketlist_id: int
    item_id: int


class MessageOut(BaseModel):
    message: str


class LoginOut(BaseModel):
    message: str
    access_token: str


class BucketlistOut(BaseModel):
    id: int
    name: str
    date_created: str
    date_modified: str
    created_by: int


class ItemOut(BaseModel):
    id: int
    name: str
    done: bool
    date_created: str
    date_modified: str
    bucketlist_id: int


class BucketlistList(RootModel[list[BucketlistOut]]):
    """A bare array, as the spec has it; a paged one comes with `Link` and `X-Total-Count` headers."""


class ItemList(RootModel[list[ItemOut]]):
    pass


ErrorOut = MessageOut


def bucketlist_out(bucketlist: BucketlistRow) -> dict[str, Any]:
    return BucketlistOut(
        id=bucketlist.id,
        name=bucketlist.name,
        date_created=http_date(bucketlist.date_created),
        date_modified=http_date(bucketlist.date_modified),
        created_by=bucketlist.created_by,
    ).model_dump()


def bucketlist_list(bucketlists: Sequence[BucketlistRow]) -> list[dict[str, Any]]:
    return [bucketlist_out(bucketlist) for bucketlist in bucketlists]


def bucketlist_page(page: Page[Bucketlist], *, link: Callable[[int], str]) -> Response:
    """One page as the same bare array, with the total and RFC 8288 links to the pages around it. Past the
    end, `prev` leads to the last page that has rows (none when no page has)."""
    response = jsonify(bucketlist_list(page.items))
    response.headers["X-Total-Count"] = str(page.total)
    links = []
    if page.has_next:
        links.append(f'<{link(page.page + 1)}>; rel="next"')
    if page.page > 1 and page.total:
        last_page = math.ceil(page.total / page.per_page)
        links.append(f'<{link(min(page.page - 1, last_page))}>; rel="prev"')
    if links:
        response.headers["Link"] = ", ".join(links)
    return response


def item_out(item: Item) -> dict[str, Any]:
    return ItemOut(
        id=item.id,
        name=item.name,
        done=item.done,
        date_created=http_date(item.date_created),
        date_modified=http_date(item.date_modified),
        bucketlist_id=item.bucketlist_id,
    ).model_dump()


def deleted(kind: str, row_id: int) -> dict[str, Any]:
    """The spec's `bucketlist <id> deleted`, and the same for an item."""
    return MessageOut(message=f"{kind} {row_id} deleted").model_dump()


def render_error(error: ApiError) -> tuple[dict[str, Any], int]:
    """Spec 003's dialect: `{"message": ...}`; a validation problem names its field."""
    if isinstance(error, TextTooLong) and error.field in LONGEST_TEXT:
        # Past the core's bound on any text: in the words of the field's own, smaller bound.
        error = ValidationFailed([(error.field, AT_MOST.format(max=LONGEST_TEXT[error.field]))])
    if isinstance(error, ValidationFailed):
        field, problem = error.problems[0]
        # A problem of the whole body (core names it "body") reads best on its own.
        return {"message": problem if field == "body" else f"{field} {problem}"}, error.status_code
    text = error.message if error.message is not None else HTTP_STATUS_CODES.get(error.status_code, "error")
    return {"message": text}, error.status_code
