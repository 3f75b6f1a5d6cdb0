"""The test suite's stand-in LiveKit server API on a fixed port, for bench/dispatch_load.py.

Run: python -m bench.dispatch_load_fake PORT API_KEY API_SECRET   (stops on SIGTERM)
"""

from __future__ import annotations

import signal
import sys
import threading

from core.tests.fake_livekit import FakeLiveKit


def main() -> None:
    port, key, secret = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with FakeLiveKit(key, secret, port=port, record=False) as fake:
        print(f"stand-in LiveKit API on {fake.url}", flush=True)
        stop.wait()
        print(f"dispatches served: {fake.dispatch_count}", flush=True)


if __name__ == "__main__":
    main()
