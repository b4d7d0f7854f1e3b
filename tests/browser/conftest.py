"""Playwright driving Debian's Chromium against the live test server, with axe-core for accessibility."""

import os
import re
import shutil
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# Playwright's sync API keeps an event loop on the main thread; Django's ORM calls made by the tests
# themselves are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    missing = [] if Path(CHROMIUM).exists() else [f"Debian's Chromium is not installed at {CHROMIUM} (make browser)"]
    if not AXE.exists():
        missing.append(f"axe-core is not installed at {AXE} (make install)")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(pytest.mark.skip(reason="; ".join(missing)))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-dev-shm-usage",
        ],
    }


def axe_violations(page) -> list[dict]:
    """Serious and critical WCAG 2.2 AA violations on the current page."""
    # The pointer stays where the last click left it, so a link that happens to sit under it would be read in its
    # hover state (mid-transition) rather than as a reader sees the page: move it away and let the page settle.
    page.mouse.move(0, 0)
    page.wait_for_load_state("load")
    # add_script_tag(path=...) would inline axe, which the Content-Security-Policy refuses: serve it from the page's
    # own origin instead, so the policy stays in force while the pages are checked.
    axe_url = re.match(r"https?://[^/]+", page.url).group(0) + "/__axe-core.js"
    if axe_url not in getattr(page, "_carelead_axe_routes", set()):
        page.route(axe_url, lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"))
        page._carelead_axe_routes = {*getattr(page, "_carelead_axe_routes", set()), axe_url}
    page.add_script_tag(url=axe_url)
    script = """async () => (await axe.run(document, {runOnly: {type: 'tag',
              values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']}})).violations"""
    violations = page.evaluate(script)
    if violations:
        # a finding must survive a second look once transitions have finished; a real one always does
        page.wait_for_timeout(400)
        violations = page.evaluate(script)
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in violations
        if v["impact"] in ("serious", "critical")
    ]
