"""`apiary create-user` and `apiary seed-demo`."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask import Flask

from apiary.commands import DEMO_PASSWORD, DEMO_USERS
from apiary.core.extensions import db
from apiary.core.identity import ROLE_PERMISSIONS, Role, Token, TokenType, User
from apiary.core.tokens import record_token, token_claims
from apiary.store.models import Category, Product
from tests.support import claims_of, row_count, sqlite_app


@pytest.mark.parametrize("role", list(Role))
def test_a_created_user_logs_in_with_the_roles_permissions(app: Flask, client, role: Role) -> None:
    result = app.test_cli_runner().invoke(args=["create-user", "carol", "--password", "pw-carol", "--role", role.value])
    assert result.exit_code == 0, result.output
    assert "Created user carol" in result.output
    response = client.post("/auth/login", json={"username": "carol", "password": "pw-carol"})
    claims = claims_of(response.json["data"]["access_token"])
    assert claims["permissions"] == sorted(ROLE_PERMISSIONS[role])


def test_create_user_with_an_email_can_log_in_by_email(app: Flask, client) -> None:
    args = ["create-user", "dave", "--password", "pw-dave", "--email", "dave@example.com"]
    assert app.test_cli_runner().invoke(args=args).exit_code == 0
    response = client.post("/auth/login", data={"email": "dave@example.com", "password": "pw-dave"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["create-user", "erin", "--password", "pw-erin", "--role", "wizard"], "'wizard' is not one of"),
        (["create-user", "erin", "--password", "pw"], "password minimum length of 3 characters"),
        (["create-user", "taken", "--password", "pw-erin"], "username is already in use."),
    ],
)
def test_create_user_refuses_bad_input_with_exit_code_2(app: Flask, make_user, args, complaint) -> None:
    make_user("taken")
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 2
    assert complaint in result.output
    assert row_count(User) == 1


def test_seed_demo_is_idempotent(app: Flask) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert f"demo-admin: created, password {DEMO_PASSWORD}" in first.output
    counts = (row_count(User), row_count(Category), row_count(Product))
    assert counts[0] == len(DEMO_USERS) and counts[1] > 0 and counts[2] > 0
    second = runner.invoke(args=["seed-demo"])
    assert "demo-admin: already there" in second.output
    assert (row_count(User), row_count(Category), row_count(Product)) == counts


def test_seed_demo_if_empty_leaves_a_used_database_alone(app: Flask, make_user) -> None:
    make_user("someone")
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert "no demo data added" in result.output
    assert (row_count(User), row_count(Product)) == (1, 0)


def test_seed_demo_generates_uniquely_named_products_in_batches(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo", "--products", "2345"]).exit_code == 0
    assert runner.invoke(args=["seed-demo", "--products", "5"]).exit_code == 0
    names = db.session.scalars(sa.select(Product.name).where(Product.name.like("Generated product %"))).all()
    assert len(names) == len(set(names)) == 2350


def test_seed_demo_refuses_to_run_in_production() -> None:
    with sqlite_app(apiary_env="production") as app:
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 2
        assert "refuses to run in production" in result.output
        assert row_count(User) == 0


def test_prune_tokens_deletes_only_tokens_expired_long_enough_ago(app: Flask, make_user) -> None:
    user = make_user("frank")
    now = datetime.now(UTC)
    for expired_days_ago in (30, 8, 1, -1):
        claims = token_claims(user, TokenType.ACCESS, issued_at=now, expires_at=now - timedelta(days=expired_days_ago))
        record_token(user, claims)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["prune-tokens", "--days", "7"])
    assert result.exit_code == 0 and "Deleted 2 expired tokens." in result.output
    remaining = db.session.scalars(sa.select(Token.expires).order_by(Token.expires)).all()
    assert [round((now.replace(tzinfo=None) - expires) / timedelta(days=1)) for expires in remaining] == [1, -1]
