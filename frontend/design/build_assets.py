#!/usr/bin/env python
"""Copy the pinned npm assets into frontend/design/static/frontend/vendor/ (`make assets`, after `npm ci`).

The site itself has no build step: bianxue.css and the small ES modules in static/frontend/js are
served as written. Two npm packages: axe-core, which the browser tests inject from
/static/frontend/vendor/axe.min.js (same origin, so the content security policy allows it), and Chart.js
(UMD build), which only the records dashboard loads from /static/frontend/vendor/chart.umd.min.js.
"""

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "static" / "frontend" / "vendor"
FILES = {
    "node_modules/axe-core/axe.min.js": "axe.min.js",
    "node_modules/axe-core/LICENSE": "axe-core.LICENSE.txt",
    "node_modules/chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
    # referenced by the sourceMappingURL comment; collectstatic's manifest storage fails without it
    "node_modules/chart.js/dist/chart.umd.min.js.map": "chart.umd.min.js.map",
    "node_modules/chart.js/LICENSE.md": "chart.js.LICENSE.md",
}


def main() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, target in FILES.items():
        path = HERE / source
        if not path.exists():
            print(f"missing {path}: run `cd frontend/design && npm ci` first", file=sys.stderr)
            return 1
        shutil.copyfile(path, VENDOR / target)
    print(f"front-end assets copied to {VENDOR.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
