"""Review fixtures: the store's external JWKS provider and the app that trusts it, imported as they are."""

from tests.store.provider_fixtures import jwks_app, jwks_client, provider, provider_key

__all__ = ["jwks_app", "jwks_client", "provider", "provider_key"]
