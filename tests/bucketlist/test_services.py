"""The bucketlist services' own rules, below HTTP: one fetch helper decides ownership."""

import pytest

from apiary.bucketlist import services
from tests.bucketlist.helpers import add_bucketlist, add_item, stored_rows
from tests.support import MakeUser


def test_the_fetch_helpers_treat_another_users_rows_as_missing(make_user: MakeUser) -> None:
    ann, bob = make_user(None, email="ann@example.test"), make_user("bob")
    bucketlist = add_bucketlist(ann, "Ann's")
    item = add_item(bucketlist, "Ann's item")

    assert services.get_owned_bucketlist(bucketlist_id=bucketlist.id, owner=ann) is bucketlist
    assert services.get_owned_item(bucketlist_id=bucketlist.id, item_id=item.id, owner=ann) is item
    with pytest.raises(services.BucketlistNotFound, match=f"bucketlist {bucketlist.id} not found"):
        services.get_owned_bucketlist(bucketlist_id=bucketlist.id, owner=bob)
    with pytest.raises(services.BucketlistNotFound, match=f"bucketlist {bucketlist.id} not found"):
        services.get_owned_item(bucketlist_id=bucketlist.id, item_id=item.id, owner=bob)


def test_update_item_leaves_what_is_none_alone(make_user: MakeUser) -> None:
    ann = make_user(None, email="ann@example.test")
    bucketlist = add_bucketlist(ann, "list")
    item = add_item(bucketlist, "name", done=True)

    services.update_item(bucketlist_id=bucketlist.id, item_id=item.id, owner=ann, name=None, done=None)

    assert (item.name, item.done) == ("name", True)


def test_seeding_for_an_unknown_email_adds_nothing(make_user: MakeUser) -> None:
    add_bucketlist(make_user(None, email="ann@example.test"), "list")
    before = stored_rows()

    assert services.seed_bucketlists(email="nobody@example.test") == 0
    assert stored_rows() == before
