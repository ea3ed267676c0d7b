"""`apiary seed-demo` gives the demo customer bucketlists and items, once."""

from flask import Flask
from flask.testing import FlaskClient

from apiary.bucketlist.models import Bucketlist, Item
from apiary.commands import DEMO_PASSWORD
from tests.bucketlist.helpers import header, token_of
from tests.support import row_count

OWNER = "demo-customer@example.com"


def test_seed_demo_adds_the_demo_customers_bucketlists_once(app: Flask, client: FlaskClient) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    counts = (row_count(Bucketlist), row_count(Item))
    second = runner.invoke(args=["seed-demo"])

    assert first.exit_code == 0, first.output
    assert f"bucketlist: {sum(counts)} demo bucketlists and items added for {OWNER}" in first.output
    assert counts[0] > 0 and counts[1] > 0
    assert f"bucketlist: 0 demo bucketlists and items added for {OWNER}" in second.output
    assert (row_count(Bucketlist), row_count(Item)) == counts

    auth = header(token_of(client, OWNER, DEMO_PASSWORD))
    bucketlists = client.get("/bucketlists/", headers=auth).get_json()
    items = client.get(f"/bucketlists/{bucketlists[0]['id']}/items/", headers=auth).get_json()
    assert len(bucketlists) == counts[0]
    assert items and all(item["done"] is False for item in items)
