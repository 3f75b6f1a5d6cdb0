"""What a restaurant's page downloads for the widget: python -m bench.widget"""

from __future__ import annotations

import gzip
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "static"


def main() -> None:
    print(f"{'file':<18} {'bytes':>9} {'gzip -9':>9}  when")
    for name, when in (("widget.js", "every page view"), ("widget-call.js", "first hover or click")):
        path = STATIC / name
        if not path.exists():
            print(f"{name:<18} missing: run `make widget`")
            continue
        raw = path.read_bytes()
        print(f"{name:<18} {len(raw):>9,} {len(gzip.compress(raw, 9)):>9,}  {when}")


if __name__ == "__main__":
    main()
