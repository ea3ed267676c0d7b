"""Failed logins per account name, on every login of every API (they all go through core.users.authenticate).

Once an account has failed RATELIMIT_LOGIN_FAILURES times in the window, every login for it is refused,
the correct password included, until the window passes. The counters live in Redis when REDIS_URL is
set, so every instance shares them; when Redis does not answer, this process's memory keeps counting.
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
    """Too many failed logins for this account name; `Retry-After` says when the window passes."""

    status_code = 429

    def __init__(self, retry_after: int) -> None:
        super().__init__()
        self.headers = {"Retry-After": str(retry_after)}


class LoginLimits:
    """Counts failed logins per account name in a shared store, with this process's memory as fallback."""

    def __init__(self, *, limit: str, storage_uri: str, prefix: str, enabled: bool) -> None:
        self._limit: RateLimitItem = parse(limit)
        self._prefix = f"{prefix}:login"
        self._enabled = enabled
        options = REDIS_TIMEOUTS if storage_uri.startswith("redis") else {}
        self._shared = FixedWindowRateLimiter(storage_from_string(storage_uri, **options))
        self._fallback = FixedWindowRateLimiter(MemoryStorage())

    def check(self, account: str) -> None:
        """TooManyAttempts if `account` has used up its failed logins for now."""
        if self._enabled and (reset_at := self._shielded(self._reset_time_if_exhausted, account)) is not None:
            raise TooManyAttempts(retry_after=max(1, int(reset_at - time.time()) + 1))

    def record_failure(self, account: str) -> None:
        """Count one failed login for `account`."""
        if self._enabled:
            self._shielded(lambda limiter, name: limiter.hit(self._limit, self._prefix, name), account)

    def _reset_time_if_exhausted(self, limiter: FixedWindowRateLimiter, account: str) -> float | None:
        if limiter.test(self._limit, self._prefix, account):
            return None
        return limiter.get_window_stats(self._limit, self._prefix, account).reset_time

    def _shielded(self, operation: Callable[[FixedWindowRateLimiter, str], Result], account: str) -> Result:
        """`operation` on the shared counters, or on this process's when the shared store does not answer."""
        try:
            return operation(self._shared, account)
        except Exception as error:  # whatever the client raises means the same: the store is not there
            log.warning("login_limits_unshared", error=type(error).__name__)
            return operation(self._fallback, account)


def init_login_limits(app: Flask, settings: Settings) -> None:
    """Give the app its failed-login counters."""
    app.extensions["apiary.login_limits"] = LoginLimits(
        limit=settings.ratelimit_login_failures,
        storage_uri=settings.redis_url or "memory://",
        prefix=settings.ratelimit_key_prefix,
        enabled=settings.ratelimit_enabled,
    )


def login_limits() -> LoginLimits:
    """The current app's failed-login counters."""
    return current_app.extensions["apiary.login_limits"]
