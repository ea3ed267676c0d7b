"""Issue 7's hardening: safe defaults at start-up, in the logs, in headers and on disk."""

import json
import stat
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pydantic import ValidationError

from apiary.core.identity import User
from tests.support import PASSWORD, MakeUser, make_app

STRONG_SECRET = "k7Q2xv9LmR4tW8zB1nC6pF3hJ5sD0gYa"


def _add_failing_route(app: Flask) -> None:
    def fail() -> str:
        raise RuntimeError("a bug")

    app.add_url_rule("/boom", view_func=fail, methods=["GET"])


# Logs: control characters escaped; a traceback only for a 5xx, and once.


@pytest.mark.parametrize("env", ["development", "production"])
def test_control_characters_in_a_request_reach_the_log_escaped(capsys: pytest.CaptureFixture[str], env: str) -> None:
    client = make_app(database_url="sqlite://", apiary_env=env, secret_key=STRONG_SECRET).test_client()
    capsys.readouterr()
    client.get("/x%1b[2J%0aforged line%7f%c2%85")
    logged = capsys.readouterr().err
    assert logged.count("\n") == 1  # one line, however many the path held
    assert not any(character in logged for character in "\x1b\x7f\x85\r")
    if env == "production":
        assert json.loads(logged)["path"] == "/x\\x1b[2J\\nforged line\\x7f\\x85"
    else:
        assert "x1b[2J" in logged and "nforged line" in logged


def test_a_client_error_never_logs_a_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    client = make_app(database_url="sqlite://").test_client()
    capsys.readouterr()
    nested = '{"username": ' + "[" * 100_000 + "]" * 100_000 + "}"
    assert client.post("/auth/login", data=nested, content_type="application/json").status_code == 400
    assert (
        client.get(
            "/account", headers={"Authorization": "Bearer eyJhbGciOiJIUzI1NiIsImtpZCI6MTIzfQ.e30.AAAA"}
        ).status_code
        == 422
    )
    assert client.get("/nowhere").status_code == 404
    logged = capsys.readouterr().err
    assert logged.count("\n") == 3 and "Traceback" not in logged


def test_a_server_error_logs_its_traceback_once(capsys: pytest.CaptureFixture[str]) -> None:
    app = make_app(database_url="sqlite://")
    _add_failing_route(app)
    capsys.readouterr()
    assert app.test_client().get("/boom").status_code == 500
    logged = capsys.readouterr().err
    assert logged.count("Traceback") == 1 and logged.count("RuntimeError: a bug") == 1


# X-Request-ID: a client's id only when it is a short safe token.


@pytest.mark.parametrize("offered", ["edge-42", "A.b_c-9", "x" * 64])
def test_a_safe_request_id_is_kept(client: FlaskClient, offered: str) -> None:
    assert client.get("/health", headers={"X-Request-ID": offered}).headers["X-Request-ID"] == offered


@pytest.mark.parametrize("offered", ["x" * 65, "a b", "id\x1b[2J", "<script>", "ä", "a/b", "a;b=c"])
def test_an_unsafe_request_id_is_replaced_by_a_fresh_one(client: FlaskClient, offered: str) -> None:
    returned = client.get("/health", headers={"X-Request-ID": offered}).headers["X-Request-ID"]
    assert returned != offered and len(returned) == 32 and returned.isalnum()


# TRUSTED_HOSTS.


def test_trusted_hosts_is_flasks_setting() -> None:
    assert make_app(database_url="sqlite://", trusted_hosts=["api.example"]).config["TRUSTED_HOSTS"] == ["api.example"]
    assert make_app(database_url="sqlite://").config["TRUSTED_HOSTS"] is None


