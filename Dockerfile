# One image for every laborguard service; docker-compose.yml picks the command
# (`laborguard registry`, `laborguard screener`, `laborguard replay`, ...).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# Dependencies in their own layer: a source change does not reinstall them.
COPY pyproject.toml constraints.txt ./
RUN python -c "import tomllib; d = tomllib.load(open('pyproject.toml', 'rb')); \
print('\n'.join(d['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -c constraints.txt -r /tmp/requirements.txt

COPY schemas ./schemas
COPY services ./services
RUN pip install --no-deps . \
    && useradd --system --uid 10001 --home-dir /app laborguard \
    && mkdir -p /app/var && chown laborguard /app/var

USER laborguard
EXPOSE 8080 6066
CMD ["laborguard", "--help"]
