"""Forum rules checked below HTTP: a registration race, and the ownership fetch used by edits and deletes."""

import pytest
from flask import Flask

from apiary.forum import services
from tests.forum.helpers import add_article, article_state
from tests.support import PASSWORD, MakeUser


def test_a_registration_that_loses_a_race_is_username_taken(
    app: Flask, make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other request inserted the name after this one checked: the unique index decides."""
    make_user("alice_1")
    monkeypatch.setattr(services, "taken_field", lambda **_names: None)

    with pytest.raises(services.UsernameTaken):
        services.register(username="alice_1", password=PASSWORD)


@pytest.mark.parametrize("action", list(services.Action))
def test_only_the_author_gets_an_owned_article(app: Flask, make_user: MakeUser, action: services.Action) -> None:
    alice, bob = make_user("alice_1"), make_user("bob_2")
    article = add_article(alice)
    before = article_state(article.id)

    assert services.get_owned_article(article_id=str(article.id), actor=alice, action=action) is article
    with pytest.raises(services.NotYourArticle, match=f"You can {action.value} only own article"):
        services.get_owned_article(article_id=str(article.id), actor=bob, action=action)
    with pytest.raises(services.ArticleNotFound):
        services.get_owned_article(article_id="0", actor=alice, action=action)
    assert article_state(article.id) == before
