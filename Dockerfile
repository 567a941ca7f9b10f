# syntax=docker/dockerfile:1
# The Newsroom image: gunicorn serving the site, or any `manage.py` command (the worker, the
# migrations) with another command. How to run it: docs/operations.md.
#
#   docker build -t newsroom .
#
# No secret is baked in: SECRET_KEY, DATABASE_URL and the rest come from the environment
# when a container starts.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --- build: the project's wheel and the wheels of everything it depends on ------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY . .
# The wheel carries the site's templates, static files and fixtures (setup.py), so the
# runtime needs nothing of the checkout but gunicorn.conf.py and manage.py.
RUN pip wheel --wheel-dir /wheels .

# --- runtime: the installed wheels and the collected static files, run as `newsroom` ---------
FROM ${PYTHON_IMAGE} AS runtime
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=newsroom.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media \
    DATASET_ROOT=/app/datasets \
    LOG_FORMAT=json \
    PORT=8000
RUN groupadd --system --gid 10001 newsroom \
    && useradd --system --uid 10001 --gid newsroom --home-dir /app --shell /usr/sbin/nologin newsroom
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links /wheels newsroom
WORKDIR /app
COPY gunicorn.conf.py manage.py ./
# Hashed, compressed names, served by whitenoise: collected once, into the image. The media
# and dataset folders are where the shared volumes are mounted (compose.yaml).
RUN python manage.py collectstatic --no-input -v0 \
    && mkdir -p media datasets \
    && chown newsroom:newsroom media datasets
USER newsroom:newsroom
EXPOSE 8000
# Liveness: /healthz asked on the container's own port, with a host ALLOWED_HOSTS accepts.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "newsroom.probe", "/healthz"]
# Workers: WEB_CONCURRENCY (gunicorn's own variable; 2 in compose.yaml).
# No control socket: it would be made in the home folder, which is not the user's to write.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", "--no-control-socket", \
     "newsroom.wsgi"]
