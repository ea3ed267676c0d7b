"""Store fixtures: the external JWKS provider and an app that trusts it."""

from tests.store.provider_fixtures import jwks_app, jwks_client, provider, provider_key, stranger_key

__all__ = ["jwks_app", "jwks_client", "provider", "provider_key", "stranger_key"]
