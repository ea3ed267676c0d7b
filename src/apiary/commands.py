"""Apiary's own commands, which the factory adds to `flask` and `apiary`."""

import os
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import click
from flask.cli import with_appcontext

from apiary.core.config import current_settings
from apiary.core.errors import ValidationFailed
from apiary.core.identity import Role

DEMO_PASSWORD = "Demo-pass-1"
# A user per role, and a second coder without a mentor, so that the review API's /coders/available lists somebody.
DEMO_USERS = [(f"demo-{role.value}", role) for role in Role] + [("demo-coder-2", Role.CODER)]
RSA_KEY_BITS = 3072  # NIST's size for keys used beyond 2030
F = TypeVar("F", bound=Callable[..., Any])


@click.command("create-user")
@click.argument("username")
@click.option("--password", default=None, help="Prompted when left out (a password given here shows in `ps`).")
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of standard input.")
@click.option("--role", type=click.Choice([role.value for role in Role]), default=None, help="What the user may do.")
@click.option("--email", default=None, help="Lets the user log in by email too.")
@with_appcontext
def create_user(username: str, password: str | None, password_stdin: bool, role: str | None, email: str | None) -> None:
    """Create a user who can log in to every API (a mentor or coder also gets its review profile)."""
    from apiary.account import schemas, services
    from apiary.core.http import validate
    from apiary.review import services as review

    if password_stdin:
        if password is not None:
            raise click.UsageError("Give --password or --password-stdin, not both.")
        password = sys.stdin.readline().rstrip("\r\n")
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        validate(schemas.Registration, {"username": username, "password": password, "email": email})
        if role in review.MEMBER_ROLES:
            user, _ = review.sign_up(username=username, password=password, email=email, role=Role(role))
        else:
            user = services.register(
                username=username, password=password, email=email, role=Role(role) if role else None
            )
    except ValidationFailed as error:
        raise click.UsageError("; ".join(f"{field} {problem}" for field, problem in error.problems)) from None
    except review.UsernameTaken:
        raise click.UsageError("username or email is already in use.") from None
    click.echo(f"Created user {user.username} (id {user.id}, role {user.role or 'none'}).")


@click.command("prune-tokens")
@click.option(
    "--days", type=click.IntRange(min=0), default=7, show_default=True, help="Keep tokens expired fewer days ago."
)
@with_appcontext
def prune_tokens(days: int) -> None:
    """Delete tokens that expired more than DAYS days ago; the token store otherwise only grows."""
    from apiary.core import tokens
    from apiary.core.transactions import commit

    deleted = tokens.prune_tokens(expired_before=datetime.now(UTC) - timedelta(days=days))
    commit()
    click.echo(f"Deleted {deleted} expired tokens.")


def _count_option(name: str, help: str) -> Callable[[F], F]:
    return click.option(name, type=click.IntRange(min=0), default=0, help=help)


def _fill(label: str, batches: Iterable[int], length: int) -> None:
    """Run a generator of batch sizes behind a progress bar."""
    with click.progressbar(length=length, label=label) as bar:
        for batch in batches:
            bar.update(batch)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed a database that has no users yet.")
