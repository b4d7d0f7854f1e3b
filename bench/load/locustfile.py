"""Locust scenario for CareLead: every persona signs in and walks its main pages with a think time between them.

Read by `python -m bench.load.run`, which starts the server, writes the persona logins to the file named by
CARELEAD_LOAD_LOGINS and then runs locust headless. To run it by hand against a server that is already up:

    CARELEAD_LOAD_LOGINS=var/load/logins.json .venv/bin/locust -f bench/load/locustfile.py \
        --host http://127.0.0.1:8765 --headless -u 50 -r 5 -t 3m

The logins file is a JSON list of {"persona", "username", "password"} objects (the shape `carelead demo
--logins-json` writes). Pages are named by what they are, so the statistics read per page, not per URL.
"""

import json
import os
import re
from pathlib import Path

from locust import HttpUser, between, events

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# The board page and the staff search need a concrete organisation and query: the demo personas' trust.
TRUST_CODE = os.environ.get("CARELEAD_LOAD_TRUST", "RD9")

# page name -> path
PAGES = {
    "home": "/",
    "my record": "/people/me/",
    "my development": "/standards/my-development/",
    "my appraisals": "/appraisals/",
    "my talent": "/talent/",
    "team": "/people/team/",
    "team development": "/standards/team/",
    "staff search": "/people/?q=smith",
    "equality dashboard": "/equality/",
    "equality measures": "/equality/measures/",
    "organisations": "/organisations/",
    "board endings": "/boards/",
    "board page": f"/boards/{TRUST_CODE}/",
    "board skill gaps": "/boards/skills/gaps/",
    "ned pool": "/ned/candidates/",
    "ned campaigns": "/ned/campaigns/",
    "fit and proper dashboard": "/fit-and-proper/dashboard/",
    "speak-up cases": "/speak-up/cases/",
    "speak-up start": "/speak-up/",
    "talent pools": "/talent/pools/",
    "vacancies": "/vacancies/",
    "succession": "/succession/",
    "provider": "/provider/",
    "appraisal completion": "/appraisals/completion/",
}

# persona -> (share of the simulated users, {page name: how often it is visited relative to the others})
JOURNEYS = {
    "staff": (
        30,
        {
            "home": 4,
            "my record": 3,
            "my development": 3,
            "my appraisals": 2,
            "my talent": 1,
            "vacancies": 2,
            "speak-up start": 1,
        },
    ),
    "line_manager": (
        14,
        {
            "home": 3,
            "team": 4,
            "team development": 2,
            "my appraisals": 2,
            "my record": 1,
            "my development": 1,
            "vacancies": 1,
        },
    ),
    "org_hr": (
        10,
        {
            "home": 2,
            "staff search": 4,
            "equality dashboard": 2,
            "equality measures": 1,
            "appraisal completion": 2,
            "vacancies": 1,
            "succession": 1,
            "board page": 1,
        },
    ),
    "regional_talent": (
        6,
        {
            "home": 1,
            "organisations": 2,
            "equality dashboard": 2,
            "talent pools": 3,
            "succession": 2,
            "board endings": 1,
        },
    ),
    "ned_team": (
        6,
        {
            "home": 1,
            "board endings": 3,
            "board page": 2,
            "board skill gaps": 2,
            "ned pool": 3,
            "ned campaigns": 2,
            "fit and proper dashboard": 2,
            "organisations": 1,
        },
    ),
    "provider": (3, {"home": 1, "provider": 3}),
    "regulator": (3, {"home": 1, "equality dashboard": 3, "equality measures": 2, "organisations": 1}),
    "guardian": (3, {"home": 1, "speak-up cases": 4}),
    "national_admin": (
        5,
        {
            "home": 1,
            "organisations": 2,
            "staff search": 2,
            "equality dashboard": 1,
            "board endings": 1,
            "ned pool": 1,
            "vacancies": 1,
            "succession": 1,
        },
    ),
}


def load_logins() -> dict[str, dict]:
    path = Path(os.environ.get("CARELEAD_LOAD_LOGINS", "var/load/logins.json"))
    return {row["persona"]: row for row in json.loads(path.read_text(encoding="utf-8"))}


LOGINS = load_logins()


class PersonaUser(HttpUser):
    """Signs in once, then visits the persona's pages; a failed sign-in stops the whole run."""

    abstract = True
    persona = ""
    wait_time = between(1, 5)

    def on_start(self):
        # One connection per request, as a reverse proxy in front of gunicorn makes them (nginx speaks HTTP/1.0
        # to its upstream by default). Reusing idle connections instead races gunicorn's 2-second keep-alive:
        # a request sent as the worker closes the connection is reset, where a browser would silently retry.
        self.client.headers["Connection"] = "close"
        login = LOGINS[self.persona]
        with self.client.get("/accounts/login/", name="sign in form", catch_response=True) as form:
            token = CSRF.search(form.text or "")
            if not token:
                form.failure("no CSRF token on the sign-in form")
                raise RuntimeError("no CSRF token on the sign-in form")
        with self.client.post(
            "/accounts/login/",
            data={
                "csrfmiddlewaretoken": token.group(1),
                "username": login["username"],
                "password": login["password"],
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="sign in",
            catch_response=True,
        ) as response:
            if response.url.rstrip("/").endswith("/accounts/login") or "sessionid" not in self.client.cookies:
                response.failure(f"{self.persona} could not sign in")
                raise RuntimeError(f"{self.persona} could not sign in")

    def visit(self, name: str) -> None:
        with self.client.get(PAGES[name], name=name, catch_response=True, allow_redirects=False) as response:
            if response.status_code != 200:
                detail = repr(response.error) if response.error else f"HTTP {response.status_code}"
                response.failure(f"{self.persona}: {detail}")


def _page_task(name: str):
    def visit_page(user: PersonaUser) -> None:
        user.visit(name)

    visit_page.__name__ = f"visit {name}"
    return visit_page


def _persona_class(persona: str, share: int, pages: dict[str, int]) -> type:
    tasks = {_page_task(name): weight for name, weight in pages.items()}
    return type(
        f"{persona.title().replace('_', '')}User",
        (PersonaUser,),
        {
            "persona": persona,
            "weight": share,
            "tasks": tasks,
            "__module__": __name__,
        },
    )


for _persona, (_share, _pages) in JOURNEYS.items():
    globals()[f"{_persona.title().replace('_', '')}User"] = _persona_class(_persona, _share, _pages)


@events.quitting.add_listener
def _exit_code(environment, **kwargs):
    """Any failed request makes the run fail."""
    if environment.stats.total.num_failures:
        environment.process_exit_code = 1
