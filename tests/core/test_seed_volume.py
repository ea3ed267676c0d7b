"""`apiary seed-demo`'s counting options: benchmark volume, in bulk, that every API then serves."""

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from apiary.bucketlist.models import Bucketlist
from apiary.commands import DEMO_PASSWORD
from apiary.core.extensions import db
from apiary.core.identity import User
from apiary.forum.models import Article
from apiary.review.models import Coder, Mentor, Snippet
from apiary.store.models import Category, Product
from tests.support import row_count

VOLUME = [
    "--products=30",
    "--categories=6",
    "--articles=40",
    "--authors=4",
    "--mentors=2",
    "--coders-per-mentor=3",
    "--snippets-per-coder=2",
    "--bucketlists=7",
]
GENERATED_AUTHORS = sa.select(User.username).where(User.username.like("author-%"))


def seed(app: Flask, *args: str) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo", *args])
    assert result.exit_code == 0, result.output


def test_the_counting_options_add_their_volume_on_top_of_the_demo_data(app: Flask) -> None:
    seed(app)
    before = {model: row_count(model) for model in (Product, Article, Mentor, Coder, Snippet, Bucketlist)}

    seed(app, *VOLUME)

    assert row_count(Category) == 6
    assert row_count(Product) - before[Product] == 30
    assert row_count(Article) - before[Article] == 40
    assert row_count(Mentor) - before[Mentor] == 2
    assert row_count(Coder) - before[Coder] == 6
    assert row_count(Snippet) - before[Snippet] == 12
    assert row_count(Bucketlist) - before[Bucketlist] == 7
    # The generated products fill every category, the generated articles have the generated authors.
    used = db.session.scalars(sa.select(Product.category_id).distinct())
    assert set(used) == set(db.session.scalars(sa.select(Category.id)))
    writers = sa.select(User.username).join(Article, Article.user_id == User.id).where(Article.title.like("Gen%"))
    assert set(db.session.scalars(writers)) == set(db.session.scalars(GENERATED_AUTHORS))
    assert len(set(db.session.scalars(GENERATED_AUTHORS))) == 4


def test_seeding_twice_adds_the_volume_twice_without_a_clash(app: Flask) -> None:
    seed(app, *VOLUME)
    seed(app, *VOLUME)

    assert row_count(Product) == 8 + 60
    assert row_count(Mentor) == 1 + 4
    assert row_count(Category) == 6  # already as many as asked for


def test_what_was_generated_is_served(app: Flask, client: FlaskClient) -> None:
    seed(app, *VOLUME)
    login = client.post("/auth/login", json={"username": "demo-coder", "password": DEMO_PASSWORD})
    coder_token = login.get_json()["data"]["access_token"]
    customer = client.post("/auth/login", data={"email": "demo-customer@example.com", "password": DEMO_PASSWORD})

    mentors = client.get("/mentors", headers={"Authorization": f"Bearer {coder_token}"}).get_json()["mentors"]
    bucketlists = client.get(
        "/bucketlists/", headers={"Authorization": f"Bearer {customer.get_json()['access_token']}"}
    )
    author_name = db.session.scalars(GENERATED_AUTHORS).first()
    author = client.post("/login", json={"username": author_name, "password": DEMO_PASSWORD})

    generated = [m for m in mentors if m["username"].startswith("gen-mentor-")]
    assert [len(m["coders"]) for m in generated] == [3, 3]
    assert all(len(c["snippets"]) == 2 for m in generated for c in m["coders"])
    assert len(bucketlists.get_json()) == 2 + 7
    assert author.status_code == 200
