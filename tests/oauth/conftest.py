"""OAuth fixtures: two RSA key pairs, made once per session by `apiary keys generate` (3072 bits is slow-ish)."""

import pytest

from tests.oauth.helpers import KeyPair, generate_key_pair


@pytest.fixture(scope="session")
def key_a(tmp_path_factory: pytest.TempPathFactory) -> KeyPair:
    return generate_key_pair(tmp_path_factory.mktemp("keys") / "a")  # a directory the command creates


@pytest.fixture(scope="session")
def key_b(tmp_path_factory: pytest.TempPathFactory) -> KeyPair:
    return generate_key_pair(tmp_path_factory.mktemp("keys") / "b")
