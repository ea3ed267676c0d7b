"""Exact row counts the database keeps itself: a table's triggers add or take one per row written, so a
total costs one primary-key read instead of a scan (SQLite has no cheaper COUNT), on every instance, and
it can never be stale: the count changes in the same transaction as the rows."""

import sqlalchemy as sa
import sqlalchemy.orm as so

from apiary.core.db import Base
from apiary.core.extensions import db

# PostgreSQL: one statement-level trigger per event, adding up the statement's rows at once.
POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION count_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE row_counts SET row_total = row_total + (SELECT count(*) FROM written) WHERE table_name = TG_TABLE_NAME;
    ELSE
        UPDATE row_counts SET row_total = row_total - (SELECT count(*) FROM written) WHERE table_name = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END $$
"""


class RowCount(Base):
    """How many rows a counted table holds."""

    __tablename__ = "row_counts"

    table_name: so.Mapped[str] = so.mapped_column(sa.String(64), primary_key=True)
    row_total: so.Mapped[int] = so.mapped_column(sa.BigInteger())


def trigger_statements(table: str, dialect: str) -> list[str]:
    """The DDL that starts counting `table` (its row in row_counts, then the triggers)."""
    start = f"INSERT INTO row_counts (table_name, row_total) SELECT '{table}', count(*) FROM {table}"
    if dialect == "postgresql":
        return [
            POSTGRES_FUNCTION,
            start,
            *(
                f"CREATE TRIGGER {table}_count_{event.lower()} AFTER {event} ON {table} "
                f"REFERENCING {side} TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION count_rows()"
                for event, side in (("INSERT", "NEW"), ("DELETE", "OLD"))
            ),
        ]
    return [
        start,
        *(
            f"CREATE TRIGGER {table}_count_{event.lower()} AFTER {event} ON {table} BEGIN "
            f"UPDATE row_counts SET row_total = row_total {sign} 1 WHERE table_name = '{table}'; END"
            for event, sign in (("INSERT", "+"), ("DELETE", "-"))
        ),
    ]


def count_rows_of(table: str) -> None:
    """Count `table` in row_counts from its creation by create_all (the migrations do the same)."""

    def start(metadata: sa.MetaData, connection: sa.Connection, *, tables: list[sa.Table], **_: object) -> None:
        if table not in {created.name for created in tables}:
            return  # there already, and counted since it was made (create_all on an existing database)
        for statement in trigger_statements(table, connection.dialect.name):
            connection.exec_driver_sql(statement)

    sa.event.listen(Base.metadata, "after_create", start)


def row_count(table: str) -> int:
    """The exact number of rows of a counted table."""
    return db.session.scalar(sa.select(RowCount.row_total).where(RowCount.table_name == table)) or 0
