"""A test run's own logs hold no personal data.

Every process of the run (each xdist worker and the controller) copies its log records to a file in one directory,
and notes the names and email addresses of every person and user the tests create. When the run ends, the
controller reads every log file and fails the run if any of them holds one of those names, or any email address at
all. Registered from the project conftest.
"""

import logging
import os
import re
import tempfile
from pathlib import Path

import pytest

ENV = "CARELEAD_TEST_LOG_DIR"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def configure(config) -> None:
    """In the controller: a fresh directory for this run, which the workers inherit through the environment."""
    if hasattr(config, "workerinput"):
        return
    os.environ[ENV] = tempfile.mkdtemp(prefix="carelead-test-logs-")


@pytest.fixture(scope="session", autouse=True)
def _logs_scanned_for_personal_data():
    directory = os.environ.get(ENV)
    if not directory:
        yield
        return
    from django.contrib.auth import get_user_model
    from django.db.models.signals import post_save

    from carelead.people.models import Person

    seen: set[str] = set()

    def note_user(sender, instance, **kwargs):
        seen.update(v for v in (instance.email, getattr(instance, "full_name", "")) if v)

    def note_person(sender, instance, **kwargs):
        seen.update(v for v in (instance.email, f"{instance.first_name} {instance.last_name}".strip()) if v)

    handler = logging.FileHandler(Path(directory) / f"{_worker()}.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    logging.getLogger().addHandler(handler)
    post_save.connect(note_user, sender=get_user_model(), weak=False, dispatch_uid="log-scan-user")
    post_save.connect(note_person, sender=Person, weak=False, dispatch_uid="log-scan-person")
    yield
    post_save.disconnect(sender=get_user_model(), dispatch_uid="log-scan-user")
    post_save.disconnect(sender=Person, dispatch_uid="log-scan-person")
    logging.getLogger().removeHandler(handler)
    handler.close()
    # Names of a single short word would match ordinary text; a full name or an address would not.
    wanted = sorted(v for v in seen if " " in v.strip() or "@" in v)
    (Path(directory) / f"{_worker()}.names").write_text("\n".join(wanted), encoding="utf-8")


def findings(directory: Path) -> list[str]:
    names = set()
    for path in directory.glob("*.names"):
        names.update(line for line in path.read_text(encoding="utf-8").splitlines() if line)
    problems = []
    for path in sorted(directory.glob("*.log")):
        for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            found = EMAIL.search(line)
            if found:
                problems.append(f"{path.name}:{number}: an email address ({found.group(0)[:3]}…) in: {line[:160]}")
                continue
            for name in names:
                if name in line:
                    problems.append(f"{path.name}:{number}: a person's name in: {line[:160]}")
                    break
    return problems


def session_finish(session) -> None:
    """In the controller, after every worker has finished: fail the run if a log holds personal data."""
    if hasattr(session.config, "workerinput") or not os.environ.get(ENV):
        return
    problems = findings(Path(os.environ[ENV]))
    if problems:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_sep("=", f"personal data in the test run's logs ({len(problems)} lines)", red=True)
        for problem in problems[:50]:
            reporter.write_line(problem)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
