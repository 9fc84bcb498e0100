# Web tier only: each gunicorn worker records and acknowledges; run `xiaobian worker` beside it.
bind = "0.0.0.0:8080"
workers = 2
threads = 4
timeout = 30
graceful_timeout = 20
