# Wallboard web app. Run with a real Redis: docker run -e REDIS_URL=redis://redis:6379/0 -p 8050:8050 wallboard
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

COPY pyproject.toml README.md ./
COPY kpi ./kpi
COPY dashboard ./dashboard
COPY connectors ./connectors
COPY wallboard ./wallboard
COPY assets ./assets
RUN pip install --disable-pip-version-check -e . \
 && useradd --system --uid 10001 wallboard

USER wallboard
EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=3s \
  CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8050/api/v1/health', timeout=2)"
CMD ["wallboard", "serve", "--host", "0.0.0.0", "--port", "8050", "--workers", "2"]
