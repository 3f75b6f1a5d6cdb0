"""Run every benchmark: python -m bench"""

from bench import dispatch, snapshot

if __name__ == "__main__":
    print("== Restaurant snapshot (tenants/cache.py)")
    snapshot.main()
    print()
    print("== Dispatch endpoint (POST /api/connection-details)")
    dispatch.main()
