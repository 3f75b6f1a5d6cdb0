// A Hostline webhook receiver in Node (no framework; `npm install standardwebhooks`).
//   HOSTLINE_WEBHOOK_SECRET=whsec_… node webhook-receiver.mjs      # listens on 127.0.0.1:8788
// Verify the raw body (not re-serialized JSON); answer 2xx at once; deduplicate on the event id.
import http from "node:http";
import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.env.HOSTLINE_WEBHOOK_SECRET.replace(/^whsec_/, ""));
const seen = new Set();

http
  .createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      let event;
      try {
        event = webhook.verify(Buffer.concat(chunks).toString("utf8"), req.headers);
      } catch {
        res.writeHead(400).end();
        return;
      }
      res.writeHead(204).end();
      if (seen.has(event.id)) return; // a retry of something already handled
      seen.add(event.id);
      console.log(event.type, event.restaurant_id, JSON.stringify(event.data));
    });
  })
  .listen(Number(process.env.PORT || 8788), "127.0.0.1");
