"""A Hostline webhook receiver in Python (standard library + `pip install standardwebhooks`).

    HOSTLINE_WEBHOOK_SECRET=whsec_… python webhook_receiver.py     # listens on 127.0.0.1:8787

Verify the raw body before parsing it; answer 2xx at once and do slow work afterwards; remember the
webhook-id of what you processed, since a delivery may come twice with the same id.
"""

import json
import os
from http.server import BaseHTTPRequestHandler, HTTPServer

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

webhook = Webhook(os.environ["HOSTLINE_WEBHOOK_SECRET"])
seen: set[str] = set()


class Handler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            event = webhook.verify(body, dict(self.headers.items()))
        except WebhookVerificationError:
            self.send_response(400)
            self.end_headers()
            return
        self.send_response(204)
        self.end_headers()
        if event["id"] in seen:
            return  # a retry of something already handled
        seen.add(event["id"])
        if event["type"] == "call.ended":
            call = event["data"]["call"]
            print(f"call {call['id']} at {event['data']['restaurant']['name']}: {call['duration_seconds']} s")
        else:
            print(json.dumps(event, indent=2))


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", int(os.environ.get("PORT", "8787"))), Handler).serve_forever()
