// One diner's call: connection details first, then the microphone, then the LiveKit room and the agent.

import {
  ConnectionState,
  DisconnectReason,
  type LocalAudioTrack,
  type Participant,
  ParticipantKind,
  type RemoteParticipant,
  type RemoteTrack,
  Room,
  RoomEvent,
  Track,
  type TextStreamReader,
  createLocalAudioTrack,
} from "livekit-client";

import { type ConnectionDetails, WidgetFailure, fetchConnectionDetails } from "./api";

export type CallState =
  | "idle"
  | "connecting"
  | "waiting"
  | "listening"
  | "thinking"
  | "speaking"
  | "ended"
  | "error";

export interface TranscriptLine {
  id: string;
  speaker: "agent" | "user";
  text: string;
  final: boolean;
}

export interface CallEvents {
  state(state: CallState, failure?: WidgetFailure): void;
  transcript(line: TranscriptLine): void;
  audioElement(element: HTMLMediaElement): void;
  muted(muted: boolean): void;
}

export interface CallOptions {
  apiBase: string;
  restaurantId: string;
  language: string | null;
  agentJoinTimeoutMs: number;
}

const ROOM_CONNECT_TIMEOUT_MS = 15_000;
const TRANSCRIPTION_TOPIC = "lk.transcription";

