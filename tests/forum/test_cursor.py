"""GET /articles?after=<cursor>: the articles after a cursor, newest first, at one query whatever the depth."""

from datetime import datetime, timedelta

import pytest
from flask.testing import FlaskClient

from tests.forum.helpers import add_articles
from tests.support import MakeUser, counted_statements, follow_cursors


@pytest.fixture
def articles(make_user: MakeUser) -> list[int]:
    """25 articles by two authors, some posted at the same moment (ties are broken by id); newest first."""
    alice, bob = make_user("alice_1"), make_user("bob_2")
    start = datetime(2024, 1, 1, 12, 0, 0, 123456)
    posted = add_articles(alice, 15, start=start, prefix="Alice")
    posted += add_articles(bob, 10, start=start, prefix="Bob")  # the same minutes as Alice's first ten
    return [a.id for a in sorted(posted, key=lambda a: (a.date_posted, a.id), reverse=True)]


def walk(client: FlaskClient) -> tuple[list[int], list[dict]]:
    """Every answer from `?after=` (the first rows) to the last cursor, and the ids they list."""
    answers = follow_cursors(client, "/articles")
    return [a["id"] for answer in answers for a in answer["articles"]], answers


def test_following_the_cursors_lists_every_article_once_newest_first(client: FlaskClient, articles: list[int]) -> None:
    ids, answers = walk(client)

    assert ids == articles
    assert [len(a["articles"]) for a in answers] == [10, 10, 5]
    assert [a["next"] for a in answers] == [True, True, False]
    assert set(answers[0]) == {"articles", "next", "next_cursor"}


def test_a_cursor_answer_lists_what_the_same_page_by_number_does(client: FlaskClient, articles: list[int]) -> None:
    _, answers = walk(client)

    for number, answer in enumerate(answers, start=1):
        by_number = client.get(f"/articles?page={number}").get_json()
        assert by_number == {"articles": answer["articles"], "next": answer["next"]}


def test_a_new_article_does_not_shift_a_walk_in_progress(
    client: FlaskClient, articles: list[int], make_user: MakeUser
) -> None:
    first = client.get("/articles?after=").get_json()
    add_articles(make_user("carol_3"), 1, start=datetime(2030, 1, 1), prefix="Carol")

    second = client.get(f"/articles?after={first['next_cursor']}").get_json()

    assert [a["id"] for a in second["articles"]] == articles[10:20]


def test_a_deep_cursor_costs_one_statement(client: FlaskClient, articles: list[int]) -> None:
    cursor = client.get("/articles?after=").get_json()["next_cursor"]
    cursor = client.get(f"/articles?after={cursor}").get_json()["next_cursor"]

    with counted_statements() as statements:
        response = client.get(f"/articles?after={cursor}")

    assert [a["id"] for a in response.get_json()["articles"]] == articles[20:]
    assert len(statements) == 1


@pytest.mark.parametrize("cursor", ["nonsense!", "bm90IGpzb24", "WzEsMiwzXQ", "WyJhIiwiYiJd", "WzFd", "W3RydWUsMV0"])
def test_a_cursor_it_did_not_make_is_refused(client: FlaskClient, articles: list[int], cursor: str) -> None:
    """Not base64, not JSON, three values, two texts that are no date, one value, a boolean."""
    response = client.get(f"/articles?after={cursor}")

    assert response.status_code == 400
    assert response.get_json() == {"error": "after is not a cursor of this list"}


def test_page_numbers_answer_as_before(client: FlaskClient, articles: list[int]) -> None:
    assert set(client.get("/articles?page=2").get_json()) == {"articles", "next"}


def test_the_dates_in_a_cursor_keep_their_microseconds(client: FlaskClient, make_user: MakeUser) -> None:
    """Two articles a microsecond apart, on either side of a page break."""
    author = make_user("dave_4")
    start = datetime(2024, 5, 5, 5, 5, 5, 5)
    add_articles(author, 10, start=start, prefix="Later")  # the oldest of them at start + 1 minute
    add_articles(author, 1, start=start - timedelta(microseconds=1), prefix="Earlier")

    first = client.get("/articles?after=").get_json()
    second = client.get(f"/articles?after={first['next_cursor']}").get_json()

    assert [a["title"] for a in second["articles"]] == ["Earlier 1"]
