"""search index: an FTS5 table over every resource

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 07:05:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# unicode61 with remove_diacritics 2 folds case and diacritics (Žaparov -> zaparov);
# the prefix indexes keep typeahead queries ("glac", "mirz") fast.
SEARCH_TABLE = """
CREATE VIRTUAL TABLE search USING fts5(
    type UNINDEXED,
    id UNINDEXED,
    url UNINDEXED,
    position UNINDEXED,
    title,
    aliases,
    body,
    tokenize = "unicode61 remove_diacritics 2",
    prefix = '2 3 4'
)
"""


def upgrade() -> None:
    op.execute(SEARCH_TABLE)


def downgrade() -> None:
    op.execute("DROP TABLE search")
