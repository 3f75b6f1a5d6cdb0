// Which failures offer "Try again", what the site owner is told, and the restaurant-status client.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { type FailureKind, canRetry, ownerHint, telHref } from "../src/failures";
import { restaurantStatus } from "../src/status";

test("only a moment's trouble offers a retry; a state of the restaurant or the website does not", () => {
  const retry: FailureKind[] = ["busy", "unavailable", "network", "room_unreachable", "no_agent", "call_dropped", "mic_denied", "mic_missing"];
  const deadEnds: FailureKind[] = ["not_taking_calls", "not_live", "not_allowed", "not_found", "unsupported"];
  for (const kind of retry) assert.equal(canRetry(kind), true, kind);
  for (const kind of deadEnds) assert.equal(canRetry(kind), false, kind);
});

test("a website the restaurant does not allow is explained to the site's owner, not the diner", () => {
  assert.match(ownerHint("not_allowed", "r_1", "https://shop.example") ?? "", /allowed websites.*Hostline admin/);
  assert.match(ownerHint("not_live", "r_1", "https://shop.example") ?? "", /Go live/);
  assert.equal(ownerHint("busy", "r_1", "https://shop.example"), null);
});

test("phone numbers become diallable tel: addresses", () => {
  assert.equal(telHref("+44 20 7946 0000"), "tel:+442079460000");
  assert.equal(telHref("(06) 12.34-56"), "tel:06123456");
  assert.equal(telHref(""), null);
  assert.equal(telHref(undefined), null);
});

let calls: string[] = [];
let answer: () => Response | Promise<Response>;
beforeEach(() => {
  calls = [];
  (globalThis as any).fetch = async (url: string) => {
    calls.push(url);
    if (url.endsWith("/healthz")) return new Response("", { status: 200 });
    return answer();
  };
});

test("the status is asked once per restaurant per page, and may come from the browser's cache", async () => {
  answer = () => new Response(JSON.stringify({ status: "taking_calls", name: "Trattoria", phone: "+39 06 1" }), { status: 200 });
  const [a, b] = await Promise.all([restaurantStatus("https://p1.test", "r_1"), restaurantStatus("https://p1.test", "r_1")]);
  assert.deepEqual(a, { availability: "taking_calls", name: "Trattoria", phone: "+39 06 1" });
  assert.equal(a, b);
  assert.deepEqual(calls, ["https://p1.test/api/restaurant-status?restaurant_id=r_1"]);
});

test("a suspended restaurant is not taking calls, with its phone; a 404 is not found", async () => {
  answer = () => new Response(JSON.stringify({ error: "not_taking_calls", detail: "x", phone: "+1 555 0100" }), { status: 403 });
  assert.deepEqual(await restaurantStatus("https://p2.test", "r_1"), {
    availability: "not_taking_calls",
    name: undefined,
    phone: "+1 555 0100",
  });
  answer = () => new Response(JSON.stringify({ error: "restaurant_not_found", detail: "x" }), { status: 404 });
  assert.equal((await restaurantStatus("https://p2.test", "r_2")).availability, "not_found");
});

test("a CORS refusal with the platform reachable is a website not allowed; throttling is unknown", async () => {
  answer = () => {
    throw new TypeError("Failed to fetch");
  };
  assert.equal((await restaurantStatus("https://p3.test", "r_1")).availability, "not_allowed");
  answer = () => new Response(JSON.stringify({ error: "throttled", detail: "x" }), { status: 429 });
  assert.equal((await restaurantStatus("https://p3.test", "r_2")).availability, "unknown");
  answer = () => new Response("<html>", { status: 404 });
  assert.equal((await restaurantStatus("https://p3.test", "r_3")).availability, "unknown");
});
