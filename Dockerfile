# Wallboard: the web app (default command) and the sync worker (`wallboard sync`), one image.
# Stage 1 builds a wheel; the final stage installs only that wheel (no source tree, no build tools) and
# runs as a non-root user. tests/test_image_install.py repeats these build and start steps in a fresh
# venv, because Docker cannot run on the development machines; hadolint lints this file in the suite.

FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
RUN pip install --no-cache-dir build==1.6.1
COPY pyproject.toml README.md ./
COPY kpi ./kpi
COPY dashboard ./dashboard
COPY connectors ./connectors
COPY wallboard ./wallboard
RUN python -m build --wheel --outdir /dist

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    WALLBOARD_BIND=0.0.0.0:8050 PROMETHEUS_MULTIPROC_DIR=/tmp/wallboard-metrics
COPY --from=build /dist/ /tmp/dist/
RUN pip install --no-cache-dir /tmp/dist/*.whl \
 && rm -rf /tmp/dist \
 && useradd --system --uid 10001 --no-create-home --shell /usr/sbin/nologin wallboard
WORKDIR /srv/wallboard
USER 10001
EXPOSE 8050
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('WALLBOARD_BIND', ':8050').rsplit(':', 1)[1] + '/healthz', timeout=2)"]
CMD ["wallboard", "serve"]
