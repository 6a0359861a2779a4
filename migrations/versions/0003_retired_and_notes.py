"""retired ids (seeds/retired.toml); the seeds' notes of priorities and statements

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 13:08:31.261302
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "retired",
        sa.Column("collection", sa.String(), nullable=False),
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("successor_collection", sa.String(), nullable=True),
        sa.Column("successor", sa.String(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("retired_in", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("collection", "id", name=op.f("pk_retired")),
    )
    with op.batch_alter_table("priorities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.String(), nullable=True))
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("note", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_column("note")
    with op.batch_alter_table("priorities", schema=None) as batch_op:
        batch_op.drop_column("note")
    op.drop_table("retired")
