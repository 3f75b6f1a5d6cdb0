"""The widget's interface strings, read from its source (widget/src/i18n.ts) for the tests' assertions.

The table is plain `key: "text",` lines and `key: (x) => \\`text ${x}\\`,` templates, one per line, so a
small parser is enough; `strings_table()` fails loudly if the format drifts.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from django.conf import settings

SOURCE = Path(settings.BASE_DIR) / "widget" / "src" / "i18n.ts"
_BLOCK = re.compile(r"^const (\w+): Strings = \{\n(.*?)^\};", re.M | re.S)
_PLAIN = re.compile(r'^  (\w+): "(.*)",$')
_TEMPLATE = re.compile(r"^  (\w+): \((\w+)\) => `(.*)`,$")


@cache
def strings_table() -> dict[str, dict[str, str]]:
    """{language: {key: text}}; a template's argument becomes `{}` (fill it with str.format)."""
    source = SOURCE.read_text()
    table: dict[str, dict[str, str]] = {}
    for language, body in _BLOCK.findall(source):
        entries: dict[str, str] = {}
        for line in body.splitlines():
            if not line.strip() or line.strip().startswith("//"):
                continue
            if plain := _PLAIN.match(line):
                entries[plain[1]] = plain[2]
            elif template := _TEMPLATE.match(line):
                entries[template[1]] = template[3].replace("${" + template[2] + "}", "{}")
            else:
                raise AssertionError(f"widget/src/i18n.ts: cannot read {language} line {line!r}")
        table[language] = entries
    if not table:
        raise AssertionError("widget/src/i18n.ts: no string tables found")
    return table
