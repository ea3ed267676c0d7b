# Apiary's image: migrations, then gunicorn. Everything it runs is installed at build time.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    APIARY_ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    INSTANCE_DIR=/app/instance

RUN useradd --create-home --uid 10001 apiary
WORKDIR /app
COPY pyproject.toml README.md gunicorn.conf.py ./
COPY src ./src
COPY migrations ./migrations
# Editable, so that the package finds migrations/ beside src/ as it does in a checkout.
RUN pip install -e . && mkdir -p instance && chown apiary:apiary instance

USER apiary
EXPOSE 8000
CMD ["sh", "-c", "apiary db upgrade && exec gunicorn --config gunicorn.conf.py 'apiary:create_app()'"]
