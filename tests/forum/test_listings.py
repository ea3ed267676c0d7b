"""GET /articles and GET /users/<id>/articles: ten per page, newest first, `next`, and two SQL statements."""

from datetime import datetime, timedelta
from typing import Any, NamedTuple

import pytest
from flask.testing import FlaskClient

from apiary.core.identity import User
from apiary.forum.models import Article
from tests.forum.helpers import SUMMARY_KEYS, add_article, add_articles, user_missing
from tests.support import MakeUser, counted_statements

START = datetime(2024, 1, 1, 12, 0, 0, 123456)


class Forum(NamedTuple):
    alice: User
    bob: User
    alice_articles: list[Article]  # oldest first
    bob_articles: list[Article]


@pytest.fixture
def forum(make_user: MakeUser) -> Forum:
    """25 articles, interleaved in time: Alice's 15 a minute apart, Bob's 10 half a minute after each of hers."""
    alice, bob = make_user("alice_1"), make_user("bob_2")
    return Forum(
        alice,
        bob,
        add_articles(alice, 15, start=START, prefix="Alice"),
        add_articles(bob, 10, start=START + timedelta(seconds=30), prefix="Bob"),
    )


def newest_first(articles: list[Article]) -> list[int]:
    return [a.id for a in sorted(articles, key=lambda a: (a.date_posted, a.id), reverse=True)]


def page_ids(body: dict[str, Any]) -> list[int]:
    return [a["id"] for a in body["articles"]]


LISTINGS = ["/articles", "/users/{alice}/articles"]


def everything(forum: Forum, listing: str) -> list[int]:
    """Every article the listing holds, in the order it pages them."""
    return newest_first(forum.alice_articles + (forum.bob_articles if listing == "/articles" else []))


def url(listing: str, forum: Forum, query: str = "") -> str:
    return listing.format(alice=forum.alice.id) + query


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("page", [1, 2, 3])
def test_pages_are_ten_articles_newest_first(client: FlaskClient, forum: Forum, listing: str, page: int) -> None:
    ids = everything(forum, listing)

    response = client.get(url(listing, forum, f"?page={page}"))

    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"articles", "next"}
    assert page_ids(body) == ids[(page - 1) * 10 : page * 10]
    assert body["next"] is (page * 10 < len(ids))


def test_the_whole_listing_interleaves_authors_by_date(client: FlaskClient, forum: Forum) -> None:
    titles = [a["title"] for a in client.get("/articles").get_json()["articles"]]

    assert titles[:8] == ["Alice 15", "Alice 14", "Alice 13", "Alice 12", "Alice 11", "Bob 10", "Alice 10", "Bob 9"]


def test_a_list_item_is_the_article_without_its_text(client: FlaskClient, forum: Forum) -> None:
    item = client.get("/articles").get_json()["articles"][0]
    newest = forum.alice_articles[-1]

    assert item == {
        "id": newest.id,
        "title": "Alice 15",
        "user_id": forum.alice.id,
        "date_posted": "2024-01-01T12:15:00.123456",
        "author.username": "alice_1",
    }
    assert set(item) == SUMMARY_KEYS


def test_ties_in_date_are_broken_by_id_newest_first(client: FlaskClient, make_user: MakeUser) -> None:
    alice = make_user("alice_1")
    same_moment = [add_article(alice, f"Tie {n}", posted=START) for n in range(3)]

    assert page_ids(client.get("/articles").get_json()) == [a.id for a in reversed(same_moment)]


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("query", ["", "?page=", "?page=abc", "?page=1.5", "?page=0", "?page=-3", "?other=2"])
def test_a_missing_bad_or_low_page_is_page_one(client: FlaskClient, forum: Forum, listing: str, query: str) -> None:
    body = client.get(url(listing, forum, query)).get_json()

    assert page_ids(body) == everything(forum, listing)[:10]
    assert body["next"] is True


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("page", [4, 99, 10**30])
def test_a_page_past_the_end_is_empty_with_no_next(client: FlaskClient, forum: Forum, listing: str, page: int) -> None:
    response = client.get(url(listing, forum, f"?page={page}"))

    assert (response.status_code, response.get_json()) == (200, {"articles": [], "next": False})


def test_the_last_full_page_has_no_next(client: FlaskClient, make_user: MakeUser) -> None:
    add_articles(make_user("alice_1"), 20, start=START)

    assert client.get("/articles?page=2").get_json()["next"] is False
    assert client.get("/articles?page=1").get_json()["next"] is True


def test_an_empty_forum_has_an_empty_first_page(client: FlaskClient) -> None:
    assert client.get("/articles").get_json() == {"articles": [], "next": False}


def test_a_user_without_articles_has_an_empty_listing(client: FlaskClient, forum: Forum, make_user: MakeUser) -> None:
    carol = make_user("carol_3")

    assert client.get(f"/users/{carol.id}/articles").get_json() == {"articles": [], "next": False}


def test_bobs_listing_holds_only_his_articles(client: FlaskClient, forum: Forum) -> None:
    body = client.get(f"/users/{forum.bob.id}/articles").get_json()

    assert page_ids(body) == newest_first(forum.bob_articles)
    assert {a["author.username"] for a in body["articles"]} == {"bob_2"}
    assert body["next"] is False


@pytest.mark.parametrize("given", ["999", "abc", "0", "1e3"])
def test_the_articles_of_a_missing_user_are_404(client: FlaskClient, forum: Forum, given: str) -> None:
    response = client.get(f"/users/{given}/articles")

    assert (response.status_code, response.get_json()) == (404, user_missing(given))


# --- SQL statements per page -----------------------------------------------------------------------------


@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("query", ["", "?page=2", "?page=99"])
def test_a_page_costs_at_most_two_statements(client: FlaskClient, forum: Forum, listing: str, query: str) -> None:
    path = url(listing, forum, query)

    with counted_statements() as statements:
        response = client.get(path)

    assert response.status_code == 200
    assert len(statements) <= 2, statements


@pytest.mark.parametrize("listing", LISTINGS)
def test_the_statement_count_does_not_grow_with_authors_or_articles(
    client: FlaskClient, make_user: MakeUser, listing: str
) -> None:
    authors = [make_user(f"author_{n}") for n in range(12)]
    add_article(authors[0], posted=START)
    path = listing.format(alice=authors[0].id)
    with counted_statements() as few:
        assert len(client.get(path).get_json()["articles"]) == 1
    for n, author in enumerate(authors):
        add_articles(author, 2, start=START + timedelta(hours=n), prefix=f"By {n}")

    with counted_statements() as many:
        articles = client.get(path).get_json()["articles"]

    if listing == "/articles":
        assert (len(articles), len({a["user_id"] for a in articles})) == (10, 5)
    else:
        assert len(articles) == 3
    assert len(many) == len(few) <= 2
