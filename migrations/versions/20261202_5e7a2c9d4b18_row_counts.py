"""row counts kept by triggers: the products total without a scan

Revision ID: 5e7a2c9d4b18
Revises: 0bc7fd72676c
Create Date: 2026-12-02 16:00:00.000000

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "5e7a2c9d4b18"
down_revision = "0bc7fd72676c"
branch_labels = None
depends_on = None

# Frozen here as this revision made them (apiary.core.counts makes the same for create_all).
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
EVENTS = {"insert": ("NEW", "+"), "delete": ("OLD", "-")}


def upgrade():
    op.create_table(
        "row_counts",
        sa.Column("table_name", sa.String(length=64), nullable=False),
        sa.Column("row_total", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_row_counts")),
    )
    op.execute("INSERT INTO row_counts (table_name, row_total) SELECT 'products', count(*) FROM products")
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute(POSTGRES_FUNCTION)
    for event, (side, sign) in EVENTS.items():
        if postgres:
            op.execute(
                f"CREATE TRIGGER products_count_{event} AFTER {event.upper()} ON products REFERENCING {side} TABLE "
                "AS written FOR EACH STATEMENT EXECUTE FUNCTION count_rows()"
            )
        else:
            op.execute(
                f"CREATE TRIGGER products_count_{event} AFTER {event.upper()} ON products BEGIN "
                f"UPDATE row_counts SET row_total = row_total {sign} 1 WHERE table_name = 'products'; END"
            )


def downgrade():
    postgres = op.get_bind().dialect.name == "postgresql"
    for event in EVENTS:
        op.execute(f"DROP TRIGGER products_count_{event}" + (" ON products" if postgres else ""))
    if postgres:
        op.execute("DROP FUNCTION count_rows()")
    op.drop_table("row_counts")
