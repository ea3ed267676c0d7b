"""Review fixtures: the store's external JWKS provider, which the apps of the tests that use it trust."""

from tests.store.provider_fixtures import app_settings, provider, provider_key

__all__ = ["app_settings", "provider", "provider_key"]
