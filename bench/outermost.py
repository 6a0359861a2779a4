"""The API with the HTTP cache in front of FastAPI's whole stack instead of innermost:
`bench/run.py --api-target bench.outermost:app` measures what a hit costs when no
middleware runs before the cache (bench/README.md has the figures).

This is a measured alternative, not how app/main.py assembles the app. With CORS inside
the cache, the cache keys on `Origin` too (CORS's headers depend on it).
"""

from app.http_cache import HttpCache
from app.main import create_app
from app.settings import Settings

settings = Settings()
api = create_app(settings)
api.user_middleware = [  # the same app without the innermost cache
    m
    for m in api.user_middleware
    if m.cls is not HttpCache  # type: ignore[comparison-overlap]
]
app = HttpCache(
    api,
    max_entries=settings.response_cache_entries,
    max_bytes=settings.response_cache_bytes,
    cache_control=f"public, max-age={settings.cache_max_age}, "
    f"stale-while-revalidate={settings.cache_stale_while_revalidate}",
    key_headers=("origin",),
)
