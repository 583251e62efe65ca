# 汴学 Bianxue production image: one image for web (daphne), worker and beat (celery).
# Build: docker compose build   (docker-compose.yml passes nothing secret at build time)
FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
# gettext: msgfmt for compilemessages (build stage only).
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app

# Pinned dependencies first, so that code changes reuse this layer.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY . .
# Editable on purpose: settings find frontend/locale, var/ and the templates relative to the source
# tree (BASE_DIR), which a copy in site-packages would not have.
RUN pip install --no-deps -e .

# Build-time values only, so that production settings import; they never reach the final image.
RUN export DJANGO_SETTINGS_MODULE=bianxue.settings.production \
        SECRET_KEY="build-$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
        PII_HASH_KEY=build-only \
        PII_ENCRYPTION_KEY="$(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')" \
        CREDENTIAL_SIGNING_KEY="$(python -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')" \
    && python manage.py compilemessages -v0 --ignore "*/node_modules/*" \
    && python manage.py collectstatic --noinput -v0


FROM python:3.11-slim

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=bianxue.settings.production
RUN groupadd --system bianxue && useradd --system --gid bianxue --home-dir /app bianxue
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=bianxue:bianxue /app /app
WORKDIR /app
RUN mkdir -p var/media var/beat && chown -R bianxue:bianxue var
USER bianxue

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["python", "-m", "bianxue.healthcheck"]
# web; docker-compose.yml runs the worker, beat and the one-shot migrate step from the same image.
CMD ["daphne", "--bind", "0.0.0.0", "--port", "8000", "bianxue.asgi:application"]
