"""One article: GET /articles/<id>, POST /articles/new, PUT /articles/<id>/edit, DELETE /articles/<id>/delete."""

from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from apiary.core.identity import User
from apiary.forum.models import Article
from tests.forum.helpers import (
    ARTICLE_KEYS,
    BAD_BODY,
    TIMESTAMP,
    add_article,
    article_missing,
    article_state,
    error,
    forum_token,
    with_token,
)
from tests.support import MakeUser, bearer, row_count

TITLE_MISSING = error("Article title is missing")
TEXT_MISSING = error("Article text is missing")
NOT_YOURS_TO_EDIT = error("You can edit only own article")
NOT_YOURS_TO_DELETE = error("You can delete only own article")
FALSY = [None, "", 0, False, [], {}]
POSTED = datetime(2020, 2, 2, 0, 17, 49, 735642)


@pytest.fixture
def alice(make_user: MakeUser) -> User:
    return make_user("alice_1")


@pytest.fixture
def bob(make_user: MakeUser) -> User:
    return make_user("bob_2")


@pytest.fixture
def alice_token(client: FlaskClient, alice: User) -> str:
    return forum_token(client, "alice_1")


@pytest.fixture
def bob_token(client: FlaskClient, bob: User) -> str:
    return forum_token(client, "bob_2")


@pytest.fixture
def article(alice: User) -> Article:
    return add_article(alice, "Alice's title", "Alice's text", posted=POSTED)


def full_body(article: Article, author: User, **changes: Any) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "text": article.text,
        "user_id": author.id,
        "date_posted": "2020-02-02T00:17:49.735642",
        "author.username": author.username,
    } | changes


# --- GET /articles/<id> ------------------------------------------------------------------------------------


def test_get_article_is_the_full_article(client: FlaskClient, alice: User, article: Article) -> None:
    response = client.get(f"/articles/{article.id}")

    assert (response.status_code, response.get_json()) == (200, full_body(article, alice))


def test_microseconds_are_always_written(client: FlaskClient, alice: User) -> None:
    article = add_article(alice, posted=datetime(2021, 5, 6, 7, 8, 9))

    assert client.get(f"/articles/{article.id}").get_json()["date_posted"] == "2021-05-06T07:08:09.000000"


def test_an_id_with_leading_zeros_names_the_same_article(client: FlaskClient, article: Article) -> None:
    assert client.get(f"/articles/00{article.id}").get_json()["id"] == article.id


@pytest.mark.parametrize("given", ["999", "abc", "0", "-1", "1.0", "2147483648", "9" * 5000, "%C2%B2", "%20"])
def test_a_missing_article_is_404_naming_the_id_as_given(client: FlaskClient, article: Article, given: str) -> None:
    response = client.get(f"/articles/{given}")

    shown = {"%C2%B2": "²", "%20": " "}.get(given, given)
    assert (response.status_code, response.get_json()) == (404, article_missing(shown))


# --- POST /articles/new -------------------------------------------------------------------------------------


def test_create_article_answers_the_full_article(client: FlaskClient, alice: User, alice_token: str) -> None:
    response = client.post("/articles/new", json=with_token(alice_token, title="Hello", text="World"))

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == ARTICLE_KEYS
    assert (body["title"], body["text"], body["user_id"], body["author.username"]) == (
        "Hello",
        "World",
        alice.id,
        "alice_1",
    )
    assert TIMESTAMP.fullmatch(body["date_posted"])
    assert client.get(f"/articles/{body['id']}").get_json() == body


def test_create_ignores_other_fields(client: FlaskClient, alice: User, alice_token: str) -> None:
    body = with_token(alice_token, title="Hello", text="World", id=77, user_id=999, date_posted="2000-01-01")

    created = client.post("/articles/new", json=body).get_json()

    assert created["id"] != 77
    assert created["user_id"] == alice.id
    assert not created["date_posted"].startswith("2000")


@pytest.mark.parametrize("title", FALSY)
def test_create_without_a_title_is_400(client: FlaskClient, alice_token: str, title: Any) -> None:
    response = client.post("/articles/new", json=with_token(alice_token, title=title, text="World"))

    assert (response.status_code, response.get_json()) == (400, TITLE_MISSING)
    assert row_count(Article) == 0


@pytest.mark.parametrize("text", FALSY)
def test_create_without_a_text_is_400(client: FlaskClient, alice_token: str, text: Any) -> None:
    response = client.post("/articles/new", json=with_token(alice_token, title="Hello", text=text))

    assert (response.status_code, response.get_json()) == (400, TEXT_MISSING)
    assert row_count(Article) == 0


