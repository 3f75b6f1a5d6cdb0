"""Run every benchmark: python -m bench"""

from bench import agent_greeting, dispatch, snapshot, widget

if __name__ == "__main__":
    print("== Restaurant snapshot (tenants/cache.py)")
    snapshot.main()
    print()
    print("== Dispatch endpoint (POST /api/connection-details)")
    dispatch.main()
    print()
    print("== Agent worker (job start to greeting)")
    agent_greeting.main()
    print()
    print("== Widget download size (static/widget*.js)")
    widget.main()
