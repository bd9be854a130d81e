import { type Db, meetingRepository } from "@titles/db";
import type { Locale } from "@titles/ui";
import type { Server, Socket } from "socket.io";
import { z } from "zod";

/**
 * Live progress of a committee meeting over socket.io. A member joins the meeting's channel
 * (`committee:join`, membership checked); after every roll call, ballot opened, vote, close or
 * signature the server sends `committee:changed` to the channel and clients refetch the room. The
 * event says that something changed and how many have voted, never how anybody voted nor the running
 * counts of an open ballot.
 */
export const CommitteeEvent = {
  JOIN: "committee:join",
  LEAVE: "committee:leave",
  CHANGED: "committee:changed",
} as const;

export interface CommitteeChanged {
  meetingId: string;
  /** The applicant whose ballot changed; absent for meeting-wide changes (roll call, close). */
  applicationId?: string;
  /** `roll-call`, `ballot-open`, `vote`, `ballot-close`, `ballot-sign`, `meeting-close`, `recusal`. */
  change: string;
  voted?: number;
  voters?: number;
}

/** What a command needs to tell the members; tests and servers without sockets pass none. */
export interface CommitteeNotifier {
  changed(event: CommitteeChanged): void;
}

type Ack = (
  reply: { ok: true; data: { meetingId: string } } | { ok: false; error: { code: string; message: string } },
) => void;

const ZJoin = z.object({ meetingId: z.string().uuid() });

const refusals = {
  BAD_MESSAGE: { "zh-CN": "消息格式不正确。", en: "The message was not understood." },
  NOT_MEETING_MEMBER: { "zh-CN": "您不是该会议的成员。", en: "You are not a member of this meeting." },
  INTERNAL: {
    "zh-CN": "服务器出错，请稍后重试。",
    en: "Something went wrong on the server; please try again.",
  },
} as const;

export function committeeRoom(meetingId: string): string {
  return `committee:${meetingId}`;
}

/** The committee channels of one panel server; several processes share them through the Redis adapter. */
export class CommitteeLive implements CommitteeNotifier {
  private io: Server | null = null;

  constructor(private readonly db: Db) {}

  bind(io: Server): void {
    this.io = io;
  }

  attach(socket: Socket): void {
    const data = socket.data as { actor: { user: { id: string } }; locale: Locale };
    socket.on(CommitteeEvent.JOIN, async (payload: unknown, ack?: unknown) => {
      const reply: Ack = (value) => {
        if (typeof ack === "function") (ack as Ack)(value);
      };
      const refuse = (code: keyof typeof refusals) =>
        reply({
          ok: false,
          error: { code, message: refusals[code][data.locale] ?? refusals[code]["zh-CN"] },
        });
      const parsed = ZJoin.safeParse(payload);
      if (!parsed.success) return refuse("BAD_MESSAGE");
      try {
        const role = await meetingRepository.memberRole(this.db, parsed.data.meetingId, data.actor.user.id);
        if (!role) return refuse("NOT_MEETING_MEMBER");
        await socket.join(committeeRoom(parsed.data.meetingId));
        reply({ ok: true, data: { meetingId: parsed.data.meetingId } });
      } catch (error) {
        console.error("[panel] committee:join failed:", error);
        refuse("INTERNAL");
      }
    });
    socket.on(CommitteeEvent.LEAVE, (payload: unknown) => {
      const parsed = ZJoin.safeParse(payload);
      if (parsed.success) void socket.leave(committeeRoom(parsed.data.meetingId));
    });
  }

  changed(event: CommitteeChanged): void {
    this.io?.to(committeeRoom(event.meetingId)).emit(CommitteeEvent.CHANGED, event);
  }
}
