"""python -m agent_worker dev|start|console|download-files [--restaurant <public id>]

Console and local runs carry no job metadata: --restaurant (or AGENT_CONSOLE_RESTAURANT) names the
restaurant the agent speaks for, so an owner can talk to their own agent from a terminal.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if "--restaurant" in sys.argv:
        index = sys.argv.index("--restaurant")
        os.environ["AGENT_CONSOLE_RESTAURANT"] = sys.argv[index + 1]
        del sys.argv[index : index + 2]
    import django

    django.setup()
    from livekit.agents import cli

    from config.logging import console_handler_remove

    console_handler_remove()

    from agent_worker.providers import check_provider_keys
    from agent_worker.worker import server

    if len(sys.argv) > 1 and sys.argv[1] in {"start", "dev", "console"}:
        from django.core.exceptions import ImproperlyConfigured

        try:
            check_provider_keys()
        except ImproperlyConfigured as exc:
            # An operator's mistake, not a bug: one line that says what to set, no traceback.
            sys.exit(f"hostline agent worker: {exc}")
    cli.run_app(server)


if __name__ == "__main__":
    main()
