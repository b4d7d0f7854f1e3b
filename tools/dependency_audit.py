"""The dependency audit run by `make audit` (and so by `make test`): every pinned package in requirements/lock.txt
checked by pip-audit against the Python Packaging Advisory Database.

Any known vulnerability fails the run, unless its id is listed in tools/audit-accepted.txt with the reason it does
not apply. When the advisory service cannot be reached (an offline machine), nothing could be audited: that is said
plainly and the run passes, unless CARELEAD_AUDIT_REQUIRED=1 (set it where the service must be reachable).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
ACCEPTED = ROOT / "tools" / "audit-accepted.txt"


def accepted_ids() -> set[str]:
    if not ACCEPTED.exists():
        return set()
    lines = (line.split("#", 1)[0].strip() for line in ACCEPTED.read_text().splitlines())
    return {line for line in lines if line}


def main() -> int:
    done = subprocess.run(
        [sys.executable, "-m", "pip_audit", "-r", str(LOCK), "--disable-pip", "--no-deps", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        print(f"dependency audit: pip-audit failed: {(done.stderr.strip().splitlines() or ['no output'])[-1]}")
        return 0 if os.environ.get("CARELEAD_AUDIT_REQUIRED") != "1" else 1
    dependencies = report.get("dependencies", [])
    audited = [d for d in dependencies if "skip_reason" not in d]
    accepted = accepted_ids()
    found = [(d["name"], d["version"], v["id"]) for d in audited for v in d.get("vulns", []) if v["id"] not in accepted]
    if found:
        for name, version, vuln in found:
            print(f"dependency audit: {name} {version} has known vulnerability {vuln}")
        return 1
    if not audited:
        print(
            f"dependency audit: the advisory service could not be reached, so none of {len(dependencies)} packages "
            "was audited"
        )
        return 1 if os.environ.get("CARELEAD_AUDIT_REQUIRED") == "1" else 0
    skipped = len(dependencies) - len(audited)
    print(f"dependency audit: {len(audited)} packages, no known vulnerabilities ({skipped} skipped)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
