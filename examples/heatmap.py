"""The chart a newsroom would publish: which country's leader named which theme at the
summit, drawn from the downloaded database (README, "A newsroom's first hour").

    curl -OJ http://localhost:8000/dataset.db
    python examples/heatmap.py summit-2026-12-02.db heatmap.png

Counts a leader's own priorities and proposals under each theme, as `GET /themes` and the
package's theme_matrix do (`priority_count`): an endorsement of another's is not his own.
Prints each country's total, and writes the PNG.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # a file, no display
import matplotlib.pyplot as plt

QUERY = """
SELECT c.name, t.name, count(*)
FROM priorities p
JOIN countries c ON c.id = p.country_id
JOIN priority_themes pt ON pt.priority_id = p.id
JOIN themes t ON t.id = pt.theme_id
WHERE p.kind != 'endorsement'
GROUP BY c.id, t.id
ORDER BY c.position, t.position
"""

Counts = dict[tuple[str, str], int]


def counts(db: Path) -> Counts:
    """(country, theme) -> how many of that country's priorities fall under the theme."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return {(country, theme): n for country, theme, n in conn.execute(QUERY)}


def draw(cells: Counts, out: Path) -> None:
    countries = list(dict.fromkeys(country for country, _ in cells))
    totals: dict[str, int] = {}
    for (_, theme), n in cells.items():
        totals[theme] = totals.get(theme, 0) + n
    themes = sorted(totals, key=lambda t: -totals[t])  # most named first; ties in seed order
    grid = [[cells.get((c, t), 0) for t in themes] for c in countries]
    fig, ax = plt.subplots(figsize=(12, 4.2), dpi=100)
    ax.imshow(grid, cmap="Blues", vmin=0, aspect="auto")
    ax.set_xticks(range(len(themes)), themes, rotation=45, ha="right")
    ax.set_yticks(range(len(countries)), countries)
    for y, row in enumerate(grid):
        for x, n in enumerate(row):
            if n:
                ax.text(x, y, str(n), ha="center", va="center", color="white" if n > 1 else "k")
    ax.set_title("What each leader put forward at the Astana summit (2025), by theme")
    fig.text(0.01, 0.01, "Source: Summit API dataset (CC BY 4.0); own priorities and proposals")
    fig.tight_layout()
    fig.savefig(out, metadata={"Software": None})  # no version stamp: the same chart, same bytes
    plt.close(fig)


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print("usage: python examples/heatmap.py SUMMIT.db OUT.png", file=sys.stderr)
        return 2
    cells = counts(Path(argv[1]))
    draw(cells, Path(argv[2]))
    for country in dict.fromkeys(country for country, _ in cells):
        print(f"{country}: {sum(n for (c, _), n in cells.items() if c == country)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