function withTimeout<T>(promise: Promise<T>, ms: number, failure: () => WidgetFailure): Promise<T> {
  let timer: ReturnType<typeof setTimeout>;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(failure()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function microphoneFailure(error: unknown): WidgetFailure {
  const name = error instanceof DOMException || error instanceof Error ? error.name : "";
  if (name === "NotFoundError" || name === "OverconstrainedError" || name === "DevicesNotFoundError") {
    return new WidgetFailure("mic_missing");
  }
  return new WidgetFailure("mic_denied");
}

export class CallSession {
  private room: Room | null = null;
  private micTrack: LocalAudioTrack | null = null;
  private agentTimer: ReturnType<typeof setTimeout> | null = null;
  private finished = false;
  private joined = false;
  private isMuted = false;
  state: CallState = "idle";

  constructor(
    private readonly options: CallOptions,
    private readonly events: CallEvents,
  ) {}

  private setState(state: CallState, failure?: WidgetFailure): void {
    if (this.finished) return;
    this.state = state;
    this.events.state(state, failure);
  }

  async start(): Promise<void> {
    this.setState("connecting");
    try {
      if (!navigator.mediaDevices?.getUserMedia || typeof RTCPeerConnection === "undefined") {
        throw new WidgetFailure("unsupported");
      }
      // The platform accepts the call before the browser asks for the microphone: a diner is never asked
      // for a microphone by a restaurant that is not taking calls, is busy, or a website it does not allow.
      const details = await fetchConnectionDetails(this.options.apiBase, this.options.restaurantId, this.options.language);
      if (this.finished) return;
      try {
        this.micTrack = await createLocalAudioTrack({ echoCancellation: true, noiseSuppression: true, autoGainControl: true });
      } catch (error) {
        // The room is left unjoined: the platform frees the line of a call nobody joined within a minute.
        throw microphoneFailure(error);
      }
      if (this.finished) {
        this.micTrack.stop();
        this.micTrack = null;
        return;
      }
      await this.joinRoom(details);
    } catch (error) {
      this.fail(error instanceof WidgetFailure ? error : new WidgetFailure("room_unreachable", null, String(error)));
    }
  }

  private async joinRoom(details: ConnectionDetails): Promise<void> {
    const room = new Room({ adaptiveStream: false, dynacast: false, disconnectOnPageLeave: true });
    this.room = room;
    room
      .on(RoomEvent.TrackSubscribed, (track: RemoteTrack) => {
        if (track.kind === Track.Kind.Audio) this.events.audioElement(track.attach());
      })
      .on(RoomEvent.TrackUnsubscribed, (track: RemoteTrack) => track.detach().forEach((el) => el.remove()))
      .on(RoomEvent.ParticipantConnected, (participant: RemoteParticipant) => this.onParticipant(participant))
      .on(RoomEvent.ParticipantAttributesChanged, (_changed: Record<string, string>, participant: Participant) =>
        this.onParticipant(participant),
      )
      .on(RoomEvent.ParticipantDisconnected, (participant: RemoteParticipant) => {
        if (this.isAgent(participant) && this.state !== "connecting" && this.state !== "waiting") this.end();
      })
      .on(RoomEvent.Disconnected, (reason?: DisconnectReason) => {
        // A failed connect also disconnects; the rejected connect() reports that one.
        if (this.finished || !this.joined) return;
        if (reason === DisconnectReason.CLIENT_INITIATED || reason === DisconnectReason.ROOM_DELETED) this.end();
        else this.fail(new WidgetFailure("call_dropped"));
      });
    room.registerTextStreamHandler(TRANSCRIPTION_TOPIC, (reader, participant) => {
      // The agent publishes the diner's words too, on the diner's behalf and naming the diner's track.
      const trackId = reader.info.attributes?.["lk.transcribed_track_id"];
      const mine =
        participant.identity === room.localParticipant.identity ||
        (trackId !== undefined && trackId === this.micTrack?.sid);
      void this.readTranscript(reader, mine ? "user" : "agent");
    });

    try {
      await withTimeout(
        room.connect(details.serverUrl, details.participantToken, { autoSubscribe: true }),
        ROOM_CONNECT_TIMEOUT_MS,
        () => new WidgetFailure("room_unreachable"),
      );
    } catch (error) {
      throw error instanceof WidgetFailure ? error : new WidgetFailure("room_unreachable", null, String(error));
    }
    if (this.finished) return;
    this.joined = true;
    // The click that started the call is the user gesture browsers need before playing audio.
    await room.startAudio().catch(() => undefined);
    if (this.micTrack) await room.localParticipant.publishTrack(this.micTrack, { source: Track.Source.Microphone });

    this.setState("waiting");
    this.agentTimer = setTimeout(() => {
      if (this.state === "waiting") this.fail(new WidgetFailure("no_agent"));
    }, this.options.agentJoinTimeoutMs);
    room.remoteParticipants.forEach((participant) => this.onParticipant(participant));
  }

  private isAgent(participant: Participant): boolean {
    return participant.kind === ParticipantKind.AGENT;
  }

  private onParticipant(participant: Participant): void {
    if (!this.isAgent(participant) || this.finished || this.state === "connecting") return;
    const agentState = participant.attributes["lk.agent.state"];
    if (agentState === "listening" || agentState === "thinking" || agentState === "speaking") {
      if (this.agentTimer) clearTimeout(this.agentTimer);
      this.agentTimer = null;
      this.setState(agentState);
    } else if (this.state === "waiting" && agentState === undefined) {
      // Older agents publish no state: an agent in the room is enough to start listening.
      if (this.agentTimer) clearTimeout(this.agentTimer);
      this.agentTimer = null;
      this.setState("listening");
    }
  }

  private async readTranscript(reader: TextStreamReader, speaker: "agent" | "user"): Promise<void> {
    const id = reader.info.attributes?.["lk.segment_id"] ?? reader.info.id;
    let text = "";
    try {
      for await (const chunk of reader) {
        text += chunk;
        this.events.transcript({ id, speaker, text, final: false });
      }
      this.events.transcript({ id, speaker, text, final: true });
    } catch {
      // A transcript stream cut short by hang-up is not worth an error on screen.
    }
  }

  async setMuted(muted: boolean): Promise<void> {
    if (!this.micTrack) return;
    if (muted) await this.micTrack.mute();
    else await this.micTrack.unmute();
    this.isMuted = muted;
    this.events.muted(muted);
  }

  get muted(): boolean {
    return this.isMuted;
  }

  get connected(): boolean {
    return this.room?.state === ConnectionState.Connected;
  }

  private cleanup(): void {
    if (this.agentTimer) clearTimeout(this.agentTimer);
    this.agentTimer = null;
    const room = this.room;
    this.room = null;
    if (room) void room.disconnect();
    this.micTrack?.stop();
    this.micTrack = null;
  }

  end(): void {
    if (this.finished) return;
    this.setState("ended");
    this.finished = true;
    this.cleanup();
  }

  fail(failure: WidgetFailure): void {
    if (this.finished) return;
    this.setState("error", failure);
    this.finished = true;
    this.cleanup();
  }
}
