"""identity hardening: revocation that sticks, bounded text columns

Revision ID: 9b3e1d7c5a20
Revises: 4f5ca8e7fa4f
Create Date: 2026-12-02 10:45:00

Tokens recorded before this revision have no precise issue time; they get the epoch, so that the next
password change of their user refuses them like every other older token.
"""

from datetime import datetime

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "9b3e1d7c5a20"
down_revision = "4f5ca8e7fa4f"
branch_labels = None
depends_on = None

# The lengths of apiary.core.identity, written out: a migration never changes with the code.
TEXT_COLUMNS = {
    "users": {"username": 64, "email": 256, "password_hash": 255},
    "tokens": {"user_identity": 256},
    "categories": {"name": 255},
    "products": {"name": 255, "description": 10_000},
}


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("password_changed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.add_column(sa.Column("issued_at", sa.DateTime(), nullable=True))
    tokens = sa.table("tokens", sa.column("issued_at", sa.DateTime()))
    op.execute(tokens.update().values(issued_at=datetime(1970, 1, 1)))
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.alter_column("issued_at", existing_type=sa.DateTime(), nullable=False)
    _set_lengths(lambda length: sa.String(length=length), lambda _length: sa.String())


def downgrade():
    _set_lengths(lambda _length: sa.String(), lambda length: sa.String(length=length))
    with op.batch_alter_table("tokens", schema=None) as batch_op:
        batch_op.drop_column("issued_at")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("password_changed_at")


def _set_lengths(new_type, old_type):
    for table, columns in TEXT_COLUMNS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, length in columns.items():
                batch_op.alter_column(column, existing_type=old_type(length), type_=new_type(length))
