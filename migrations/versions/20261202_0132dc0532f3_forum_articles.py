"""forum articles

Revision ID: 0132dc0532f3
Revises: 9b3e1d7c5a20
Create Date: 2026-12-02 10:24:12.910770

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0132dc0532f3"
down_revision = "9b3e1d7c5a20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("date_posted", sa.DateTime(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_article_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
    )
    # Listings read newest first, ties broken by id; the author's index also serves the foreign key.
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.create_index(
            "ix_article_newest_first", [sa.text("date_posted DESC"), sa.text("id DESC")], unique=False
        )
        batch_op.create_index(
            "ix_article_author_newest_first",
            ["user_id", sa.text("date_posted DESC"), sa.text("id DESC")],
            unique=False,
        )


def downgrade():
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index("ix_article_author_newest_first")
        batch_op.drop_index("ix_article_newest_first")

    op.drop_table("article")
