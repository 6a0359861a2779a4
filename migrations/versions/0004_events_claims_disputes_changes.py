"""events; claims, disputes and preferred claims on every record; party roles, speaker kinds,
source directness; the published changes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 07:17:25.160032
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "changes",
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("collection", sa.String(), nullable=False),
        sa.Column("record", sa.String(), nullable=False),
        sa.Column("field", sa.String(), nullable=False),
        sa.Column("before", sa.String(), nullable=True),
        sa.Column("after", sa.String(), nullable=True),
        sa.Column("why", sa.String(), nullable=False),
        sa.Column("source_id", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_changes_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("position", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_changes_record"), ["record"], unique=False)
        batch_op.create_index(batch_op.f("ix_changes_version"), ["version"], unique=False)

    op.create_table(
        "claims",
        sa.Column("record_type", sa.String(), nullable=False),
        sa.Column("record_id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("attribute", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("preferred", sa.Boolean(), nullable=False),
        sa.Column("source_id", sa.String(), nullable=False),
        sa.Column("excerpt", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["sources.id"], name=op.f("fk_claims_source_id_sources")
        ),
        sa.PrimaryKeyConstraint("record_type", "record_id", "position", name=op.f("pk_claims")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_source_id"), ["source_id"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("summit_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("date", sa.String(), nullable=False),
        sa.Column("place", sa.String(), nullable=False),
        sa.Column("participants", sa.JSON(), nullable=False),
        sa.Column("description", sa.String(), nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("dispute", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["summit_id"], ["summits.id"], name=op.f("fk_events_summit_id_summits")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_events_summit_id"), ["summit_id"], unique=False)

    with op.batch_alter_table("agreement_claims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preferred", sa.Boolean(), nullable=False))

    with op.batch_alter_table("agreement_parties", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(), nullable=False))

    with op.batch_alter_table("agreement_values", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preferred", sa.Boolean(), nullable=False))

    for table in ("agreements", "priorities", "statements"):
        # The reference inline (ADD COLUMN ... REFERENCES), not a rebuilt table: a rebuild
        # writes the table's constraints in a different order each run.
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN event_id VARCHAR "
            f"CONSTRAINT fk_{table}_event_id_events REFERENCES events (id)"
        )
        if table == "statements":
            op.add_column(table, sa.Column("speaker_kind", sa.String(), nullable=False))
        op.add_column(table, sa.Column("dispute", sa.String(), nullable=True))

    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("directness", sa.String(), nullable=False))
        batch_op.add_column(sa.Column("published_inferred", sa.Boolean(), nullable=False))

    with op.batch_alter_table("summits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dispute", sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("summits", schema=None) as batch_op:
        batch_op.drop_column("dispute")

    with op.batch_alter_table("statements", schema=None) as batch_op:
        batch_op.drop_column("dispute")
        batch_op.drop_column("speaker_kind")
        batch_op.drop_column("event_id")

    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("published_inferred")
        batch_op.drop_column("directness")

    with op.batch_alter_table("priorities", schema=None) as batch_op:
        batch_op.drop_column("dispute")
        batch_op.drop_column("event_id")

    with op.batch_alter_table("agreements", schema=None) as batch_op:
        batch_op.drop_column("dispute")
        batch_op.drop_column("event_id")

    with op.batch_alter_table("agreement_values", schema=None) as batch_op:
        batch_op.drop_column("preferred")

    with op.batch_alter_table("agreement_parties", schema=None) as batch_op:
        batch_op.drop_column("role")

    with op.batch_alter_table("agreement_claims", schema=None) as batch_op:
        batch_op.drop_column("preferred")

    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_summit_id"))

    op.drop_table("events")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_source_id"))

    op.drop_table("claims")
    with op.batch_alter_table("changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_changes_version"))
        batch_op.drop_index(batch_op.f("ix_changes_record"))

    op.drop_table("changes")
