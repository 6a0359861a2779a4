"""the priorities' country; readable views for the downloads' readers (issue 22)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 08:50:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Each the joins every question about the table starts with, names beside ids (README,
# "Download the data"). Lists are `; `-joined in their order, as in the package's CSVs.
VIEWS = {
    "priorities_by_country": """
SELECT c.id AS country_id, c.name AS country, l.id AS leader_id, l.name AS leader,
       s.id AS summit_id, s.name AS summit, e.name AS event, p.position, p.id AS priority_id,
       p.kind, p.title,
       (SELECT group_concat(name, '; ') FROM (
            SELECT t.name FROM priority_themes pt JOIN themes t ON t.id = pt.theme_id
            WHERE pt.priority_id = p.id ORDER BY pt.position)) AS themes,
       p.dispute
FROM priorities p
JOIN countries c ON c.id = p.country_id
JOIN leaders l ON l.id = p.leader_id
JOIN summits s ON s.id = p.summit_id
LEFT JOIN events e ON e.id = p.event_id
ORDER BY c.position, s.ordinal DESC, p.position""",
    "agreement_parties_named": """
SELECT a.id AS agreement_id, a.title AS agreement, s.name AS summit, ap.position,
       c.id AS country_id, c.name AS country, ap.role
FROM agreement_parties ap
JOIN agreements a ON a.id = ap.agreement_id
JOIN countries c ON c.id = ap.country_id
JOIN summits s ON s.id = a.summit_id
ORDER BY s.ordinal DESC, a.position, ap.position""",
    "citations_named": """
SELECT ci.record_type, ci.record_id, ci.position, ci.source_id, so.title, so.publisher,
       so.published, so.url, so.directness, ci.excerpt
FROM citations ci
JOIN sources so ON so.id = ci.source_id
ORDER BY ci.record_type, ci.record_id, ci.position""",
}


def upgrade() -> None:
    # The reference inline (ADD COLUMN ... REFERENCES), not a rebuilt table (as in 0004);
    # so the column is nullable, and the loader always fills it.
    op.execute(
        "ALTER TABLE priorities ADD COLUMN country_id VARCHAR "
        "CONSTRAINT fk_priorities_country_id_countries REFERENCES countries (id)"
    )
    op.create_index("ix_priorities_country_id", "priorities", ["country_id"], unique=False)
    for name, select in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS{select}")


def downgrade() -> None:
    for name in reversed(VIEWS):
        op.execute(f"DROP VIEW {name}")
    op.drop_index("ix_priorities_country_id", table_name="priorities")
    with op.batch_alter_table("priorities", schema=None) as batch_op:
        batch_op.drop_column("country_id")
