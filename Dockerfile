# 汴学 Bianxue production image: one image for web (daphne), worker and beat (celery).
# Build: docker compose build   (docker-compose.yml passes nothing secret at build time)
# The build steps live in deploy/build-image, which CI also runs without Docker (tests/deploy/test_image_build.py).

# Front-end packages pinned by frontend/design/package-lock.json (Chart.js for the dashboard).
FROM node:22-bookworm-slim AS assets
WORKDIR /src/frontend/design
COPY frontend/design/package.json frontend/design/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
# gettext: msgfmt for compilemessages (build stage only).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
COPY --from=assets /src/frontend/design/node_modules frontend/design/node_modules
# Production dependencies only (requirements.lock), the project as a regular package with its compiled
# translations and front-end assets, bytecode compiled, static files collected into /opt/bianxue/static.
RUN deploy/build-image /opt/bianxue


FROM python:3.11-slim
ENV PATH=/opt/bianxue/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=bianxue.settings.production \
    STATIC_ROOT=/opt/bianxue/static
# fonts-noto-cjk: PDFs take hanzi outside the shipped GB 2312 font (rare characters in names) from it (docs/i18n.md).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-noto-cjk \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system bianxue && useradd --system --gid bianxue --home-dir /app bianxue
# Code and static files belong to root: the runtime user can read them, not change them.
COPY --from=build /opt/bianxue /opt/bianxue
WORKDIR /app
RUN mkdir -p var/media var/private var/beat && chown -R bianxue:bianxue var
USER bianxue

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["python", "-m", "bianxue.healthcheck"]
# web; docker-compose.yml runs the worker, beat and the one-shot migrate step from the same image.
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "bianxue.asgi:application"]
