"""Small helpers shared by the forum API tests: its texts, users, tokens and articles."""

import re
from datetime import datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy as sa
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from apiary.core.db import utcnow
from apiary.core.extensions import db
from apiary.core.identity import User
from apiary.forum.models import Article
from tests.support import PASSWORD, row_count

TOKEN_MISSING = {"error": "Access-token is missing. Log in, please"}
INVALID_TOKEN = {"error": "Invalid access-token. Log in please"}
BAD_BODY = {"error": "Bad request: the body must be a JSON object"}
NOT_FOUND = {"error": "Not Found"}

USER_KEYS = {"id", "username", "date_registered"}
SUMMARY_KEYS = {"id", "title", "user_id", "date_posted", "author.username"}
ARTICLE_KEYS = SUMMARY_KEYS | {"text"}
# ISO 8601 without a time zone, with microseconds.
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}")


def error(text: str) -> dict[str, str]:
    return {"error": text}


def article_missing(article_id: object) -> dict[str, str]:
    return error(f"Article with id={article_id} was not found")


def user_missing(user_id: object) -> dict[str, str]:
    return error(f"User with id={user_id} was not found")


def register(client: FlaskClient, username: str, password: str = PASSWORD) -> TestResponse:
    return client.post("/register", json={"username": username, "password": password})


def login(client: FlaskClient, username: str, password: str = PASSWORD) -> TestResponse:
    return client.post("/login", json={"username": username, "password": password})


def forum_token(client: FlaskClient, username: str, password: str = PASSWORD) -> str:
    """The access token of a successful forum login."""
    response = login(client, username, password)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["access-token"]


def with_token(token: str, **fields: Any) -> dict[str, Any]:
    """A JSON body carrying the token the forum's way, with other fields."""
    return {"access-token": token, **fields}


def add_article(
    author: User, title: str = "A title", text: str = "A text", *, posted: datetime | None = None
) -> Article:
    article = Article(title=title, text=text, author=author, date_posted=posted or utcnow())
    db.session.add(article)
    db.session.commit()
    return article


def add_articles(author: User, count: int, *, start: datetime, prefix: str = "Article") -> list[Article]:
    """`count` articles one minute apart from `start`, oldest first, titled "<prefix> 1".."<prefix> count"."""
    articles = [
        Article(title=f"{prefix} {n}", text=f"Text {n}", author=author, date_posted=start + timedelta(minutes=n))
        for n in range(1, count + 1)
    ]
    db.session.add_all(articles)
    db.session.commit()
    return articles


class ArticleState(NamedTuple):
    """What a write can change: how many articles there are, and one article's stored fields."""

    count: int
    row: tuple[Any, ...] | None


def article_state(article_id: int) -> ArticleState:
    db.session.expire_all()
    row = db.session.execute(
        sa.select(Article.title, Article.text, Article.date_posted, Article.user_id).where(Article.id == article_id)
    ).one_or_none()
    return ArticleState(row_count(Article), tuple(row) if row is not None else None)
