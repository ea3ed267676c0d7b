"""Requests that race each other on a real gunicorn (two workers, four threads each): concurrent edits of one
record lose nothing silently, and two registrations of one name are one success and one conflict, never a
500 (issue 12).

Registrations race on SQLite and, when TEST_DATABASE_URL is set, on a PostgreSQL database of the module's
own. Even with cheap argon2 parameters both pass the uniqueness check before either commits (with commit's
conflict handling taken out, every round answers 500), so the race really happens. Edits race on PostgreSQL
only: row locks make them safe, and SQLite has none. Without those locks, these tests saw a renewed old hash
overwrite a new password, a deadlock (503) between a deletion and a password change, and two item edits each
answered as if the other had not happened.
"""

from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pytest
import requests

from apiary.core.extensions import db
from apiary.core.users import create_user
from tests.serving.races import REGISTRATIONS, at_once
from tests.serving.servers import Servers
from tests.support import (
    BACKENDS,
    PASSWORD,
    TEST_DATABASE_URL,
    bearer,
    make_app,
    own_token,
    temporary_postgres_database,
)

ROUNDS = 3
NEW_PASSWORD = "n3w-Secret-Pass"
NEEDS_ROW_LOCKS = "needs TEST_DATABASE_URL: row locks keep these edits safe, and SQLite has none"
ROW_LOCKING = [pytest.param("postgresql", marks=pytest.mark.skipif(not TEST_DATABASE_URL, reason=NEEDS_ROW_LOCKS))]


@dataclass
class Server:
    url: str
    database_url: str

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.post(f"{self.url}{path}", timeout=30, **kwargs)

    def put(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.put(f"{self.url}{path}", timeout=30, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return requests.delete(f"{self.url}{path}", timeout=30, **kwargs)

    def refuses(self, token: str) -> bool:
        return requests.get(f"{self.url}/account", headers=bearer(token), timeout=30).status_code == 401

    def login(self, name: str, password: str) -> requests.Response:
        return self.post("/auth/login", json={"username": name, "password": password})

    def new_user(self, name: str, *, tokens: int = 1) -> list[str]:
        """Access tokens of a new user whose password hash has the test configuration's argon2 parameters,
        not the server's, so that the server renews it at the next login (a read-modify-write of the row)."""
        with make_app(database_url=self.database_url).app_context():
            user = create_user(username=name, email=None, password=PASSWORD)
            db.session.commit()
            issued = [own_token(user) for _ in range(tokens)]
            db.engine.dispose()
        return issued


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server on the backend the test asks for (request.param), with a database of its own."""
    folder: Path = tmp_path_factory.mktemp(f"races-{request.param}")
    with temporary_postgres_database() if request.param == "postgresql" else nullcontext() as postgres_url:
        database_url = postgres_url or f"sqlite:///{folder / 'apiary.db'}"
        with make_app(database_url=database_url).app_context():
            db.create_all()
            db.engine.dispose()
        servers = Servers(folder)
        # Cheap argon2 parameters, other than the test configuration's (see Server.new_user).
        settings = {"DATABASE_URL": database_url, "WEB_CONCURRENCY": "2", "ARGON2_MEMORY_KIB": "16"}
        try:
            yield Server(servers.start(**settings), database_url)
        finally:
            servers.stop()


_names = iter(range(1_000_000))


def _new_name(stem: str) -> str:
    return f"{stem}{next(_names):06d}"


@pytest.mark.parametrize("server", BACKENDS, indirect=True)
@pytest.mark.parametrize("api", REGISTRATIONS)
def test_two_registrations_of_one_name_at_once_are_one_success_and_one_conflict(server: Server, api: str) -> None:
    registration = REGISTRATIONS[api]
    for _ in range(ROUNDS):
        name = _new_name(f"race{api[:2]}")

        answers = at_once(registration.send(server.url, name), registration.send(server.url, name))

        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == sorted([registration.created, registration.taken]), [a.text for a in answers]
        (taken,) = [answer for answer in answers if answer.status_code == registration.taken]
        assert taken.json() == registration.taken_body


@pytest.mark.parametrize("server", ROW_LOCKING, indirect=True)
def test_a_password_change_racing_logins_with_the_old_password_leaves_only_the_new_one(server: Server) -> None:
    for _ in range(ROUNDS):
        name = _new_name("renew")
        (token,) = server.new_user(name)

        change, *logins = at_once(
            partial(server.put, "/account", json={"password": NEW_PASSWORD}, headers=bearer(token)),
            *[partial(server.login, name, PASSWORD)] * 4,
        )

        assert change.status_code == 200
        assert {login.status_code for login in logins} <= {200, 401}
        assert server.login(name, NEW_PASSWORD).status_code == 200, "a renewed old hash overwrote the new password"
        assert server.login(name, PASSWORD).status_code == 401
        assert all(server.refuses(token) for token in _issued(logins)), "a login with the old password outlived it"


@pytest.mark.parametrize("server", ROW_LOCKING, indirect=True)
def test_an_account_deleted_while_it_changes_password_and_logs_in_is_never_a_500_and_keeps_no_token(
    server: Server,
) -> None:
    for _ in range(ROUNDS):
        name = _new_name("gone")
        deleter, changer = server.new_user(name, tokens=2)

        deletion, change, *logins = at_once(
            partial(server.delete, "/account", headers=bearer(deleter)),
            partial(server.put, "/account", json={"password": NEW_PASSWORD}, headers=bearer(changer)),
            *[partial(server.login, name, PASSWORD)] * 2,
        )

        assert {login.status_code for login in logins} <= {200, 401}
        if deletion.status_code == 401:  # the password change went first and revoked the deleter's token
            assert change.status_code == 200
            continue
        assert deletion.status_code == 201
        # 401: the deletion revoked the changer's token first; 404: it deleted the account while the change
        # waited for the row
        assert change.status_code in {200, 401, 404}, change.text
        assert all(server.refuses(token) for token in [deleter, changer, *_issued(logins)])
        assert server.login(name, PASSWORD).status_code == server.login(name, NEW_PASSWORD).status_code == 401


@pytest.mark.parametrize("server", ROW_LOCKING, indirect=True)
def test_two_edits_of_one_item_at_once_both_stay_and_the_later_answer_shows_both(server: Server) -> None:
    (token,) = server.new_user(_new_name("items"))
    bucketlist = server.post("/bucketlists/", json={"name": "Races"}, headers=bearer(token)).json()
    for _ in range(ROUNDS):
        item = server.post(f"/bucketlists/{bucketlist['id']}/items/", json={"name": "before"}, headers=bearer(token))
        path = f"/bucketlists/{bucketlist['id']}/items/{item.json()['id']}"

        answers = at_once(
            partial(server.put, path, json={"name": "after"}, headers=bearer(token)),
            partial(server.put, path, json={"done": True}, headers=bearer(token)),
        )

        shown = [(answer.json()["name"], answer.json()["done"]) for answer in answers]
        stored = requests.get(f"{server.url}{path}", headers=bearer(token), timeout=30).json()
        assert (stored["name"], stored["done"]) == ("after", True)
        assert ("after", True) in shown, f"each edit answered as if the other had not happened: {shown}"


def _issued(logins: list[requests.Response]) -> list[str]:
    """The access tokens the successful ones of these logins issued."""
    return [login.json()["data"]["access_token"] for login in logins if login.status_code == 200]
