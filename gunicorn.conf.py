"""gunicorn's settings for `make run`, the Procfile and the Docker image (gunicorn reads this file itself).

Each worker runs several threads, so a client that sends its request slowly holds one thread, not the
worker; in front of several instances, nginx (docker-compose.yml) buffers whole requests as well.
"""

import multiprocessing
import os
import tempfile

import structlog

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count())
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 30
keepalive = 5
# gunicorn's control socket has one default path per user ($HOME/.gunicorn/gunicorn.ctl), so several
# instances on one host would take it from each other; nothing here uses gunicornc.
control_socket_disable = True
# gunicorn's default bounds of the request line and of a header, which core/http.py applies in the app too
# (importing them from there would load prometheus_client before PROMETHEUS_MULTIPROC_DIR is set below), and
# fewer headers than its default of 100: no API needs many.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190

# Apiary logs one structured line per request itself (request id, method, path, status, duration), so
# gunicorn's access log would only repeat it; gunicorn's own messages go through structlog too.
accesslog = None
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "structured": {
            "()": structlog.stdlib.ProcessorFormatter,
            "processor": (
                structlog.processors.JSONRenderer()
                if os.environ.get("APIARY_ENV") == "production"
                else structlog.dev.ConsoleRenderer(colors=False)
            ),
            "foreign_pre_chain": [
                structlog.stdlib.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
            ],
        }
    },
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "structured"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {"gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False}},
}

# Each worker writes its metrics into this folder and /metrics adds them up (see apiary.core.metrics).
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="apiary-metrics-"))


def child_exit(server: object, worker: object) -> None:
    """Drop a finished worker's live gauges from the shared metrics."""
    from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

    GunicornInternalPrometheusMetrics.mark_process_dead_on_child_exit(worker.pid)  # type: ignore[attr-defined]


def on_starting(server: object) -> None:
    """Refuse what would quietly weaken the limits: each worker counting logins in its own memory."""
    from apiary.core.config import Settings

    settings = Settings()
    if settings.apiary_env == "production" and workers > 1 and not settings.redis_url:
        raise SystemExit(
            f"Refusing to start {workers} workers without REDIS_URL in production: each worker would keep its own "
            "rate-limit and failed-login counters, multiplying every limit. Set REDIS_URL, or WEB_CONCURRENCY=1."
        )
