"""Front-end build step run by `make install`: the NHS.UK frontend stylesheet without its web-font rules.

The compiled stylesheet loads the Frutiger web font from the NHS's own font host, which is licensed for
nhs.uk services and is a request to another site. CareLead serves everything itself, so it drops those
@font-face rules and the font stack falls back to Arial, as the design system intends when Frutiger is absent
(docs/decisions/0007-no-third-party-requests.md).
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk" / "nhsuk-frontend.min.css"
TARGET = ROOT / "build" / "assets" / "nhsuk-frontend.min.css"
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def build(source: Path = SOURCE, target: Path = TARGET) -> int:
    """Write the stylesheet without @font-face rules; returns how many rules were removed."""
    css = source.read_text(encoding="utf-8")
    stripped, removed = FONT_FACE.subn("", css)
    stripped = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", stripped)
    if "assets.nhs.uk" in stripped:
        raise SystemExit("the NHS.UK stylesheet still refers to assets.nhs.uk after removing @font-face rules")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(stripped, encoding="utf-8")
    return removed


if __name__ == "__main__":
    count = build()
    print(f"built {TARGET.relative_to(ROOT)} ({count} web-font rules removed)", file=sys.stderr)
