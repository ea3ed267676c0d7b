"""Review API (spec 001) shapes: input rules, the exact success bodies and the error envelope."""

from typing import Annotated, Any

import sqlalchemy as sa
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    RootModel,
    StrictBool,
    StringConstraints,
    TypeAdapter,
)
from pydantic.alias_generators import to_camel
from pydantic_core import PydanticCustomError
from werkzeug.http import HTTP_STATUS_CODES

from apiary.core.auth import Refusal
from apiary.core.errors import ApiError, Forbidden
from apiary.core.http import RowId
from apiary.core.identity import Role
from apiary.core.tokens import Rejection
from apiary.review.models import MAX_SNIPPET_NAME_LENGTH, Coder, Mentor, Snippet
from apiary.review.services import EditorClaim, SnippetContent, Usertype

# The original's AuthError descriptions (spec 001), plus Apiary's own token-store answers.
UNPARSABLE = Refusal(401, "Unable to parse authentication token.")
UNKNOWN_KEY = Refusal(401, "Unable to find appropriate key")
REVOKED = Refusal(401, "token has been revoked")
# The original read a missing permissions claim as no permission at all.
FORBIDDEN = Refusal(403, error=Forbidden)
REFUSALS = {
    Rejection.MISSING: Refusal(401, "Authorization header is expected"),
    Rejection.BAD_SCHEME: Refusal(401, "Authorization header must start with Bearer"),
    Rejection.NO_TOKEN: Refusal(401, "Token not found"),
    Rejection.EXTRA_PARTS: Refusal(401, "Authorization header must be Bearer token"),
    Rejection.UNDECODABLE: Refusal(401, "Invalid header. Use an RS256 signed JWT Access Token"),
    Rejection.NO_KID: UNKNOWN_KEY,
    Rejection.UNKNOWN_KID: UNKNOWN_KEY,
    Rejection.EXPIRED: Refusal(401, "token is expired"),
    Rejection.BAD_CLAIMS: Refusal(401, "incorrect claims, please check the audience and issuer"),
    Rejection.INVALID: UNPARSABLE,
    Rejection.REVOKED: REVOKED,
    Rejection.USER_GONE: REVOKED,
    Rejection.WRONG_TYPE: Refusal(401, "token is not an access token"),
    Rejection.NO_PERMISSIONS: FORBIDDEN,
    Rejection.FORBIDDEN: FORBIDDEN,
}
# Any reason not listed (NO_BODY: no token is read from a body here) is the original's other decode failure.
OTHER_REFUSAL = UNPARSABLE

SIGNED_UP = "You have signed up successfully."
MENTOR_KEPT = "This mentor was already the mentor for this coder."
MENTOR_CHOSEN = "A new mentor has been selected for this coder."
CODER_ADDED = "A new coder has been added to your list of coders."
SNIPPET_SAVED = "Snippet has been successfully saved to database"
SNIPPET_UPDATED = "Snippet has been successfully updated in database"
SNIPPET_DELETED = "Snippet has been deleted."


def _usertype(value: Any) -> Role:
    """`coder` or `mentor`, in any letter case (spec 001, contradiction 6)."""
    if isinstance(value, str) and value.lower() in (Role.CODER, Role.MENTOR):
        return Role(value.lower())
    raise PydanticCustomError("usertype", "usertype must be coder or mentor")


def _not_bool(value: Any) -> Any:
    if isinstance(value, bool):
        raise PydanticCustomError("int_type", "Input should be a valid integer")
    return value


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise PydanticCustomError("nul", "must not contain a NUL character")
    return value


def _blank_is_none(value: str | None) -> str | None:
    return value or None


Filled = Annotated[str, StringConstraints(min_length=1)]
BodyId = Annotated[RowId, BeforeValidator(_not_bool)]
"""A row id in a body: a positive integer (or its digits) that fits an INTEGER column, never a boolean."""

_BODY_ID: TypeAdapter[int] = TypeAdapter(BodyId)


def _lookup_id(value: Any) -> int:
    """A value that is not a row id names no row: the original looked it up and found nothing."""
    try:
        return _BODY_ID.validate_python(value)
    except ValueError:
        return 0


LookupId = Annotated[int, BeforeValidator(_lookup_id)]


class CamelBody(BaseModel):
    """A JSON body whose keys are camelCase, as the original's front end sends them."""

    model_config = ConfigDict(alias_generator=to_camel)


class Signup(BaseModel):
    username: Filled
    usertype: Annotated[Role, BeforeValidator(_usertype)]
    password: Filled
    email: Annotated[str | None, AfterValidator(_blank_is_none)] = None


class UserinfoPath(BaseModel):
    username: Annotated[str, AfterValidator(_no_nul)]


class CoderPath(BaseModel):
    coder_id: int


class MentorPath(BaseModel):
    mentor_id: int


class SnippetPath(BaseModel):
    snippet_id: int


class MentorChoice(CamelBody):
    mentor_id: BodyId


class CoderChoice(CamelBody):
    coder_id: BodyId


class SnippetAuthor(CamelBody):
    """The coder a new snippet is for, looked up before the rest of the body is read: one missing or not
    an id is not found."""

    coder_id: LookupId = 0


