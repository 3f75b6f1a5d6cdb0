// A stand-in for the parts of livekit-client the call logic uses, driven by the tests.

type Handler = (...args: any[]) => void;

export enum ConnectionState {
  Disconnected = "disconnected",
  Connecting = "connecting",
  Connected = "connected",
}
export enum DisconnectReason {
  UNKNOWN_REASON = 0,
  CLIENT_INITIATED = 1,
  SERVER_SHUTDOWN = 4,
  ROOM_DELETED = 5,
}
export enum ParticipantKind {
  STANDARD = 0,
  AGENT = 4,
}
export enum RoomEvent {
  TrackSubscribed = "trackSubscribed",
  TrackUnsubscribed = "trackUnsubscribed",
  ParticipantConnected = "participantConnected",
  ParticipantDisconnected = "participantDisconnected",
  ParticipantAttributesChanged = "participantAttributesChanged",
  Disconnected = "disconnected",
}
export const Track = {
  Kind: { Audio: "audio", Video: "video" },
  Source: { Microphone: "microphone" },
};

export class LocalAudioTrack {
  sid = "TR_mic";
  muted = false;
  stopped = false;
  async mute(): Promise<void> {
    this.muted = true;
  }
  async unmute(): Promise<void> {
    this.muted = false;
  }
  stop(): void {
    this.stopped = true;
  }
}

export const control = {
  micError: null as Error | null,
  connectError: null as Error | null,
  onMic: null as (() => void) | null,
  rooms: [] as Room[],
};

export async function createLocalAudioTrack(): Promise<LocalAudioTrack> {
  control.onMic?.();
  if (control.micError) throw control.micError;
  return new LocalAudioTrack();
}

export interface FakeParticipant {
  identity: string;
  kind: ParticipantKind;
  attributes: Record<string, string>;
}

export class Room {
  state = ConnectionState.Disconnected;
  handlers = new Map<string, Handler[]>();
  textHandlers = new Map<string, Handler>();
  remoteParticipants = new Map<string, FakeParticipant>();
  localParticipant = { identity: "diner", published: [] as unknown[], publishTrack: async (t: unknown) => { this.localParticipant.published.push(t); } };
  connectedWith: [string, string] | null = null;
  disconnected = false;

  constructor(_options?: unknown) {
    control.rooms.push(this);
  }
  on(event: string, handler: Handler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
    return this;
  }
  emit(event: string, ...args: unknown[]): void {
    for (const handler of this.handlers.get(event) ?? []) handler(...args);
  }
  registerTextStreamHandler(topic: string, handler: Handler): void {
    this.textHandlers.set(topic, handler);
  }
  async connect(url: string, token: string): Promise<void> {
    this.connectedWith = [url, token];
    if (control.connectError) {
      this.emit(RoomEvent.Disconnected, DisconnectReason.UNKNOWN_REASON);
      throw control.connectError;
    }
    this.state = ConnectionState.Connected;
  }
  async startAudio(): Promise<void> {}
  async disconnect(): Promise<void> {
    this.disconnected = true;
    this.state = ConnectionState.Disconnected;
    this.emit(RoomEvent.Disconnected, DisconnectReason.CLIENT_INITIATED);
  }
  // Test helpers
  agentJoins(state?: string): FakeParticipant {
    const agent = { identity: "agent-1", kind: ParticipantKind.AGENT, attributes: state ? { "lk.agent.state": state } : {} };
    this.remoteParticipants.set(agent.identity, agent);
    this.emit(RoomEvent.ParticipantConnected, agent);
    return agent;
  }
  agentState(agent: FakeParticipant, state: string): void {
    agent.attributes = { ...agent.attributes, "lk.agent.state": state };
    this.emit(RoomEvent.ParticipantAttributesChanged, { "lk.agent.state": state }, agent);
  }
  transcript(from: string, attributes: Record<string, string>, chunks: string[]): Promise<void> {
    const reader = {
      info: { id: `stream-${Math.random()}`, attributes },
      async *[Symbol.asyncIterator]() {
        for (const chunk of chunks) yield chunk;
      },
    };
    this.textHandlers.get("lk.transcription")?.(reader, { identity: from });
    return new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export type Participant = FakeParticipant;
export type RemoteParticipant = FakeParticipant;
export type RemoteTrack = { kind: string; attach(): unknown; detach(): unknown[] };
export type TextStreamReader = unknown;
