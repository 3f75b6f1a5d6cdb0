"""Limits for JSON from outside (API bodies, menu files): checked before Python's parser sees the text.

`json.loads` recurses once per nested array or object, so a body of 100,000 `[` raises RecursionError
(a 500, not a clear 400), and Python refuses to convert integers of more than 4,300 digits with a
ValueError. Counting the nesting first, without parsing, turns both into answers a person can act on.
"""

from __future__ import annotations


def json_nesting_depth(text: str, *, stop_above: int) -> int:
    """How deeply arrays and objects nest in `text` (strings skipped); stops counting above `stop_above`."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop_above:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest
