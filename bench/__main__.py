"""Run every benchmark: python -m bench"""

from bench import snapshot

if __name__ == "__main__":
    print("== Restaurant snapshot (tenants/cache.py)")
    snapshot.main()