class SnippetIn(CamelBody):
    """A snippet's content. Left out, `needsReview` is false and `comments` empty, even in an edit."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=MAX_SNIPPET_NAME_LENGTH)]
    code: Filled
    needs_review: StrictBool = False
    comments: str | None = ""

    def content(self) -> SnippetContent:
        return SnippetContent(name=self.name, code=self.code, needs_review=self.needs_review, comments=self.comments)


class SnippetCreate(SnippetIn):
    """A new snippet: its coder and its content (read as SnippetAuthor, then SnippetIn; this documents both)."""

    coder_id: BodyId


class SnippetEdit(SnippetIn):
    """New content, and who the sender says it is."""

    usertype: Usertype
    user_id: BodyId | None = None
    coder_id: BodyId | None = None

    def claim(self) -> EditorClaim:
        return EditorClaim(usertype=self.usertype, user_id=self.user_id, coder_id=self.coder_id)


class SnippetDeletion(CamelBody):
    coder_id: BodyId


class SnippetOut(BaseModel):
    id: int
    snippet_name: str
    code: str
    needs_review: bool
    comments: str | None
    coder_id: int


class CoderOut(BaseModel):
    id: int
    username: str
    snippets: list[SnippetOut]
    mentor_id: int | None


class MentorOut(BaseModel):
    id: int
    username: str
    coders: list[CoderOut]


class MenteeOut(BaseModel):
    """A mentor's coder as /userinfo shows it: only the snippets waiting for review."""

    username: str
    id: int
    snippets: list[SnippetOut]


class CoderInfo(BaseModel):
    success: bool = True
    user_id: int
    usertype: str = "Coder"
    mentor: str | None
    snippets: list[SnippetOut]


class MentorInfo(BaseModel):
    success: bool = True
    user_id: int
    usertype: str = "Mentor"
    coders: list[MenteeOut]


class MemberInfo(RootModel[CoderInfo | MentorInfo]):
    """A coder's or a mentor's profile."""


class SignedUp(BaseModel):
    success: bool = True
    message: str = SIGNED_UP
    user_id: int


class CoderList(BaseModel):
    success: bool = True
    coders: list[CoderOut]


class MentorList(BaseModel):
    success: bool = True
    mentors: list[MentorOut]


class SnippetDetail(SnippetOut):
    success: bool = True


class Done(BaseModel):
    success: bool = True
    message: str


class ErrorOut(BaseModel):
    model_config = ConfigDict(title="ReviewError")  # the document names schemas by title; every API has an ErrorOut

    success: bool = False
    error: int
    message: str


def snippet_out(snippet: Snippet) -> SnippetOut:
    return SnippetOut(
        id=snippet.id,
        snippet_name=snippet.snippet_name,
        code=snippet.code,
        needs_review=snippet.needs_review,
        comments=snippet.comments,
        coder_id=snippet.coder_id,
    )


def coder_out(coder: Coder) -> CoderOut:
    return CoderOut(
        id=coder.id,
        username=coder.username,
        snippets=[snippet_out(s) for s in coder.snippets],
        mentor_id=coder.mentor_id,
    )


def member_info(member: Coder | Mentor) -> dict[str, Any]:
    """A coder with its mentor's name and every snippet, or a mentor with its coders' snippets to review."""
    if isinstance(member, Coder):
        return CoderInfo(
            user_id=member.id,
            mentor=member.mentor.username if member.mentor else None,
            snippets=[snippet_out(s) for s in member.snippets],
        ).model_dump()
    mentees = [
        MenteeOut(username=c.username, id=c.id, snippets=[snippet_out(s) for s in c.snippets if s.needs_review])
        for c in member.coders
    ]
    return MentorInfo(user_id=member.id, coders=mentees).model_dump()


def coder_list(coders: list[Coder]) -> dict[str, Any]:
    return CoderList(coders=[coder_out(c) for c in coders]).model_dump()


def mentor_list(rows: list[sa.Row[Any]]) -> dict[str, Any]:
    """MentorList from services.list_mentors' rows, built as plain data in one pass (the listing can hold
    tens of thousands of snippets; tests check it against the model)."""
    mentors: list[dict[str, Any]] = []
    for row in rows:
        if not mentors or mentors[-1]["id"] != row.mentor_id:
            mentors.append({"id": row.mentor_id, "username": row.mentor_username, "coders": []})
        coders = mentors[-1]["coders"]
        if row.coder_id is None:
            continue
        if not coders or coders[-1]["id"] != row.coder_id:
            coders.append(
                {"id": row.coder_id, "username": row.coder_username, "snippets": [], "mentor_id": row.mentor_id}
            )
        if row.snippet_id is not None:
            coders[-1]["snippets"].append(
                {
                    "id": row.snippet_id,
                    "snippet_name": row.snippet_name,
                    "code": row.code,
                    "needs_review": row.needs_review,
                    "comments": row.comments,
                    "coder_id": row.coder_id,
                }
            )
    return {"success": True, "mentors": mentors}


def snippet_detail(snippet: Snippet) -> dict[str, Any]:
    return SnippetDetail(**snippet_out(snippet).model_dump()).model_dump()


def done(message: str) -> dict[str, Any]:
    return Done(message=message).model_dump()


# The original's app-wide handlers; any other status falls back to its standard reason phrase.
MESSAGES = {
    400: "bad request",
    403: "You can't go there.",
    404: "You may have to come to terms with the very real possibility that the resource you are seeking does "
    "not exist.",
    409: "I feel conflicted. There is already a user by that name in my database, and so I must regretfully "
    "decline to honor your request.",
    500: "I have to tell you something. I've screwed up somehow. I was unable to process your request.  "
    "It's not you ... it's me.",
}


def render_error(error: ApiError) -> tuple[dict[str, Any], int]:
    """`{"success": false, "error": status, "message": text}`; auth failures say what was wrong."""
    status = error.status_code
    message = error.message
    if message is None:
        message = MESSAGES.get(status, HTTP_STATUS_CODES.get(status, "error").lower())
    return ErrorOut(error=status, message=message).model_dump(), status