def test_create_reports_the_title_before_the_text(client: FlaskClient, alice_token: str) -> None:
    assert client.post("/articles/new", json=with_token(alice_token)).get_json() == TITLE_MISSING


def test_a_header_token_without_a_body_is_a_400_about_the_body(client: FlaskClient, alice_token: str) -> None:
    response = client.post("/articles/new", headers=bearer(alice_token))

    assert (response.status_code, response.get_json()) == (400, BAD_BODY)


# --- PUT /articles/<id>/edit -------------------------------------------------------------------------------


def test_the_author_edits_title_and_text_and_the_date_stays(
    client: FlaskClient, alice: User, alice_token: str, article: Article
) -> None:
    response = client.put(f"/articles/{article.id}/edit", json=with_token(alice_token, title="New", text="Newer"))

    expected = full_body(article, alice, title="New", text="Newer")
    assert (response.status_code, response.get_json()) == (200, expected)
    assert client.get(f"/articles/{article.id}").get_json() == expected


def test_editing_anothers_article_is_403_and_changes_nothing(
    client: FlaskClient, bob_token: str, article: Article
) -> None:
    before = article_state(article.id)

    response = client.put(f"/articles/{article.id}/edit", json=with_token(bob_token, title="Mine", text="Now"))

    assert (response.status_code, response.get_json()) == (403, NOT_YOURS_TO_EDIT)
    assert article_state(article.id) == before


@pytest.mark.parametrize("given", ["999", "abc"])
def test_editing_a_missing_article_is_404(client: FlaskClient, alice_token: str, given: str) -> None:
    response = client.put(f"/articles/{given}/edit", json=with_token(alice_token, title="T", text="X"))

    assert (response.status_code, response.get_json()) == (404, article_missing(given))


@pytest.mark.parametrize(
    ("fields", "answer"),
    [
        ({}, TITLE_MISSING),
        ({"text": "X"}, TITLE_MISSING),
        ({"title": "T"}, TEXT_MISSING),
        ({"title": "T", "text": ""}, TEXT_MISSING),
    ],
)
def test_an_edit_must_give_both_fields(
    client: FlaskClient, alice_token: str, article: Article, fields: dict[str, Any], answer: dict[str, str]
) -> None:
    before = article_state(article.id)

    response = client.put(f"/articles/{article.id}/edit", json=with_token(alice_token, **fields))

    assert (response.status_code, response.get_json()) == (400, answer)
    assert article_state(article.id) == before


def test_edit_checks_the_article_before_the_fields(client: FlaskClient, bob_token: str, article: Article) -> None:
    """Spec order: token, then 404, then 403, then the title, then the text."""
    assert client.put("/articles/999/edit", json=with_token(bob_token)).get_json() == article_missing(999)
    assert client.put(f"/articles/{article.id}/edit", json=with_token(bob_token)).get_json() == NOT_YOURS_TO_EDIT


def test_an_edit_by_header_token_without_a_body_is_400(client: FlaskClient, alice_token: str, article: Article) -> None:
    response = client.put(f"/articles/{article.id}/edit", headers=bearer(alice_token))

    assert (response.status_code, response.get_json()) == (400, BAD_BODY)


# --- DELETE /articles/<id>/delete ---------------------------------------------------------------------------


def test_the_author_deletes_and_gets_the_article_as_it_was(
    client: FlaskClient, alice: User, alice_token: str, article: Article
) -> None:
    expected = full_body(article, alice)
    article_id = article.id

    response = client.delete(f"/articles/{article_id}/delete", json=with_token(alice_token))

    assert (response.status_code, response.get_json()) == (200, expected)
    assert article_state(article_id) == (0, None)
    assert client.get(f"/articles/{article_id}").get_json() == article_missing(article_id)


def test_a_bearer_header_deletes_too(client: FlaskClient, alice_token: str, article: Article) -> None:
    assert client.delete(f"/articles/{article.id}/delete", headers=bearer(alice_token)).status_code == 200


def test_deleting_anothers_article_is_403_and_changes_nothing(
    client: FlaskClient, bob_token: str, article: Article
) -> None:
    before = article_state(article.id)

    response = client.delete(f"/articles/{article.id}/delete", json=with_token(bob_token))

    assert (response.status_code, response.get_json()) == (403, NOT_YOURS_TO_DELETE)
    assert article_state(article.id) == before


@pytest.mark.parametrize("given", ["999", "abc"])
def test_deleting_a_missing_article_is_404(client: FlaskClient, alice_token: str, article: Article, given: str) -> None:
    before = article_state(article.id)

    response = client.delete(f"/articles/{given}/delete", json=with_token(alice_token))

    assert (response.status_code, response.get_json()) == (404, article_missing(given))
    assert article_state(article.id) == before
