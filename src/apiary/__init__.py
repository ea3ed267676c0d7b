"""Apiary: five Flask REST APIs behind one identity system."""

from collections.abc import Mapping
from typing import Any

from flask_cors import CORS
from flask_openapi3 import Info, OpenAPI
from werkzeug.middleware.proxy_fix import ProxyFix

from apiary.core.account_limits import init_account_limits
from apiary.core.auth import register_auth, register_rate_limits
from apiary.core.config import Settings
from apiary.core.db import create_sqlite_file
from apiary.core.docs import DocumentedApp, register_docs
from apiary.core.errors import raise_validation_failed, register_dialect, register_error_handlers
from apiary.core.extensions import db, migrate, register_session_cleanup
from apiary.core.headers import register_security_headers
from apiary.core.http import NoSessions, StrictJSONProvider, register_converters, register_request_checks
from apiary.core.logs import configure_logging, register_request_logging
from apiary.core.metrics import register_metrics
from apiary.core.passwords import init_passwords
from apiary.core.tokens import init_tokens, register_token_answers

MAX_BODY_BYTES = 1024 * 1024


def create_app(config: Mapping[str, Any] | None = None) -> OpenAPI:
    """Build the app from the environment, or from `config` (which then skips the `.env` file)."""
    settings = Settings() if config is None else Settings(_env_file=None, **config)
    configure_logging(settings)
    app = DocumentedApp(
        __name__,
        info=Info(title="Apiary", version="0.1.0", description="Five REST APIs behind one identity system."),
        validation_error_callback=raise_validation_failed,
    )
    app.json = StrictJSONProvider(app)
    app.session_interface = NoSessions()
    app.config.from_mapping(settings.flask_config(), MAX_CONTENT_LENGTH=MAX_BODY_BYTES)
    app.extensions["apiary.settings"] = settings
    if settings.proxy_count:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=settings.proxy_count, x_proto=settings.proxy_count, x_host=settings.proxy_count
        )
    register_extensions(app, settings)
    register_converters(app)
    register_blueprints(app)
    register_security_headers(app, docs_paths=register_docs(app))
    register_request_logging(app)  # first: a request the guard refuses is logged under its own id too
    register_request_checks(app)
    register_auth(app)
    register_rate_limits(app)
    register_error_handlers(app, fallback_blueprint="account")
    register_token_answers(app)
    register_metrics(app)
    register_commands(app)
    return app


def register_extensions(app: OpenAPI, settings: Settings) -> None:
    """Bind the database, migrations, CORS, password hasher and token codec."""
    create_sqlite_file(settings.database_url, instance_dir=settings.instance_dir)
    db.init_app(app)
    register_session_cleanup(app)
    migrate.init_app(app, db)
    CORS(app, origins=settings.cors_origins, expose_headers=["X-Request-ID", "Link", "X-Total-Count"])
    init_passwords(app, settings)
    init_account_limits(app, settings)
    init_tokens(app, settings)


def register_blueprints(app: OpenAPI) -> None:
    """Mount each API with the dialect its errors are written in, and the paths they share."""
    from apiary import account, bucketlist, forum, oauth, review, shared, store

    for api in (account, store, bucketlist, forum, review, oauth):
        app.register_api(api.bp)
        register_dialect(app, api.bp.name, api.DIALECT)
    app.register_api(shared.bp)


def register_commands(app: OpenAPI) -> None:
    """Add Apiary's own commands to `flask` and `apiary`."""
    from apiary.commands import create_user, keys, prune_tokens, seed_demo

    for command in (create_user, seed_demo, prune_tokens, keys):
        app.cli.add_command(command)
