"""Forum use cases: registration and login, and articles that only their author may change."""

from collections.abc import Iterator, Sequence
from datetime import timedelta
from enum import StrEnum
from typing import Any, TypeVar

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.orm.interfaces import ORMOption

from apiary.core.config import current_settings
from apiary.core.db import MAX_INTEGER, utcnow
from apiary.core.errors import ApiError, NotFound
from apiary.core.extensions import db
from apiary.core.identity import TokenType, User
from apiary.core.pagination import CursorPage, paginate, paginate_after, window
from apiary.core.passwords import passwords
from apiary.core.tokens import issue_token
from apiary.core.transactions import commit, insert_in_batches
from apiary.core.users import authenticate, create_user, taken_field
from apiary.forum.models import Article

PER_PAGE = 10
NEWEST_FIRST = (Article.date_posted.desc(), Article.id.desc())
# A listing shows everything but the text, and of the author only the username.
LISTED = (
    so.load_only(Article.title, Article.user_id, Article.date_posted),
    so.joinedload(Article.author).load_only(User.username),
)

DEMO_ARTICLES = [
    ("Hello, forum", "The first article of the demo forum."),
    ("On bees", "An apiary holds many hives, and every hive many bees."),
    ("Flask tips", "Keep routes short: parse, call the service, shape the reply."),
]
GENERATED_TITLE = "Generated article"
# Past the largest user id, so a generated username is new; forum usernames allow the hyphen.
GENERATED_AUTHOR = "author-"

Row = TypeVar("Row", User, Article)


class Action(StrEnum):
    """What an author alone may do to an article, as the refusal names it."""

    EDIT = "edit"
    DELETE = "delete"


class UsernameTaken(ApiError):
    message = "User with such username already exists"


class BadCredentials(ApiError):
    """An unknown username or a wrong password: the same answer, so neither gives the other away."""

    message = "Uncorrect username or/and password"


class ArticleNotFound(ApiError):
    """No article has the id, which the answer repeats as the client wrote it."""

    def __init__(self, given: str) -> None:
        super().__init__(f"Article with id={given} was not found")


class UserNotFound(ApiError):
    """No user has the id, which the answer repeats as the client wrote it."""

    def __init__(self, given: str) -> None:
        super().__init__(f"User with id={given} was not found")


class NotYourArticle(ApiError):
    def __init__(self, action: Action) -> None:
        super().__init__(f"You can {action} only own article")


def register(*, username: str, password: str) -> User:
    """A new user, who can log in here and on every other API; UsernameTaken if another has the name."""
    if taken_field(username=username, email=None):
        raise UsernameTaken()
    user = create_user(username=username, email=None, password=password)
    commit(on_conflict=UsernameTaken())
    return user


def login(*, username: str, password: str) -> tuple[User, str]:
    """The user and a long-lived access token (the original's never expired) for valid credentials."""
    user = authenticate(field="username", login=username, password=password)
    if user is None:
        raise BadCredentials()
    token = issue_token(user, TokenType.ACCESS, current_settings().forum_token_lifetime)
    commit()
    return user, token


def get_user(*, user_id: str) -> User:
    """A user's profile, by the id as written in the URL; UserNotFound if there is none."""
    user = _get(User, user_id)
    if user is None:
        raise UserNotFound(user_id)
    return user


def list_articles(*, page: int) -> tuple[list[Article], bool]:
    """One page of every article, newest first, with their authors; and whether a later page has any."""
    stmt = sa.select(Article).options(*LISTED).order_by(*NEWEST_FIRST)
    return window(stmt, page=page, per_page=PER_PAGE, key=Article.id)


def list_articles_after(*, after: str) -> CursorPage[Article]:
    """The articles after a cursor, newest first, with their authors."""
    stmt = sa.select(Article).options(*LISTED)
    return paginate_after(stmt, keys=(Article.date_posted, Article.id), descending=True, after=after, per_page=PER_PAGE)