@click.option("--unless-production", is_flag=True, help="In production, add nothing and succeed (for `make run`).")
@_count_option("--products", "Also generate N products.")
@_count_option("--categories", "Spread them over N categories, generating the missing ones.")
@_count_option("--articles", "Also generate N forum articles.")
@_count_option("--authors", "Have them written by N generated users (the demo users otherwise).")
@_count_option("--mentors", "Also generate N review mentors (profiles without an account).")
@_count_option("--coders-per-mentor", "Give each generated mentor N coders.")
@_count_option("--snippets-per-coder", "Give each generated coder N snippets.")
@_count_option("--bucketlists", "Also generate N bucketlists for the demo customer.")
@with_appcontext
def seed_demo(
    if_empty: bool,
    unless_production: bool,
    products: int,
    categories: int,
    articles: int,
    authors: int,
    mentors: int,
    coders_per_mentor: int,
    snippets_per_coder: int,
    bucketlists: int,
) -> None:
    """Add demo data (skipping what exists): users per role and a coder without a mentor (passwords printed),
    catalogue, articles, bucketlists, mentored snippets.

    The counting options add generated volume on top, quickly (bulk inserts), for benchmarks.
    """
    from apiary.account import services as account
    from apiary.bucketlist import services as bucketlist
    from apiary.core.users import any_user, taken_field
    from apiary.forum import services as forum
    from apiary.review import services as review
    from apiary.store import services as store

    if current_settings().apiary_env == "production":
        if unless_production:
            click.echo("Production: no demo data added (DEMO_DATA=1 asks for it, and seed-demo refuses).")
            return
        raise click.UsageError("seed-demo adds users with published passwords; it refuses to run in production.")
    if if_empty and any_user():
        click.echo("The database already has users: no demo data added.")
        return
    usernames = [username for username, _ in DEMO_USERS]
    for username, role in DEMO_USERS:
        if taken_field(username=username, email=None):
            click.echo(f"{username}: already there")
            continue
        email = f"{username}@example.com"
        if role in review.MEMBER_ROLES:
            review.sign_up(username=username, password=DEMO_PASSWORD, email=email, role=role)
        else:
            account.register(username=username, password=DEMO_PASSWORD, email=email, role=role)
        click.echo(f"{username}: created, password {DEMO_PASSWORD}")
    click.echo(f"store: {store.seed_catalogue()} demo categories and products added")
    owner = f"demo-{Role.CUSTOMER.value}@example.com"
    click.echo(f"bucketlist: {bucketlist.seed_bucketlists(email=owner)} demo bucketlists and items added for {owner}")
    click.echo(f"review: {review.seed_demo(mentor='demo-mentor', coder='demo-coder')} demo snippets added")
    click.echo(f"forum: {forum.seed_articles(usernames=usernames)} demo articles added")
    if categories:
        click.echo(f"store: {store.generate_categories(categories)} generated categories added")
    if products:
        _fill("Generating products", store.generate_products(products), products)
    if authors:
        usernames = forum.generate_authors(authors, password=DEMO_PASSWORD)
        click.echo(f"forum: {authors} generated authors added, password {DEMO_PASSWORD}")
    if articles:
        _fill("Generating articles", forum.generate_articles(articles, usernames=usernames), articles)
    if mentors:
        rows = mentors * (1 + coders_per_mentor * (1 + snippets_per_coder))
        generated = review.generate_mentors(
            mentors, coders_per_mentor=coders_per_mentor, snippets_per_coder=snippets_per_coder
        )
        _fill("Generating mentors, coders and snippets", generated, rows)
    if bucketlists:
        _fill("Generating bucketlists", bucketlist.generate_bucketlists(bucketlists, email=owner), bucketlists)


@click.group("keys")
def keys() -> None:
    """Manage the RS256 key pair Apiary signs its tokens with."""


@keys.command("generate")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def generate_keys(directory: Path) -> None:
    """Write a new RSA key pair to DIRECTORY/private.pem (mode 0600) and DIRECTORY/public.pem; print its settings.

    DIRECTORY is created when missing; a key file already there is never overwritten.
    """
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from apiary.core.tokens import PublicKey

    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    private_file, public_file = (directory / name for name in ("private.pem", "public.pem"))
    if existing := [str(path) for path in (private_file, public_file) if path.exists()]:
        raise click.UsageError(f"{', '.join(existing)} already there: a key is never overwritten.")
    key = rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_BITS)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    _write_new(private_file, private_pem, mode=0o600)
    _write_new(public_file, public_pem, mode=0o644)
    click.echo(f"Wrote an RSA {RSA_KEY_BITS}-bit key pair, kid {PublicKey.from_file(public_file).kid}. Settings:")
    click.echo("JWT_ALGORITHM=RS256")
    click.echo(f"JWT_PRIVATE_KEY_FILE={private_file.resolve()}")
    click.echo(f"JWT_PUBLIC_KEY_FILE={public_file.resolve()}")
    click.echo("Replacing a key? Add the old JWT_PUBLIC_KEY_FILE to JWT_RETIRED_PUBLIC_KEY_FILES (see the README).")


def _write_new(path: Path, content: bytes, *, mode: int) -> None:
    """Create `path` with `mode` from the start (never readable by others for a moment), refusing to replace it."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
