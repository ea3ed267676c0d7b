"""bucketlists and items

Revision ID: 8d2b6c1e3f47
Revises: 0132dc0532f3
Create Date: 2026-12-02 10:26:05.077978

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "8d2b6c1e3f47"
down_revision = "0132dc0532f3"
branch_labels = None
depends_on = None


def upgrade():
    # ON DELETE CASCADE: deleting an account deletes its bucketlists, and a bucketlist its items.
    op.create_table(
        "bucketlists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("date_created", sa.DateTime(), nullable=False),
        sa.Column("date_modified", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_bucketlists_created_by_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bucketlists")),
    )
    with op.batch_alter_table("bucketlists", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bucketlists_created_by"), ["created_by"], unique=False)

    op.create_table(
        "items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("date_created", sa.DateTime(), nullable=False),
        sa.Column("date_modified", sa.DateTime(), nullable=False),
        sa.Column("bucketlist_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bucketlist_id"], ["bucketlists.id"], name=op.f("fk_items_bucketlist_id_bucketlists"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_items")),
    )
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_items_bucketlist_id"), ["bucketlist_id"], unique=False)


def downgrade():
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_items_bucketlist_id"))

    op.drop_table("items")
    with op.batch_alter_table("bucketlists", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_bucketlists_created_by"))

    op.drop_table("bucketlists")