def list_user_articles(*, user_id: str, page: int) -> tuple[list[Article], bool]:
    """One page of a user's articles, newest first, and whether a later page has any; UserNotFound if there
    is no such user."""
    row_id = _row_id(user_id)
    article_count = sa.select(sa.func.count(Article.id)).where(Article.user_id == User.id).scalar_subquery()
    row = db.session.execute(sa.select(User, article_count).where(User.id == row_id)).one_or_none()
    if row is None:
        raise UserNotFound(user_id)
    # The author is already in the session, so serialising the articles costs no further query.
    stmt = sa.select(Article).options(LISTED[0]).where(Article.user_id == row_id).order_by(*NEWEST_FIRST)
    listed = paginate(stmt, page=page, per_page=PER_PAGE, total=row[1], key=Article.id)
    return listed.items, listed.has_next


def get_article(*, article_id: str) -> Article:
    """An article with its author, by the id as written in the URL; ArticleNotFound if there is none."""
    article = _get(Article, article_id, so.joinedload(Article.author))
    if article is None:
        raise ArticleNotFound(article_id)
    return article


def get_owned_article(*, article_id: str, actor: User, action: Action) -> Article:
    """The article `actor` wants to `action`: ArticleNotFound, then NotYourArticle unless they wrote it."""
    article = get_article(article_id=article_id)
    if article.user_id != actor.id:
        raise NotYourArticle(action)
    return article


def create_article(*, author: User, title: str, text: str) -> Article:
    """A new article by `author`, posted now."""
    article = Article(title=title, text=text, author=author)
    db.session.add(article)
    commit()
    return article


def edit_article(*, article: Article, title: str, text: str) -> Article:
    """Replace an owned article's title and text; its date stays the one it was posted on."""
    article.title = title
    article.text = text
    commit()
    return article


def delete_article(*, article: Article) -> Article:
    """Delete an owned article; the returned object keeps its fields for the reply."""
    db.session.delete(article)
    commit()
    return article


def seed_articles(*, usernames: Sequence[str]) -> int:
    """Give each of these users the demo articles they lack (by title); how many were added."""
    added = 0
    for author in _users_named(usernames):
        titles = set(db.session.scalars(sa.select(Article.title).where(Article.user_id == author.id)))
        for title, text in DEMO_ARTICLES:
            if title not in titles:
                db.session.add(Article(title=title, text=text, author=author))
                added += 1
    commit()
    return added


def generate_authors(count: int, *, password: str) -> list[str]:
    """Add `count` generated users (all with `password`, hashed once) and return their usernames."""
    start = db.session.scalar(sa.select(sa.func.max(User.id))) or 0
    usernames = [f"{GENERATED_AUTHOR}{start + n + 1}" for n in range(count)]
    password_hash = passwords().hash(password)
    registered = utcnow()

    def author(n: int) -> dict[str, Any]:
        return {"username": usernames[n], "password_hash": password_hash, "date_registered": registered}

    sum(insert_in_batches(User, count, author))
    return usernames


def generate_articles(
    count: int, *, usernames: Sequence[str], span: timedelta = timedelta(days=365), batch_size: int = 5000
) -> Iterator[int]:
    """Add `count` articles by these users in batches, one commit each, yielding each batch's size.

    The authors take turns and the dates are spread evenly over the `span` before now (later rows are
    newer), so listings page through many authors and dates.
    """
    author_ids = [author.id for author in _users_named(usernames)]
    if not author_ids:
        raise NotFound("no author to write articles: seed the demo users first")
    newest = utcnow()
    step = span / max(count, 1)
    return insert_in_batches(
        Article,
        count,
        lambda n: {
            "title": f"{GENERATED_TITLE} {n + 1}",
            "text": "Made by apiary seed-demo --articles",
            "date_posted": newest - step * (count - n),
            "user_id": author_ids[n % len(author_ids)],
        },
        batch_size=batch_size,
    )


def _users_named(usernames: Sequence[str]) -> list[User]:
    return list(db.session.scalars(sa.select(User).where(User.username.in_(usernames)).order_by(User.id)))


def _get(model: type[Row], given: str, *options: ORMOption) -> Row | None:
    return db.session.get(model, _row_id(given), options=options)


def _row_id(given: str) -> int:
    """The row id a URL segment names: digits only ("007" is 7). Anything else, or a number too large for
    an INTEGER column, is 0: an id no row has (as core's `<id:...>` converter does)."""
    # Checking the length first keeps int() away from huge numbers (Python refuses over 4300 digits).
    if not (given.isascii() and given.isdigit()) or len(given.lstrip("0")) > len(str(MAX_INTEGER)):
        return 0
    number = int(given)
    return number if number <= MAX_INTEGER else 0
