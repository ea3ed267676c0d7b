"""Store API (spec 000): categories and products, written by admins and sellers."""

from apiary.store.routes import bp
from apiary.store.schemas import render_error

URL_PREFIXES = ("/products", "/categories", "/welcome")

__all__ = ["URL_PREFIXES", "bp", "render_error"]
