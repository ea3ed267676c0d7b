"""Store tables: categories and their products."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from apiary.core.counts import count_rows_of
from apiary.core.db import Base
from apiary.core.identity import MAX_NAME_LENGTH, MAX_TEXT_LENGTH


class Category(Base):
    __tablename__ = "categories"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(MAX_NAME_LENGTH), unique=True)

    products: so.WriteOnlyMapped["Product"] = so.relationship(back_populates="category")


class Product(Base):
    __tablename__ = "products"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(MAX_NAME_LENGTH), unique=True)
    description: so.Mapped[str | None] = so.mapped_column(sa.String(MAX_TEXT_LENGTH))
    price: so.Mapped[int]
    in_stock: so.Mapped[bool] = so.mapped_column(default=True)
    category_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("categories.id"), index=True)

    category: so.Mapped[Category] = so.relationship(back_populates="products")


# GET /products answers with the total of every product: the database keeps it (core.counts).
count_rows_of(Product.__tablename__)
