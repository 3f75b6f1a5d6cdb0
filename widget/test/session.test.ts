// The call logic (src/session.ts) against a fake livekit-client: node --test, no browser needed.
import assert from "node:assert/strict";
import { beforeEach, test } from "node:test";

import { control } from "livekit-client";
import type { Room as FakeRoom } from "./fake-livekit";
import { CallSession, type CallState, type TranscriptLine } from "../src/session";
import type { WidgetFailure } from "../src/api";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let requests: { url: string; body: unknown }[] = [];
let respond: () => Response;

beforeEach(() => {
  control.micError = null;
  control.connectError = null;
  control.onMic = null;
  control.rooms.length = 0;
  requests = [];
  respond = () =>
    new Response(JSON.stringify({ serverUrl: "wss://lk.test", participantToken: "tok", roomName: "hl-r-1", participantIdentity: "diner" }), {
      status: 200,
      headers: { "Content-Type": "application/json" },
    });
  (globalThis as any).RTCPeerConnection = class {};
  Object.defineProperty(globalThis, "navigator", { value: { mediaDevices: { getUserMedia: () => undefined } }, configurable: true });
  (globalThis as any).fetch = async (url: string, init?: RequestInit) => {
    requests.push({ url, body: init?.body ? JSON.parse(String(init.body)) : null });
    return respond();
  };
});

function call(agentJoinTimeoutMs = 200) {
  const states: [CallState, string | null][] = [];
  const lines: TranscriptLine[] = [];
  const session = new CallSession(
    { apiBase: "https://platform.test", restaurantId: "r_1", language: null, agentJoinTimeoutMs },
    {
      state: (s, f?: WidgetFailure) => states.push([s, f?.kind ?? null]),
      transcript: (l) => lines.push({ ...l }),
      audioElement: () => undefined,
      muted: () => undefined,
    },
  );
  const room = () => control.rooms[0] as unknown as FakeRoom;
  return { session, states, lines, room };
}

test("the microphone is asked for only after the platform accepted the call", async () => {
  const order: string[] = [];
  const fetchBefore = (globalThis as any).fetch;
  (globalThis as any).fetch = async (url: string, init?: RequestInit) => {
    order.push("connection-details");
    return fetchBefore(url, init);
  };
  control.onMic = () => order.push("microphone");
  const { session, states } = call();
  await session.start();
  assert.deepEqual(order, ["connection-details", "microphone"]);
  assert.deepEqual(states.at(-1), ["waiting", null]);
});

for (const [status, code, kind] of [
  [403, "not_taking_calls", "not_taking_calls"],
  [403, "not_live", "not_live"],
  [404, "restaurant_not_found", "not_found"],
  [429, "too_many_sessions", "busy"],
  [503, "voice_service_unavailable", "unavailable"],
] as const) {
  test(`a ${status} ${code} refusal is ${kind}, with the restaurant's phone, and no microphone prompt`, async () => {
    respond = () =>
      new Response(JSON.stringify({ error: code, detail: "no", name: "Trattoria", phone: "+39 06 1234 5678" }), { status });
    let asked = false;
    control.onMic = () => {
      asked = true;
    };
    let failure: WidgetFailure | undefined;
    const session = new CallSession(
      { apiBase: "https://platform.test", restaurantId: "r_1", language: null, agentJoinTimeoutMs: 100 },
      { state: (_s, f) => (failure = f ?? failure), transcript: () => undefined, audioElement: () => undefined, muted: () => undefined },
    );
    await session.start();
    assert.equal(failure?.kind, kind);
    assert.equal(failure?.contact.phone, "+39 06 1234 5678");
    assert.equal(failure?.contact.name, "Trattoria");
    assert.equal(asked, false, "the microphone is not asked for");
    assert.equal(control.rooms.length, 0);
  });
}

test("a refusal from an older platform (no name, no phone, not even JSON) is still read", async () => {
  respond = () => new Response("<html>Bad gateway</html>", { status: 502 });
  const { session, states } = call();
  await session.start();
  assert.deepEqual(states.at(-1), ["error", "unavailable"]);
});

test("a blocked microphone after the platform accepted is mic_denied and no room is joined", async () => {
  control.micError = Object.assign(new Error("denied"), { name: "NotAllowedError" });
  const { session, states } = call();
  await session.start();
  assert.deepEqual(states, [["connecting", null], ["error", "mic_denied"]]);
  assert.equal(requests.length, 1);
  assert.equal(control.rooms.length, 0);
});

test("the agent's states follow its lk.agent.state attribute", async () => {
  const { session, states, room } = call();
  await session.start();
  assert.deepEqual(requests[0], { url: "https://platform.test/api/connection-details", body: { restaurant_id: "r_1" } });
  assert.deepEqual(room().connectedWith, ["wss://lk.test", "tok"]);
  assert.equal(room().localParticipant.published.length, 1, "the microphone is published");
  const agent = room().agentJoins("listening");
  room().agentState(agent, "thinking");
  room().agentState(agent, "speaking");
  assert.deepEqual(states.map(([s]) => s), ["connecting", "waiting", "listening", "thinking", "speaking"]);
});

test("no agent in time is a clear error and the room is left", async () => {
  const { session, states, room } = call(30);
  await session.start();
  await sleep(60);
  assert.deepEqual(states.at(-1), ["error", "no_agent"]);
  assert.equal(room().disconnected, true);
});

test("a room that cannot be reached is room_unreachable, not a dropped call", async () => {
  control.connectError = new Error("could not establish signal connection");
  const { session, states } = call();
  await session.start();
  assert.deepEqual(states, [["connecting", null], ["error", "room_unreachable"]]);
});

test("the server ending the call mid-way is a dropped call; hanging up is ended", async () => {
  const first = call();
  await first.session.start();
  first.room().agentJoins("listening");
  first.room().emit("disconnected", 4);
  assert.deepEqual(first.states.at(-1), ["error", "call_dropped"]);

  control.rooms.length = 0;
  const second = call();
  await second.session.start();
  second.room().agentJoins("listening");
  second.session.end();
  assert.deepEqual(second.states.at(-1), ["ended", null]);
  assert.equal(second.states.filter(([s]) => s === "ended").length, 1);
});

test("transcripts say who spoke, the diner's words published by the agent included", async () => {
  const { session, lines, room } = call();
  await session.start();
  await room().transcript("agent-1", { "lk.segment_id": "a1" }, ["Hello, ", "Trattoria here."]);
  await room().transcript("agent-1", { "lk.segment_id": "u1", "lk.transcribed_track_id": "TR_mic" }, ["Open tonight?"]);
  const finals = lines.filter((l) => l.final).map((l) => [l.speaker, l.text]);
  assert.deepEqual(finals, [["agent", "Hello, Trattoria here."], ["user", "Open tonight?"]]);
});

test("busy lines carry the wait from Retry-After", async () => {
  respond = () =>
    new Response(JSON.stringify({ error: "too_many_sessions", detail: "busy" }), { status: 429, headers: { "Retry-After": "30" } });
  const { session, states } = call();
  let failure: WidgetFailure | undefined;
  const original = (session as any).events.state;
  (session as any).events.state = (s: CallState, f?: WidgetFailure) => {
    failure = f;
    original(s, f);
  };
  await session.start();
  assert.deepEqual(states.at(-1), ["error", "busy"]);
  assert.equal(failure?.retryAfterSeconds, 30);
});

test("mute reaches the microphone track", async () => {
  const { session } = call();
  await session.start();
  await session.setMuted(true);
  assert.equal(session.muted, true);
  await session.setMuted(false);
  assert.equal(session.muted, false);
});
