"""Nothing under /speak-up/ is logged with the client's address or device: not by Django's request logging, not
by the application, not by the web server's access log as `carelead serve` configures it."""

import datetime
import logging
import re
from types import SimpleNamespace

import pytest
from django.conf import settings

from carelead.core.management.commands import serve

ADDRESS = "203.0.113.199"
AGENT = "Mozilla/5.0 (LoggedAgentCheck 7.1)"
HEADERS = {"REMOTE_ADDR": ADDRESS, "HTTP_USER_AGENT": AGENT, "HTTP_X_FORWARDED_FOR": ADDRESS}


def _leaks(text: str) -> bool:
    return ADDRESS in text or "LoggedAgentCheck" in text


def test_raising_and_following_log_no_address_or_device(client, world, caplog, settings):
    settings.CARELEAD_SPEAKUP_LIMITS = {"FOLLOW_ADDRESS": 1}
    caplog.set_level(logging.DEBUG)
    formatter = logging.Formatter(settings.LOGGING["formatters"]["plain"]["format"])
    page = client.get("/speak-up/raise/", {"org": "RAA"}, **HEADERS)
    assert page.status_code == 200
    sent = client.post(
        "/speak-up/raise/",
        {
            "organisation": "RAA",
            "mode": "anonymous",
            "description": "Concern for the log test",
            "categories": ["other"],
        },
        **HEADERS,
    )
    assert sent.status_code == 200
    receipt = re.search(r'id="receipt-code">([A-Z0-9-]+)<', sent.content.decode()).group(1)
    secret = re.search(r'id="receipt-secret">([A-Z0-9-]+)<', sent.content.decode()).group(1)
    # A wrong secret, then the limit (a 429, which Django's request logger reports), then the right codes from
    # another address.
    assert client.post("/speak-up/follow/", {"receipt": receipt, "secret": "WRONG"}, **HEADERS).status_code == 200
    assert client.post("/speak-up/follow/", {"receipt": receipt, "secret": secret}, **HEADERS).status_code == 429
    other = {**HEADERS, "REMOTE_ADDR": ADDRESS.replace("199", "198")}
    assert client.post("/speak-up/follow/", {"receipt": receipt, "secret": secret}, **other).status_code == 302
    reply = client.post("/speak-up/follow/case/", {"action": "reply", "reply-body": "More detail"}, **HEADERS)
    assert reply.status_code == 302
    assert client.get("/speak-up/cases/999999/", **HEADERS).status_code in (302, 404)
    assert caplog.records, "the 429 at least is logged by django.request"
    assert any(r.name == "django.request" for r in caplog.records)
    for record in caplog.records:
        assert not _leaks(record.getMessage()), record.name
        assert not _leaks(formatter.format(record)), record.name
        # Whatever a handler might print from the record's attributes (the request among them).
        assert not _leaks(" ".join(f"{key}={value!r}" for key, value in vars(record).items())), record.name


def _serve_argv(monkeypatch) -> list[str]:
    captured = {}

    def fake_execv(path, argv):
        captured["argv"] = argv

    monkeypatch.setattr(serve.os, "execv", fake_execv)
    serve.Command().handle(bind="127.0.0.1:8000", workers=1, threads=1, timeout=30, keep_alive=15)
    return captured["argv"]


def test_the_web_server_access_log_has_no_client_address_or_device(monkeypatch):
    gunicorn_config = pytest.importorskip("gunicorn.config")
    glogging = pytest.importorskip("gunicorn.glogging")
    argv = _serve_argv(monkeypatch)
    assert argv[1:3] == ["-m", "gunicorn"]
    cfg = gunicorn_config.Config()
    parsed = cfg.parser().parse_args(argv[3:])
    for key, value in vars(parsed).items():
        if value is not None and key != "args":
            cfg.set(key.lower(), value)
    logger = glogging.Logger(cfg)
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    logger.access_log.addHandler(Collect())
    for method, path, query in (
        ("GET", "/speak-up/raise/", "org=RAA&q=Holdout"),
        ("POST", "/speak-up/raise/", ""),
        ("POST", "/speak-up/follow/", ""),
        ("POST", "/speak-up/follow/case/", "done=reply"),
    ):
        environ = {
            "REMOTE_ADDR": ADDRESS,
            "HTTP_USER_AGENT": AGENT,
            "HTTP_X_FORWARDED_FOR": ADDRESS,
            "HTTP_REFERER": f"https://carelead.example/speak-up/?from={ADDRESS}",
            "REQUEST_METHOD": method,
            "RAW_URI": f"{path}?{query}" if query else path,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_PROTOCOL": "HTTP/1.1",
        }
        request = SimpleNamespace(headers=[("USER-AGENT", AGENT), ("X-FORWARDED-FOR", ADDRESS)])
        response = SimpleNamespace(status="200 OK", sent=1234, headers=[("Content-Type", "text/html")])
        logger.access(response, request, environ, datetime.timedelta(milliseconds=12))
    assert len(lines) == 4
    for line in lines:
        assert "/speak-up/" in line
        assert not _leaks(line), line
        # No query string either: the organisation searched for stays out of the log.
        assert "Holdout" not in line and "org=" not in line


def test_no_logging_handler_prints_request_details():
    # The project's only formatter prints the time, level, logger and message: never the request or its address.
    formats = [f.get("format", "") for f in settings.LOGGING.get("formatters", {}).values()]
    assert formats and all("request" not in fmt and "REMOTE_ADDR" not in fmt for fmt in formats)
    assert not getattr(settings, "ADMINS", None), "error emails carry the request's address and user agent"
