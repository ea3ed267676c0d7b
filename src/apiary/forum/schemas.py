"""Forum API (spec 002) shapes: input rules, the exact success bodies and the `{"error": ...}` envelope."""

import re
from datetime import datetime
from typing import Annotated, Any, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, RootModel, model_validator
from pydantic_core import PydanticCustomError
from werkzeug.http import HTTP_STATUS_CODES

from apiary.core.auth import Refusal
from apiary.core.errors import ApiError, BadRequest, ValidationFailed
from apiary.core.http import QueryModel
from apiary.core.identity import User
from apiary.core.pagination import CursorPage, page_number
from apiary.core.tokens import Rejection
from apiary.forum.models import Article

TOKEN_MISSING = Refusal(401, "Access-token is missing. Log in, please")
# The original's two messages differ by a comma, and each client may compare them.
INVALID_TOKEN = Refusal(401, "Invalid access-token. Log in please")
# A request with no JSON object for a body (and no token in a header) is a bad request, as spec 002 asks.
REFUSALS = {Rejection.MISSING: TOKEN_MISSING, Rejection.NO_BODY: Refusal(400, error=BadRequest)}

# The original's rules (config.py), for /register only: logins elsewhere may have other names.
USERNAME_FORMAT = re.compile(r"[A-Za-z0-9!@#$%^&*\-_]{5,20}")
PASSWORD_FORMAT = re.compile(r"(?=.*?[A-Z])(?=.*?[a-z])(?=.*?[0-9])(?=.*?[!@#$%^&*\-_])[A-Za-z0-9!@#$%^&*\-_]{8,40}")


def _text(name: str) -> BeforeValidator:
    """A text field the original required to be truthy: anything falsy is "<name> is missing"; a number, list
    or object that is not falsy is no text either."""

    def check(value: Any) -> Any:
        if not value:
            raise PydanticCustomError("missing", "{name} is missing", {"name": name})
        if not isinstance(value, str):
            raise PydanticCustomError("not_text", "{name} must be a string", {"name": name})
        return value

    return BeforeValidator(check)


class Credentials(BaseModel):
    """A username and a password, both required; a missing one is reported username first."""

    model_config = ConfigDict(validate_default=True)

    username: Annotated[str, _text("Username")] = ""
    password: Annotated[str, _text("Password")] = ""


class Registration(Credentials):
    """Credentials that also follow the original's formats, checked once both are present (spec order)."""

    @model_validator(mode="after")
    def _check_formats(self) -> Self:
        if not USERNAME_FORMAT.fullmatch(self.username):
            raise PydanticCustomError("format", "Bad username format")
        if not PASSWORD_FORMAT.fullmatch(self.password):
            raise PydanticCustomError("format", "Bad password format")
        return self


class ArticleContent(BaseModel):
    """A title and a text, both required (an edit replaces both); `access-token` and other keys are ignored."""

    model_config = ConfigDict(validate_default=True)

    title: Annotated[str, _text("Article title")] = ""
    text: Annotated[str, _text("Article text")] = ""


def _page_from_one(raw: Any) -> int:
    return max(page_number(raw), 1)


class PageQuery(QueryModel):
    """`?page=`: absent, not an integer or below 1 means page 1."""

    page: Annotated[int, BeforeValidator(_page_from_one)] = 1


class ListQuery(PageQuery):
    """`?page=`, or `?after=`: the cursor of an earlier answer's `next_cursor` (empty for the first rows),
    which pages at the same cost at any depth; `page` is then ignored."""

    after: str | None = Field(None, description="An earlier answer's `next_cursor`; empty for the first rows.")


# Ids in forum URLs are untyped segments: a 404 repeats the id exactly as the client wrote it.
class ArticlePath(BaseModel):
    article_id: str


class UserPath(BaseModel):
    user_id: str


class UserOut(BaseModel):
    """A forum profile; users registered by email alone have no username, shown as null (no email is shown)."""

    model_config = ConfigDict(title="ForumUser")  # the document names schemas by title; account has a UserOut

    id: int
    username: str | None
    date_registered: str


class LoginOut(BaseModel):
    # The document names schemas by title; bucketlist has a LoginOut.
    model_config = ConfigDict(title="ForumLogin", serialize_by_alias=True, validate_by_name=True)

    access_token: str = Field(alias="access-token")
    user_id: int
    username: str


class VerifiedOut(BaseModel):
    id: int
    username: str | None


class ArticleSummaryOut(BaseModel):
    """An article in a list: everything but its text."""

    model_config = ConfigDict(serialize_by_alias=True, validate_by_name=True)

    id: int
    title: str
    user_id: int
    date_posted: str
    author_username: str | None = Field(alias="author.username")


class ArticleOut(ArticleSummaryOut):
    text: str


class ArticlePage(BaseModel):
    articles: list[ArticleSummaryOut]
    next: bool


class ArticleCursorPage(ArticlePage):
    """The answer to `?after=`: the articles after the cursor, and the cursor of the next ones."""

    next_cursor: str | None = Field(description="The next answer's `?after=`; null on the last one.")


class ArticleListAnswer(RootModel[ArticlePage | ArticleCursorPage]):
    """A page by number (`?page=`), or the articles after a cursor (`?after=`)."""


class ErrorOut(BaseModel):
    model_config = ConfigDict(title="ForumError")  # the document names schemas by title; every API has an ErrorOut

    error: str


def timestamp(moment: datetime) -> str:
    """ISO 8601 without a time zone, always with microseconds (`2020-02-02T00:17:49.735642`)."""
    return moment.isoformat(timespec="microseconds")


def user_out(user: User) -> dict[str, Any]:
    return UserOut(id=user.id, username=user.username, date_registered=timestamp(user.date_registered)).model_dump()


def login_out(user: User, token: str) -> dict[str, Any]:
    assert user.username is not None  # they logged in by username
    return LoginOut(access_token=token, user_id=user.id, username=user.username).model_dump()


def verified_out(user: User) -> dict[str, Any]:
    return VerifiedOut(id=user.id, username=user.username).model_dump()


def _summary_fields(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "user_id": article.user_id,
        "date_posted": timestamp(article.date_posted),
        "author_username": article.author.username,
    }


def article_out(article: Article) -> dict[str, Any]:
    return ArticleOut(text=article.text, **_summary_fields(article)).model_dump()


def article_page(items: list[Article], more: bool) -> dict[str, Any]:
    articles = [ArticleSummaryOut(**_summary_fields(article)) for article in items]
    return ArticlePage(articles=articles, next=more).model_dump()


def article_cursor_page(page: CursorPage[Article]) -> dict[str, Any]:
    articles = [ArticleSummaryOut(**_summary_fields(article)) for article in page.items]
    return ArticleCursorPage(
        articles=articles, next=page.next_cursor is not None, next_cursor=page.next_cursor
    ).model_dump()


# Answers for errors raised without a text of their own: the Werkzeug reason phrase the original's HTML
# pages carried, except a body that is missing or is not a JSON object (the original's 500).
MESSAGES = {400: "Bad request: the body must be a JSON object"}


def render_error(error: ApiError) -> tuple[dict[str, Any], int]:
    """Spec 002's envelope `{"error": "<text>"}`; a validation failure shows its first problem, in spec order."""
    status = error.status_code
    if isinstance(error, ValidationFailed):
        message = error.problems[0][1]
    elif error.message is not None:
        message = str(error.message)
    else:
        message = MESSAGES.get(status, HTTP_STATUS_CODES.get(status, "Error"))
    return ErrorOut(error=message).model_dump(), status
