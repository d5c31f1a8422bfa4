"""gunicorn for wegweiser in production: ``gunicorn -c deploy/gunicorn.conf.py``.

Threads in a few processes (the pages wait for PostgreSQL more than they compute); workers are
restarted after a number of requests (with jitter) so that memory cannot creep. Settings come
from the environment (deploy/wegweiser.env.example).
"""

import multiprocessing
import os

wsgi_app = "wegweiser.config.wsgi:application"
bind = os.environ.get("WEGWEISER_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEGWEISER_WORKERS", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("WEGWEISER_THREADS", "4"))
timeout = 30
graceful_timeout = 30
max_requests = 2000
max_requests_jitter = 200
# nginx on the same machine is the only client allowed to set X-Forwarded-* headers
forwarded_allow_ips = os.environ.get("WEGWEISER_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = "-"
errorlog = "-"
# no query strings in the access log: a search may contain a postcode, a link a token
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
