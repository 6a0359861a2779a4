# Summit API: an immutable image with the database built in at image build time.
# The steps mirror README.md ("Run it without make"): venv, pinned install, load, serve.
# CI (.ci/deploy-check) passes a local Debian base with --build-arg BASE_IMAGE=...; anyone
# else gets the official image.
ARG BASE_IMAGE=python:3.11-slim

FROM ${BASE_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /srv/summit-api
# Pinned build tools, then the pinned dependencies alone, from pyproject.toml and
# constraints.txt only: a change to the code does not reinstall them.
COPY pyproject.toml constraints.txt ./
RUN python -m venv .venv \
    && .venv/bin/pip install pip==26.3 setuptools==84.2.1 \
    && python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" >/tmp/requirements.txt \
    && .venv/bin/pip install -c constraints.txt -r /tmp/requirements.txt
COPY README.md ./
COPY app ./app
COPY migrations ./migrations
COPY seeds ./seeds
# The project itself (its dependencies are in the layer above; the pinned setuptools builds
# it), the database, then no pip or setuptools left, and every module compiled: the root
# filesystem is read-only at run time.
# The verbatim-excerpt check is off: the source texts (../shared/sources) are outside the build context.
RUN .venv/bin/pip install -c constraints.txt -e . --no-deps --no-build-isolation \
    && .venv/bin/summit-api load --db data/summit.db \
    && .venv/bin/pip uninstall --yes pip setuptools \
    && .venv/bin/python -m compileall -q -j 0 --invalidation-mode unchecked-hash app migrations .venv/lib

FROM ${BASE_IMAGE}
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    DATABASE_URL=sqlite:////srv/summit-api/data/summit.db \
    PATH=/srv/summit-api/.venv/bin:$PATH
WORKDIR /srv/summit-api
# No package installer at run time: the official base ships pip, setuptools and wheel.
RUN useradd --system --uid 10001 --no-create-home summit \
    && rm -rf /usr/local/bin/pip* /usr/local/lib/python3*/site-packages/pip \
        /usr/local/lib/python3*/site-packages/pip-* /usr/local/lib/python3*/site-packages/setuptools* \
        /usr/local/lib/python3*/site-packages/wheel* /usr/local/lib/python3*/site-packages/_distutils_hack \
        /usr/local/lib/python3*/site-packages/distutils-precedence.pth
COPY --from=build /srv/summit-api /srv/summit-api
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
    CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health', timeout=2).status != 200)"]
CMD ["summit-api", "serve", "--host", "0.0.0.0", "--port", "8000"]
