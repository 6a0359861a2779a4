"""Response models: the public contract, written out field by field.

Keys are only ever added, never renamed or removed. Every representation is built once at
start-up as one of these objects (construction validates it) and keeps its own JSON bytes.
"""

from app.schemas.base import Out
from app.schemas.records import (
    Agreement,
    AttributeClaim,
    Change,
    Citation,
    Country,
    CountryNames,
    CountryRole,
    Event,
    Leader,
    Party,
    Priority,
    Source,
    Speaker,
    Statement,
    Summary,
    Summit,
    Theme,
    ThemeCountry,
    ThemeDetail,
    ThemeGroup,
    ValueClaim,
)
from app.schemas.service import (
    DatasetInfo,
    FacetCount,
    Health,
    Index,
    Meta,
    Page,
    ProblemType,
    SearchHit,
)

__all__ = [
    "Agreement",
    "AttributeClaim",
    "Change",
    "Citation",
    "Country",
    "CountryNames",
    "CountryRole",
    "DatasetInfo",
    "Event",
    "FacetCount",
    "Health",
    "Index",
    "Leader",
    "Meta",
    "Out",
    "Page",
    "Party",
    "Priority",
    "ProblemType",
    "SearchHit",
    "Source",
    "Speaker",
    "Statement",
    "Summary",
    "Summit",
    "Theme",
    "ThemeCountry",
    "ThemeDetail",
    "ThemeGroup",
    "ValueClaim",
]
