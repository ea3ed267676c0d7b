"""The `apiary` command: Flask's commands (run, routes, db ...) plus Apiary's own."""

import click
from flask.cli import FlaskGroup, with_appcontext

from apiary.core.config import current_settings
from apiary.core.errors import ValidationFailed
from apiary.core.identity import Role

DEMO_PASSWORD = "Demo-pass-1"


def _create_app() -> object:
    from apiary import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def cli() -> None:
    """Manage and serve Apiary."""


@click.command("create-user")
@click.argument("username")
@click.option(
    "--password", prompt=True, hide_input=True, confirmation_prompt=True, help="Prompted when left out."
)
@click.option(
    "--role", type=click.Choice([role.value for role in Role]), default=None, help="What the user may do."
)
@click.option("--email", default=None, help="Lets the user log in by email too.")
@with_appcontext
def create_user(username: str, password: str, role: str | None, email: str | None) -> None:
    """Create a user who can log in to every API."""
    from apiary.account import schemas, services
    from apiary.core.http import validate

    try:
        validate(schemas.Registration, {"username": username, "password": password, "email": email})
        user = services.register(
            username=username, password=password, email=email, role=Role(role) if role else None
        )
    except ValidationFailed as error:
        raise click.UsageError("; ".join(f"{field} {problem}" for field, problem in error.problems)) from None
    click.echo(f"Created user {user.username} (id {user.id}, role {user.role or 'none'}).")


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Add demo data: one user per role (skipping what exists), whose passwords are printed."""
    from apiary.account import services
    from apiary.core.users import taken_field

    if current_settings().apiary_env == "production":
        raise click.UsageError(
            "seed-demo adds users with published passwords; it refuses to run in production."
        )
    for role in Role:
        username = f"demo-{role.value}"
        if taken_field(username=username, email=None):
            click.echo(f"{username}: already there")
            continue
        services.register(
            username=username, password=DEMO_PASSWORD, email=f"{username}@example.com", role=role
        )
        click.echo(f"{username}: created, password {DEMO_PASSWORD}")
