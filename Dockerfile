# Summit API: an immutable image with the database built in at image build time.
# The steps mirror README.md ("Run it yourself"): venv, pinned install, load, serve.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /srv/summit-api
COPY pyproject.toml constraints.txt README.md ./
COPY app ./app
COPY migrations ./migrations
COPY seeds ./seeds
RUN python -m venv .venv \
    && .venv/bin/pip install -c constraints.txt -e . \
    && .venv/bin/summit-api load --db data/summit.db

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite:////srv/summit-api/data/summit.db \
    PATH=/srv/summit-api/.venv/bin:$PATH
WORKDIR /srv/summit-api
RUN useradd --system --uid 10001 --no-create-home summit
COPY --from=build /srv/summit-api /srv/summit-api
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"]
CMD ["summit-api", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "1"]
