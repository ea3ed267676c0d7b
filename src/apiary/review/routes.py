"""Review API routes (spec 001). `GET /` is answered by apiary.shared (Decision 1)."""

from flask_openapi3 import Tag

from apiary.core.auth import Guard, HeaderToken, auth_rate_limit
from apiary.core.errors import BadRequest
from apiary.core.http import Reply
from apiary.core.routing import ApiBlueprint, BodyRule, reads_body, takes_body
from apiary.core.tokens import Principal
from apiary.review import schemas, services

bp = ApiBlueprint(
    "review",
    __name__,
    error_model=schemas.ErrorOut,
    abp_tags=[Tag(name="review", description="Coders post code snippets, mentors review them (spec 001)")],
)
guard = Guard(
    source=HeaderToken(scheme="Bearer"),
    refusals=schemas.REFUSALS,
    default=schemas.OTHER_REFUSAL,
    accept_external=True,
)
SNIPPET_AUTHOR = BodyRule(schemas.SnippetAuthor, invalid=BadRequest)
SNIPPET_CONTENT = BodyRule(schemas.SnippetIn, invalid=BadRequest)


@bp.post("/signup", responses={200: schemas.SignedUp, 409: schemas.ErrorOut})
@auth_rate_limit
@takes_body(schemas.Signup, invalid=BadRequest)
def signup(data: schemas.Signup) -> Reply:
    """Sign up as a coder or a mentor; log in at /auth/login afterwards."""
    _, profile = services.sign_up(username=data.username, password=data.password, email=data.email, role=data.usertype)
    return schemas.SignedUp(user_id=profile.id).model_dump()


@bp.get("/userinfo/<username>", responses={200: schemas.MemberInfo})
@guard.permission("get:userinfo")
def userinfo(path: schemas.UserinfoPath) -> Reply:
    """A coder with its snippets, or a mentor with its coders' snippets to review (permission get:userinfo)."""
    return schemas.member_info(services.find_member(username=path.username))


@bp.get("/coders", responses={200: schemas.CoderList})
@guard.permission("get:coders")
def list_coders() -> Reply:
    """Every coder and its snippets (permission get:coders)."""
    return schemas.coder_list(services.list_coders())


@bp.get("/coders/available", responses={200: schemas.CoderList})
@guard.permission("get:coders")
def available_coders() -> Reply:
    """The coders without a mentor (permission get:coders)."""
    return schemas.coder_list(services.list_coders(available_only=True))


@bp.patch("/coder/<id:coder_id>/mentor", responses={200: schemas.Done})
@guard.permission("add:mentor")
@takes_body(schemas.MentorChoice, invalid=BadRequest)
def choose_mentor(path: schemas.CoderPath, principal: Principal, data: schemas.MentorChoice) -> Reply:
    """Choose the caller's mentor; the caller must be the coder (permission add:mentor)."""
    mentor = services.get_mentor(mentor_id=data.mentor_id)
    coder = services.get_owned_coder(coder_id=path.coder_id, actor=principal.user)
    changed = services.choose_mentor(coder=coder, mentor=mentor)
    return schemas.done(schemas.MENTOR_CHOSEN if changed else schemas.MENTOR_KEPT)


@bp.get("/mentors", responses={200: schemas.MentorList})
@guard.permission("get:mentors")
def list_mentors() -> Reply:
    """Every mentor, its coders and their snippets (permission get:mentors)."""
    return schemas.mentor_list(services.list_mentors())


@bp.patch("/mentor/<id:mentor_id>/coder", responses={200: schemas.Done})
@guard.permission("add:coder")
@takes_body(schemas.CoderChoice, invalid=BadRequest)
def add_coder(path: schemas.MentorPath, principal: Principal, data: schemas.CoderChoice) -> Reply:
    """Take a coder into the caller's care; the caller must be the mentor (permission add:coder)."""
    coder = services.get_coder(coder_id=data.coder_id)
    mentor = services.get_owned_mentor(mentor_id=path.mentor_id, actor=principal.user)
    services.choose_mentor(coder=coder, mentor=mentor)
    return schemas.done(schemas.CODER_ADDED)


@bp.get("/snippet/<id:snippet_id>", responses={200: schemas.SnippetDetail})
@guard.permission("edit:snippet")
def get_snippet(path: schemas.SnippetPath) -> Reply:
    """One snippet (permission edit:snippet, as in the original)."""
    return schemas.snippet_detail(services.get_snippet(snippet_id=path.snippet_id))


@bp.post("/snippet", responses={200: schemas.Done, 404: schemas.ErrorOut})
@guard.permission("post:snippet")
@reads_body(SNIPPET_AUTHOR, SNIPPET_CONTENT, documented_as=schemas.SnippetCreate)
def create_snippet(principal: Principal) -> Reply:
    """Save a new snippet of the caller's; the caller must be the coder named (permission post:snippet)."""
    # The coder is looked up before the content is checked: a missing coder is 404 even when both are wrong.
    author = SNIPPET_AUTHOR.parse()
    coder = services.get_owned_coder(coder_id=author.coder_id, actor=principal.user)
    services.create_snippet(coder=coder, content=SNIPPET_CONTENT.parse().content())
    return schemas.done(schemas.SNIPPET_SAVED)


@bp.patch("/snippet/<id:snippet_id>", responses={200: schemas.Done})
@guard.permission("edit:snippet")
@takes_body(schemas.SnippetEdit, invalid=BadRequest)
def edit_snippet(path: schemas.SnippetPath, principal: Principal, data: schemas.SnippetEdit) -> Reply:
    """Replace a snippet's content, as its coder or its coder's mentor (permission edit:snippet)."""
    services.edit_snippet(snippet_id=path.snippet_id, actor=principal.user, claim=data.claim(), content=data.content())
    return schemas.done(schemas.SNIPPET_UPDATED)


@bp.delete("/snippet/<id:snippet_id>", responses={200: schemas.Done})
@guard.permission("delete:snippet")
@takes_body(schemas.SnippetDeletion, invalid=BadRequest)
def delete_snippet(path: schemas.SnippetPath, principal: Principal, data: schemas.SnippetDeletion) -> Reply:
    """Delete one of the caller's snippets (permission delete:snippet)."""
    services.delete_snippet(snippet_id=path.snippet_id, actor=principal.user, coder_id=data.coder_id)
    return schemas.done(schemas.SNIPPET_DELETED)