def test_a_forged_host_is_refused(app: Flask, client: FlaskClient) -> None:
    app.config["TRUSTED_HOSTS"] = ["api.example", ".apiary.example"]
    forged = client.get("/health", headers={"Host": "evil.example"})
    assert (forged.status_code, forged.json) == (400, {"status": "fail", "message": "bad request"})
    assert client.get("/health", headers={"Host": "eu.apiary.example"}).status_code == 200
    assert client.get("/health", headers={"Host": "api.example"}).status_code == 200


# CORS_ORIGINS: exact origins only.


@pytest.mark.parametrize(
    "origin",
    [".*", "https://.*\\.example", "https://*.example", "https://shop.example/", "shop.example", "https://a.example|b"],
)
def test_a_cors_origin_that_looks_like_a_pattern_is_refused_at_start_up(origin: str) -> None:
    with pytest.raises(ValidationError, match="is not an exact origin"):
        make_app(database_url="sqlite://", cors_origins=[origin])


@pytest.mark.parametrize("origin", ["*", "https://shop.example", "http://localhost:5173", "https://a-b.c.example:8443"])
def test_exact_cors_origins_are_accepted(origin: str) -> None:
    make_app(database_url="sqlite://", cors_origins=[origin])


# The instance folder and the SQLite file: the owner's only.


def test_the_sqlite_database_and_the_instance_folder_are_created_owner_only(tmp_path: Path) -> None:
    instance = tmp_path / "instance"
    app = make_app(instance_dir=instance, database_url="", secret_key=None)
    with app.app_context():
        from apiary.core.extensions import db

        db.create_all()
        db.engine.dispose()
    assert stat.S_IMODE(instance.stat().st_mode) == 0o700
    assert stat.S_IMODE((instance / "apiary.db").stat().st_mode) == 0o600
    assert stat.S_IMODE((instance / "dev-secret-key").stat().st_mode) == 0o600


def test_an_existing_database_file_is_left_alone(tmp_path: Path) -> None:
    database = tmp_path / "shared.db"
    database.touch(mode=0o640)
    database.chmod(0o640)
    make_app(database_url=f"sqlite:///{database}")
    assert stat.S_IMODE(database.stat().st_mode) == 0o640


# The CLI: a password from standard input, no forged output lines, no demo data in production.


def test_create_user_reads_the_password_from_standard_input(app: Flask, client: FlaskClient) -> None:
    result = app.test_cli_runner().invoke(
        args=["create-user", "stdin-sam", "--password-stdin"], input="pw-from-stdin\n"
    )
    assert result.exit_code == 0, result.output
    assert "pw-from-stdin" not in result.output
    response = client.post("/auth/login", json={"username": "stdin-sam", "password": "pw-from-stdin"})
    assert response.status_code == 200


def test_create_user_takes_one_password_source(app: Flask) -> None:
    args = ["create-user", "sam", "--password", "pw-sam", "--password-stdin"]
    result = app.test_cli_runner().invoke(args=args, input="other\n")
    assert result.exit_code == 2 and "not both" in result.output


def test_a_username_with_a_newline_cannot_forge_a_line_of_output(app: Flask, make_user: MakeUser) -> None:
    result = app.test_cli_runner().invoke(args=["create-user", "x\nCreated user admin", "--password", PASSWORD])
    assert result.exit_code == 2
    assert "username must not contain control characters" in result.output
    assert not any(line.startswith("Created user") for line in result.output.splitlines())


def test_a_lone_surrogate_from_the_command_line_is_refused(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["create-user", "b\udcffd", "--password", PASSWORD])
    assert result.exit_code == 2 and "username must be valid text" in result.output


def test_make_runs_demo_seeding_adds_nothing_in_production(tmp_path: Path) -> None:
    app = make_app(apiary_env="production", secret_key=STRONG_SECRET, database_url=f"sqlite:///{tmp_path / 'p.db'}")
    with app.app_context():
        from apiary.core.extensions import db

        db.create_all()
        result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty", "--unless-production"])
        assert result.exit_code == 0 and "no demo data added" in result.output
        assert db.session.query(User).count() == 0
        db.engine.dispose()
