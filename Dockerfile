# The portal as one image, used by docker-compose.yml for the web server, the
# Celery worker (which also makes the PDF reports) and Celery beat.
# Build: docker build -t ria-portal .

# --- Stage 1: front-end assets ----------------------------------------------
# Built with the same Makefile rules as `make assets`, so the image serves
# exactly what a developer's checkout does. The full node image has make.
FROM node:20-bookworm AS assets

WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

COPY Makefile THIRD_PARTY_NOTICES.md ./
COPY static/src static/src
# Mark node_modules as up to date so that make does not install it again.
RUN touch node_modules/.package-lock.json && make assets


# --- Stage 2: the application ----------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WEB_CONCURRENCY=3

# WeasyPrint, which makes the PDF reports, needs the Pango text library; the
# reports are set in Arial or its metric twin Liberation Sans. With fontconfig
# installed, the font cache is built here rather than by each process that
# starts (the portal's user could not save it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation fontconfig \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system ria \
    && useradd --system --gid ria --home-dir /app --no-create-home ria

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt

COPY . .
COPY --from=assets /src/static/dist static/dist

# collectstatic only reads settings; the key is thrown away with this layer's
# environment and is never the running portal's.
RUN SECRET_KEY=collectstatic-only DEBUG=false \
    python manage.py collectstatic --no-input

# Uploads live in a volume mounted here; the directory must belong to the
# user the portal runs as.
RUN mkdir -p /app/media && chown ria:ria /app/media

USER ria
EXPOSE 8000

# gunicorn reads the number of workers from WEB_CONCURRENCY.
CMD ["gunicorn", "ria_portal.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
