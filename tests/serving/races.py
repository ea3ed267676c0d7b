"""Requests sent at the same moment, and what each API answers to two registrations of one name."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

from apiary.review.schemas import MESSAGES as REVIEW_MESSAGES
from tests.support import PASSWORD

Send = Callable[[], requests.Response]


def at_once(*sends: Send) -> list[requests.Response]:
    """The answers to `sends`, each from its own thread, all released together by a barrier."""
    barrier = threading.Barrier(len(sends))

    def send(call: Send) -> requests.Response:
        barrier.wait(timeout=10)
        return call()

    with ThreadPoolExecutor(len(sends)) as pool:
        return list(pool.map(send, sends))


@dataclass(frozen=True)
class Registration:
    """One API's registration: its path, its body for a name, and its documented answers."""

    path: str
    body: Callable[[str], dict[str, Any]]
    created: int
    taken: int
    taken_body: dict[str, Any]

    def send(self, url: str, name: str) -> Send:
        return lambda: requests.post(f"{url}{self.path}", json=self.body(name), timeout=30)


# Every API that registers users, with its "taken" answer (spec README C2 and C4, Decision 2).
REGISTRATIONS = {
    "account": Registration(
        "/auth/register",
        lambda name: {"username": name, "password": PASSWORD},
        200,
        400,
        {"status": "fail", "data": [{"username": "is already in use."}]},
    ),
    "forum": Registration(
        "/register",
        lambda name: {"username": name, "password": PASSWORD},
        200,
        409,
        {"error": "User with such username already exists"},
    ),
    "bucketlist": Registration(
        "/auth/register",
        lambda name: {"email": f"{name}@example.com", "password": PASSWORD},
        201,
        202,
        {"message": "User already exists. Please login."},
    ),
    "review": Registration(
        "/signup",
        lambda name: {"username": name, "password": PASSWORD, "usertype": "coder"},
        200,
        409,
        {"success": False, "error": 409, "message": REVIEW_MESSAGES[409]},
    ),
}
