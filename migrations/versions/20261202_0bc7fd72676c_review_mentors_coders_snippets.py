"""review mentors, coders and snippets

Revision ID: 0bc7fd72676c
Revises: 8d2b6c1e3f47
Create Date: 2026-12-02 10:27:19.280760

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0bc7fd72676c"
down_revision = "8d2b6c1e3f47"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mentors",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mentors_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mentors")),
        sa.UniqueConstraint("user_id", name=op.f("uq_mentors_user_id")),
        sa.UniqueConstraint("username", name=op.f("uq_mentors_username")),
    )
    op.create_table(
        "coders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("mentor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["mentor_id"], ["mentors.id"], name=op.f("fk_coders_mentor_id_mentors"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_coders_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coders")),
        sa.UniqueConstraint("user_id", name=op.f("uq_coders_user_id")),
        sa.UniqueConstraint("username", name=op.f("uq_coders_username")),
    )
    with op.batch_alter_table("coders", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coders_mentor_id"), ["mentor_id"], unique=False)

    op.create_table(
        "snippet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("snippet_name", sa.String(length=200), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("comments", sa.String(), nullable=True),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coders.id"], name=op.f("fk_snippet_coder_id_coders"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_snippet")),
    )
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_snippet_coder_id"), ["coder_id"], unique=False)


def downgrade():
    with op.batch_alter_table("snippet", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_snippet_coder_id"))

    op.drop_table("snippet")
    with op.batch_alter_table("coders", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coders_mentor_id"))

    op.drop_table("coders")
    op.drop_table("mentors")
