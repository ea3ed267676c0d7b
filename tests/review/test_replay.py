"""How the original was used, replayed on an empty database through HTTP only: mentors and coders sign up,
coders pick mentors and post snippets, a mentor reviews, a coder tidies up; the wrong users are refused.
Some log in at /auth/login, others at forum's /login: one identity, whichever API issued the token."""

from typing import Any

from flask.testing import FlaskClient

from tests.review.helpers import FORBIDDEN, review_state
from tests.support import PASSWORD, bearer


class Session:
    """One person using the front end: signed up, logged in at /auth/login (or at forum's /login), knowing its
    review id."""

    def __init__(self, client: FlaskClient, username: str, usertype: str, *, forum_login: bool = False) -> None:
        self.client = client
        signed_up = client.post("/signup", json={"username": username, "usertype": usertype, "password": PASSWORD})
        assert signed_up.status_code == 200, signed_up.get_json()
        credentials = {"username": username, "password": PASSWORD}
        if forum_login:
            token = client.post("/login", json=credentials).get_json()["access-token"]
        else:
            token = client.post("/auth/login", json=credentials).get_json()["data"]["access_token"]
        self.headers = bearer(token)
        info = client.get(f"/userinfo/{username}", headers=self.headers).get_json()
        assert info["user_id"] == signed_up.get_json()["user_id"]
        self.id: int = info["user_id"]
        self.username = username

    def call(self, method: str, path: str, json: Any = None) -> Any:
        return self.client.open(path, method=method, json=json, headers=self.headers)


def refused(response: Any) -> bool:
    """403 in the envelope, and (checked by the caller) nothing changed."""
    return response.status_code == 403 and response.get_json() == FORBIDDEN


def test_two_mentors_and_three_coders_use_the_api(client: FlaskClient) -> None:
    ada, bob = Session(client, "ada", "mentor"), Session(client, "bob", "Mentor", forum_login=True)
    cat, dan = Session(client, "cat", "coder"), Session(client, "dan", "coder")
    eve = Session(client, "eve", "coder", forum_login=True)
    assert review_state().users == 5
    assert (bob.id, dan.id, eve.id) == (ada.id + 1, cat.id + 1, cat.id + 2)  # two id sequences

    # Coders look at the mentors and pick theirs; nobody picks for someone else.
    mentors = cat.call("GET", "/mentors").get_json()["mentors"]
    assert [(m["username"], m["coders"]) for m in mentors] == [("ada", []), ("bob", [])]
    before = review_state()
    assert refused(dan.call("PATCH", f"/coder/{cat.id}/mentor", {"mentorId": bob.id}))
    assert refused(ada.call("PATCH", f"/coder/{cat.id}/mentor", {"mentorId": ada.id}))
    assert review_state() == before
    for coder, mentor in ((cat, ada), (dan, ada), (eve, bob)):
        assert coder.call("PATCH", f"/coder/{coder.id}/mentor", {"mentorId": mentor.id}).status_code == 200
    available = ada.call("GET", "/coders/available").get_json()["coders"]
    assert available == []

    # They post snippets, some asking for review; nobody posts as someone else.
    for coder, name, needs_review in (
        (cat, "Add a bird", True),
        (cat, "Hello", False),
        (dan, "adasd", True),
        (eve, "FizzBuzz", True),
    ):
        body = {"coderId": coder.id, "name": name, "code": f"# {name}", "needsReview": needs_review}
        assert coder.call("POST", "/snippet", body).status_code == 200
    before = review_state()
    assert refused(dan.call("POST", "/snippet", {"coderId": cat.id, "name": "Mine now", "code": "pass"}))
    assert refused(ada.call("POST", "/snippet", {"coderId": cat.id, "name": "Mentor's", "code": "pass"}))
    assert review_state() == before

    # The mentors list their coders; coders may not list the coders, nor mentors the mentors.
    coders = bob.call("GET", "/coders").get_json()["coders"]
    assert [(c["username"], c["mentor_id"], [s["snippet_name"] for s in c["snippets"]]) for c in coders] == [
        ("cat", ada.id, ["Add a bird", "Hello"]),
        ("dan", ada.id, ["adasd"]),
        ("eve", bob.id, ["FizzBuzz"]),
    ]
    assert ada.call("GET", "/coders").get_json()["coders"] == coders
    before = review_state()
    assert refused(cat.call("GET", "/coders"))
    assert refused(eve.call("GET", "/coders/available"))
    assert refused(ada.call("GET", "/mentors"))
    assert review_state() == before

    # ada looks at what waits for her review.
    ada_info = ada.call("GET", "/userinfo/ada").get_json()
    assert [(c["username"], [s["snippet_name"] for s in c["snippets"]]) for c in ada_info["coders"]] == [
        ("cat", ["Add a bird"]),
        ("dan", ["adasd"]),
    ]
    bird = ada_info["coders"][0]["snippets"][0]
    assert ada.call("GET", f"/snippet/{bird['id']}").get_json() == {**bird, "success": True}

    # She edits its comments (sending it back whole, as the front end does); bob and the coders may not.
    review = {
        "name": bird["snippet_name"],
        "code": bird["code"],
        "needsReview": False,
        "comments": "Nice bird.",
        "usertype": "Mentor",
        "userId": ada.id,
        "coderId": cat.id,
    }
    before = review_state()
    assert refused(bob.call("PATCH", f"/snippet/{bird['id']}", review))
    assert refused(bob.call("PATCH", f"/snippet/{bird['id']}", {**review, "userId": bob.id}))
    assert refused(dan.call("PATCH", f"/snippet/{bird['id']}", {**review, "usertype": "Coder", "userId": dan.id}))
    assert review_state() == before
    assert ada.call("PATCH", f"/snippet/{bird['id']}", review).status_code == 200
    reviewed = cat.call("GET", f"/snippet/{bird['id']}").get_json()
    assert (reviewed["comments"], reviewed["needs_review"]) == ("Nice bird.", False)
    assert ada.call("GET", "/userinfo/ada").get_json()["coders"][0]["snippets"] == []

    # cat deletes one of its snippets; dan cannot delete cat's, whichever coder id he sends.
    hello = next(s for s in cat.call("GET", "/userinfo/cat").get_json()["snippets"] if s["snippet_name"] == "Hello")
    before = review_state()
    assert refused(dan.call("DELETE", f"/snippet/{hello['id']}", {"coderId": cat.id}))
    assert refused(dan.call("DELETE", f"/snippet/{hello['id']}", {"coderId": dan.id}))
    assert refused(ada.call("DELETE", f"/snippet/{hello['id']}", {"coderId": cat.id}))
    assert review_state() == before
    assert cat.call("DELETE", f"/snippet/{hello['id']}", {"coderId": cat.id}).status_code == 200

    # What the mentors page shows at the end.
    final = eve.call("GET", "/mentors").get_json()["mentors"]
    assert [
        (m["username"], [(c["username"], [s["snippet_name"] for s in c["snippets"]]) for c in m["coders"]])
        for m in final
    ] == [
        ("ada", [("cat", ["Add a bird"]), ("dan", ["adasd"])]),
        ("bob", [("eve", ["FizzBuzz"])]),
    ]
