"""The loader: seeds/*.toml -> validated records -> rows -> a new SQLite file, swapped in.

Imported only by `summit-api load | check`; serving never imports it.
"""

from app.loader.database import load
from app.loader.validate import Dataset, SeedError, SeedsRefused, read_seeds

__all__ = ["Dataset", "SeedError", "SeedsRefused", "load", "read_seeds"]
