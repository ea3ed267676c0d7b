"""Store API (spec 000): categories and products, written by admins and sellers."""

from apiary.core.errors import ErrorDialect
from apiary.store import services
from apiary.store.routes import bp
from apiary.store.schemas import render_error

DIALECT = ErrorDialect(
    render=render_error,
    url_prefixes=("/products", "/categories", "/welcome"),
    statuses={services.NameTaken: 422, services.UnknownCategory: 422},
)

__all__ = ["DIALECT", "bp"]
