"""Limits per account, whichever API or instance a request reaches: failed logins, and refreshes.

- Failed logins (every login goes through core.users.authenticate): once an account name has failed
  RATELIMIT_LOGIN_FAILURES times in the window, every login for it is refused, the correct password
  included, until the window passes.
- Refreshes (every refresh token is redeemed through core.users.refresh_access): one user may be given
  RATELIMIT_REFRESH new access tokens for refresh tokens, however many refresh tokens, addresses or
  endpoints they use, so that nobody fills the token store from one login.

The counters live in Redis when REDIS_URL is set, so every instance shares them; when Redis does not
answer, this process's memory keeps counting.
"""

import time
from collections.abc import Callable
from typing import TypeVar

import structlog
from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import FixedWindowRateLimiter

from apiary.core.config import Settings
from apiary.core.errors import ApiError

log = structlog.get_logger(__name__)
Result = TypeVar("Result")

# Redis that does not answer must not hold a login up for long.
REDIS_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class TooManyAttempts(ApiError):
    """The account has used up its limit for now; `Retry-After` says when the window passes."""

    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.headers = {"Retry-After": str(retry_after)}


class AccountLimit:
    """Counts one kind of event per account in a shared store, with this process's memory as fallback."""

    def __init__(self, *, limit: str, storage_uri: str, prefix: str, enabled: bool) -> None:
        self._limit: RateLimitItem = parse(limit)
        self._prefix = prefix
        self._enabled = enabled
        options = REDIS_TIMEOUTS if storage_uri.startswith("redis") else {}
        self._shared = FixedWindowRateLimiter(storage_from_string(storage_uri, **options))
        self._fallback = FixedWindowRateLimiter(MemoryStorage())

    def check(self, account: str) -> None:
        """TooManyAttempts if `account` has used up its limit for now."""
        if self._enabled and (reset_at := self._shielded(self._reset_time_if_exhausted, account)) is not None:
            raise TooManyAttempts(retry_after=max(1, int(reset_at - time.time()) + 1))

    def record(self, account: str) -> None:
        """Count one event for `account`."""
        if self._enabled:
            self._shielded(lambda limiter, name: limiter.hit(self._limit, self._prefix, name), account)

    def spend(self, account: str) -> None:
        """Count one event for `account`, or TooManyAttempts if it has used up its limit (counting nothing)."""
        self.check(account)
        self.record(account)

    def _reset_time_if_exhausted(self, limiter: FixedWindowRateLimiter, account: str) -> float | None:
        if limiter.test(self._limit, self._prefix, account):
            return None
        return limiter.get_window_stats(self._limit, self._prefix, account).reset_time

    def _shielded(self, operation: Callable[[FixedWindowRateLimiter, str], Result], account: str) -> Result:
        """`operation` on the shared counters, or on this process's when the shared store does not answer."""
        try:
            return operation(self._shared, account)
        except Exception as error:  # whatever the client raises means the same: the store is not there
            log.warning("account_limits_unshared", error=type(error).__name__)
            return operation(self._fallback, account)


def init_account_limits(app: Flask, settings: Settings) -> None:
    """Give the app its per-account counters."""
    for kind, limit in (("login", settings.ratelimit_login_failures), ("refresh", settings.ratelimit_refresh)):
        app.extensions[f"apiary.{kind}_limit"] = AccountLimit(
            limit=limit,
            storage_uri=settings.redis_url or "memory://",
            prefix=f"{settings.ratelimit_key_prefix}:{kind}",
            enabled=settings.ratelimit_enabled,
        )


def login_limit() -> AccountLimit:
    """The current app's failed-login counters, by account name."""
    return current_app.extensions["apiary.login_limit"]


def refresh_limit() -> AccountLimit:
    """The current app's refresh counters, by user id."""
    return current_app.extensions["apiary.refresh_limit"]
