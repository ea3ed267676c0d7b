"""Prometheus metrics at /metrics: request latency histograms and status counts per endpoint.

Under gunicorn each worker is a process of its own; gunicorn.conf.py points PROMETHEUS_MULTIPROC_DIR at
a folder they share, and /metrics then adds up every worker's numbers, whichever worker answers.
"""

import os

from flask import Flask
from prometheus_client import CollectorRegistry
from prometheus_flask_exporter import PrometheusMetrics
from prometheus_flask_exporter.multiprocess import GunicornInternalPrometheusMetrics

METRICS_PATH = "/metrics"


def register_metrics(app: Flask) -> None:
    """Measure every request and serve the numbers at /metrics."""
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:
        metrics: PrometheusMetrics = GunicornInternalPrometheusMetrics(app, path=METRICS_PATH, group_by="endpoint")
    else:
        # A registry per app: tests build many apps in one process.
        metrics = PrometheusMetrics(app, path=METRICS_PATH, group_by="endpoint", registry=CollectorRegistry())
    app.extensions["apiary.metrics"] = metrics
