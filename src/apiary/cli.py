"""The `apiary` command: Flask's commands (run, routes, db ...) plus Apiary's own (see apiary.commands)."""

import click
from flask.cli import FlaskGroup

from apiary.commands import keys


def _create_app() -> object:
    from apiary import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app)
def cli() -> None:
    """Manage and serve Apiary."""


# Needs no app: the keys are made before the settings that name them exist.
cli.add_command(keys)
