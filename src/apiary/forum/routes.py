"""Forum API routes (spec 002)."""

from flask_openapi3 import Tag

from apiary.core.auth import BodyToken, FirstOf, Guard, HeaderToken, auth_rate_limit
from apiary.core.http import Reply
from apiary.core.identity import User
from apiary.core.routing import ApiBlueprint, BodyRule, reads_body, takes_body
from apiary.forum import schemas, services

bp = ApiBlueprint(
    "forum",
    __name__,
    error_model=schemas.ErrorOut,
    abp_tags=[Tag(name="forum", description="Users and the articles only their author may change (spec 002)")],
)
# The original read the token from the body alone; an Authorization header is accepted as well.
guard = Guard(
    source=FirstOf((BodyToken("access-token"), HeaderToken(scheme="Bearer"))),
    refusals=schemas.REFUSALS,
    default=schemas.INVALID_TOKEN,
)
ARTICLE_CONTENT = BodyRule(schemas.ArticleContent)


@bp.post("/register", responses={200: schemas.UserOut, 409: schemas.ErrorOut})
@auth_rate_limit
@takes_body(schemas.Registration)
def register(data: schemas.Registration) -> Reply:
    """Register a user whose username and password follow the forum's formats."""
    return schemas.user_out(services.register(username=data.username, password=data.password))


@bp.post("/login", responses={200: schemas.LoginOut, 401: schemas.ErrorOut})
@auth_rate_limit
@takes_body(schemas.Credentials)
def login(data: schemas.Credentials) -> Reply:
    """Log in by username for a long-lived access token."""
    user, token = services.login(username=data.username, password=data.password)
    return schemas.login_out(user, token)


@bp.post("/verify-token", responses={200: schemas.VerifiedOut})
@guard.required()
def verify_token(user: User) -> Reply:
    """Who the access token belongs to."""
    return schemas.verified_out(user)


@bp.get("/articles", responses={200: schemas.ArticleListAnswer, 400: schemas.ErrorOut})
def list_articles(query: schemas.ListQuery) -> Reply:
    """One page of every article, ten per page, newest first (by number, or after a cursor)."""
    if query.after is not None:
        return schemas.article_cursor_page(services.list_articles_after(after=query.after))
    return schemas.article_page(*services.list_articles(page=query.page))


@bp.get("/articles/<article_id>", responses={200: schemas.ArticleOut})
def get_article(path: schemas.ArticlePath) -> Reply:
    """One article with its text."""
    return schemas.article_out(services.get_article(article_id=path.article_id))


@bp.post("/articles/new", responses={200: schemas.ArticleOut})
@guard.required()
@takes_body(schemas.ArticleContent)
def create_article(user: User, data: schemas.ArticleContent) -> Reply:
    """Publish an article as the token's user."""
    return schemas.article_out(services.create_article(author=user, title=data.title, text=data.text))


@bp.put("/articles/<article_id>/edit", responses={200: schemas.ArticleOut, 403: schemas.ErrorOut})
@guard.required()
@reads_body(ARTICLE_CONTENT)
def edit_article(path: schemas.ArticlePath, user: User) -> Reply:
    """Replace the title and text of one of the token user's articles."""
    article = services.get_owned_article(article_id=path.article_id, actor=user, action=services.Action.EDIT)
    # Spec order: the article is found and owned before its new fields are checked.
    data = ARTICLE_CONTENT.parse()
    return schemas.article_out(services.edit_article(article=article, title=data.title, text=data.text))


@bp.delete("/articles/<article_id>/delete", responses={200: schemas.ArticleOut, 403: schemas.ErrorOut})
@guard.required()
def delete_article(path: schemas.ArticlePath, user: User) -> Reply:
    """Delete one of the token user's articles; the reply is the article as it was."""
    article = services.get_owned_article(article_id=path.article_id, actor=user, action=services.Action.DELETE)
    return schemas.article_out(services.delete_article(article=article))


@bp.get("/users/<user_id>", responses={200: schemas.UserOut})
def get_user(path: schemas.UserPath) -> Reply:
    """A user's forum profile."""
    return schemas.user_out(services.get_user(user_id=path.user_id))


@bp.get("/users/<user_id>/articles", responses={200: schemas.ArticlePage})
def user_articles(path: schemas.UserPath, query: schemas.PageQuery) -> Reply:
    """One page of a user's articles, ten per page, newest first."""
    return schemas.article_page(*services.list_user_articles(user_id=path.user_id, page=query.page))
