"""Store fixtures: the external JWKS provider, which the apps of the tests that use it trust."""

from tests.store.provider_fixtures import app_settings, jwks_client, provider, provider_key, stranger_key

__all__ = ["app_settings", "jwks_client", "provider", "provider_key", "stranger_key"]
