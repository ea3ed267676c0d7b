"""Review fixtures: the store's external JWKS provider, which the apps of the tests that use it trust."""

from typing import Any

import pytest

from tests.store.helpers import AUDIENCE, ISSUER, Provider
from tests.store.provider_fixtures import provider, provider_key

__all__ = ["app_settings", "provider", "provider_key"]


@pytest.fixture
def app_settings(request: pytest.FixtureRequest) -> dict[str, Any]:
    """A test that uses the provider gets an `app` (on each database, like every other) that trusts it."""
    if "provider" not in request.fixturenames:
        return {}
    trusted: Provider = request.getfixturevalue("provider")
    return {"jwt_jwks_url": trusted.jwks_url, "jwt_issuer": ISSUER, "jwt_audience": AUDIENCE}
