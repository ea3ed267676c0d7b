"""`apiary seed-demo` and the forum's demo and generated articles; the migrated table's listing indexes."""

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from flask import Flask, current_app

from apiary.commands import DEMO_USERS
from apiary.core.db import utcnow
from apiary.core.errors import NotFound
from apiary.core.extensions import db
from apiary.forum import services
from apiary.forum.models import Article
from tests.support import MakeUser, make_app, row_count


def test_seed_demo_gives_every_demo_user_articles_once(app: Flask) -> None:
    runner = app.test_cli_runner()

    first = runner.invoke(args=["seed-demo"])
    count = row_count(Article)
    second = runner.invoke(args=["seed-demo"])

    assert first.exit_code == second.exit_code == 0
    assert f"forum: {count} demo articles added" in first.output
    assert "forum: 0 demo articles added" in second.output
    authors = db.session.scalars(sa.select(Article.user_id).distinct()).all()
    assert count == len(authors) * len(services.DEMO_ARTICLES) and len(authors) == len(DEMO_USERS)
    assert row_count(Article) == count


def test_seed_demo_generates_articles_over_many_authors_and_dates(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["seed-demo", "--articles", "2345"])

    assert result.exit_code == 0, result.output
    generated = sa.select(Article).where(Article.title.like(f"{services.GENERATED_TITLE} %"))
    articles = db.session.scalars(generated).all()
    assert len(articles) == 2345
    assert len({a.user_id for a in articles}) == len(DEMO_USERS)
    dates = sorted(a.date_posted for a in articles)
    assert len(set(dates)) == 2345
    assert dates[-1] - dates[0] > timedelta(days=300)
    assert dates[-1] <= utcnow()


def test_generated_articles_are_committed_in_batches(app: Flask, make_user: MakeUser) -> None:
    make_user("writer_1")
    make_user("writer_2")

    batches = list(services.generate_articles(25, usernames=["writer_1", "writer_2"], batch_size=10))

    assert batches == [10, 10, 5]
    assert row_count(Article) == 25
    newest = db.session.scalars(sa.select(Article).order_by(*services.NEWEST_FIRST).limit(2)).all()
    assert [a.title for a in newest] == ["Generated article 25", "Generated article 24"]
    assert newest[0].user_id != newest[1].user_id


def test_generating_without_authors_is_refused(app: Flask) -> None:
    with pytest.raises(NotFound):
        list(services.generate_articles(5, usernames=["nobody_here"]))
    assert row_count(Article) == 0


@pytest.mark.parametrize(
    ("where", "index"), [("", "ix_article_newest_first"), ("WHERE user_id = 1", "ix_article_author_newest_first")]
)
def test_the_migrated_indexes_serve_the_listings_order(tmp_path: Path, where: str, index: str) -> None:
    app = make_app(database_url=f"sqlite:///{tmp_path / 'migrated.db'}")
    with app.app_context():
        command.upgrade(current_app.extensions["migrate"].migrate.get_config(), "head")
        plan = db.session.execute(
            sa.text(f"EXPLAIN QUERY PLAN SELECT * FROM article {where} ORDER BY date_posted DESC, id DESC LIMIT 10")
        ).all()
        db.session.remove()
        db.engine.dispose()

    details = " ".join(row[-1] for row in plan)
    assert f"USING INDEX {index}" in details
    assert "TEMP B-TREE" not in details  # no sort step: the index gives the order
