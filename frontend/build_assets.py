#!/usr/bin/env python
"""Copy the pinned npm assets into frontend/static/frontend/vendor/ (run by `make assets` after `npm ci`).

The site itself has no build step: bianxue.css and the small ES modules in static/frontend/js are
served as written. The only npm package is axe-core, which the browser tests inject from
/static/frontend/vendor/axe.min.js (same origin, so the content security policy allows it).
"""

import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENDOR = HERE / "static" / "frontend" / "vendor"
FILES = {
    "node_modules/axe-core/axe.min.js": "axe.min.js",
    "node_modules/axe-core/LICENSE": "axe-core.LICENSE.txt",
}


def main() -> int:
    VENDOR.mkdir(parents=True, exist_ok=True)
    for source, target in FILES.items():
        path = HERE / source
        if not path.exists():
            print(f"missing {path}: run `cd frontend && npm ci` first", file=sys.stderr)
            return 1
        shutil.copyfile(path, VENDOR / target)
    print(f"front-end assets copied to {VENDOR.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
