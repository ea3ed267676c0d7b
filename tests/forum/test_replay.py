"""How the original was used (its tests.py, run in order): two users share a forum on an empty database."""

from typing import Any

from flask.testing import FlaskClient

from apiary.core.identity import User
from apiary.forum.models import Article
from tests.forum.helpers import article_state, error, with_token
from tests.support import row_count

ALICE = {"username": "alice_1", "password": "Al1ce-pass"}
BOB = {"username": "bob_the_2nd", "password": "B0b-pass!"}


def post(client: FlaskClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = client.post(path, json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_two_users_write_guard_and_page_through_their_articles(client: FlaskClient) -> None:
    assert row_count(User) == row_count(Article) == 0

    # Both register and log in.
    alice = post(client, "/register", ALICE)
    bob = post(client, "/register", BOB)
    alice_login = post(client, "/login", ALICE)
    bob_login = post(client, "/login", BOB)
    assert (alice_login["user_id"], alice_login["username"]) == (alice["id"], "alice_1")
    alice_token, bob_token = alice_login["access-token"], bob_login["access-token"]
    assert post(client, "/verify-token", with_token(bob_token)) == {"username": "bob_the_2nd", "id": bob["id"]}

    # Each publishes one article, and Alice edits hers.
    mine = post(client, "/articles/new", with_token(alice_token, title="Alice's", text="First words"))
    theirs = post(client, "/articles/new", with_token(bob_token, title="Bob's", text="Bob writes"))
    edited = client.put(f"/articles/{mine['id']}/edit", json=with_token(alice_token, title="Alice's", text="Better"))
    assert edited.status_code == 200
    assert edited.get_json() == mine | {"text": "Better"}

    # Neither may edit or delete the other's article, and nothing changes when they try.
    before = (article_state(mine["id"]), article_state(theirs["id"]))
    for token, article, verb in ((bob_token, mine, "edit"), (alice_token, theirs, "edit")):
        response = client.put(f"/articles/{article['id']}/edit", json=with_token(token, title="Taken", text="over"))
        assert (response.status_code, response.get_json()) == (403, error(f"You can {verb} only own article"))
    for token, article in ((bob_token, mine), (alice_token, theirs)):
        response = client.delete(f"/articles/{article['id']}/delete", json=with_token(token))
        assert (response.status_code, response.get_json()) == (403, error("You can delete only own article"))
    assert (article_state(mine["id"]), article_state(theirs["id"])) == before

    # 28 more, alternating authors: 30 in all, paged newest first until the empty page.
    created = [mine, theirs]
    for n in range(28):
        token = alice_token if n % 2 == 0 else bob_token
        created.append(post(client, "/articles/new", with_token(token, title=f"Article {n}", text=f"Text {n}")))
    seen: list[dict[str, Any]] = []
    page = 1
    while True:
        body = client.get(f"/articles?page={page}").get_json()
        if not body["articles"]:
            assert body["next"] is False
            break
        assert body["next"] is (page < 3)
        seen.extend(body["articles"])
        page += 1
    assert page == 4
    newest_first = sorted(created, key=lambda a: (a["date_posted"], a["id"]), reverse=True)
    assert [a["id"] for a in seen] == [a["id"] for a in newest_first]
    assert seen[-1] == {key: value for key, value in edited.get_json().items() if key != "text"}

    # Both profiles, and each author's own listing.
    assert client.get(f"/users/{alice['id']}").get_json() == alice
    assert client.get(f"/users/{bob['id']}").get_json() == bob
    alices = client.get(f"/users/{alice['id']}/articles?page=2").get_json()
    assert {a["author.username"] for a in alices["articles"]} == {"alice_1"}
    assert (len(alices["articles"]), alices["next"]) == (5, False)  # 15 of the 30 are hers
