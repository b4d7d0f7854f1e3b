"""carelead serve [--bind HOST:PORT] [--workers N]: the production WSGI server (gunicorn)."""

import os
import sys

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve CareLead with gunicorn (static files through whitenoise)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("CARELEAD_WEB_WORKERS", "2")))
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--timeout", type=int, default=120)
        # Longer than gunicorn's 2 s, so clients and proxies that reuse connections are not reset between requests;
        # keep it below the load balancer's idle timeout (60 s on most) so the server, not the balancer, closes.
        parser.add_argument("--keep-alive", type=int, default=int(os.environ.get("CARELEAD_KEEP_ALIVE", "15")))

    def handle(self, *args, bind, workers, threads, timeout, keep_alive, **options):
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--timeout",
            str(timeout),
            "--keep-alive",
            str(keep_alive),
            # No client address and no query string in the access log: searches can carry names.
            "--access-logfile",
            "-",
            "--access-logformat",
            '"%(m)s %(U)s" %(s)s %(b)s %(M)sms',
        ]
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
        os.execv(sys.executable, argv)  # noqa: S606 - replaces this process with gunicorn
