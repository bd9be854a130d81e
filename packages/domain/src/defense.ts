import { z } from "zod";
import type { ApplicationState } from "./application-states";
import type { Level } from "./catalog";
import { compareDates, type IsoDate, isIsoDate } from "./dates";
import { DomainError } from "./errors";

/** Junior titles are evaluated without a defense; intermediate and senior ones are preceded by one. */
export function needsDefense(level: Level): boolean {
  return level !== "junior";
}

/** A defense date must fall in the round's defense months (August–November in 2021). */
export function defenseDateError(
  date: IsoDate,
  window: { from: IsoDate; to: IsoDate },
): DomainError | undefined {
  if (compareDates(date, window.from) < 0 || compareDates(date, window.to) > 0) {
    return new DomainError("DEFENSE_OUTSIDE_WINDOW", { date, from: window.from, to: window.to });
  }
  return undefined;
}

const ZIsoDate = z.string().refine(isIsoDate, { message: "日期格式为 YYYY-MM-DD / Date is YYYY-MM-DD" });

const ZClock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "时间格式为 HH:MM / Time is HH:MM" });

/** One time slot of a session: applicants called in at `start`, at most `capacity` of them. */
export const ZDefenseSlot = z.object({
  start: ZClock,
  capacity: z.coerce.number().int().min(1).max(50),
});
export type DefenseSlot = z.infer<typeof ZDefenseSlot>;

/** What the agency enters to schedule a defense session. */
export const ZDefenseSessionInput = z
  .object({
    title: z.string().trim().min(2).max(100),
    date: ZIsoDate,
    venue: z.string().trim().min(2, { message: "请填写答辩地点 / Give the venue" }).max(200),
    slots: z.array(ZDefenseSlot).min(1).max(20),
    /** The epidemic-prevention requirements of the session (health code, mask, temperature, ...). */
    requirements: z.string().trim().max(2000).default(""),
  })
  .superRefine((v, ctx) => {
    const starts = v.slots.map((s) => s.start);
    if (new Set(starts).size !== starts.length) {
      ctx.addIssue({ code: "custom", path: ["slots"], message: "时段重复 / Duplicate slot times" });
    }
  });
export type DefenseSessionInput = z.infer<typeof ZDefenseSessionInput>;

/** Check-in on the day: present, or a no-show recorded by staff. */
export const defenseAttendances = ["pending", "present", "no_show"] as const;
export type DefenseAttendance = (typeof defenseAttendances)[number];

/** Whether a slot still has room: `taken` applicants already called at that time. */
export function slotError(slot: DefenseSlot, taken: number): DomainError | undefined {
  return taken >= slot.capacity
    ? new DomainError("DEFENSE_SLOT_FULL", { start: slot.start, capacity: slot.capacity })
    : undefined;
}

/**
 * Whether an application may go on a committee meeting's agenda: a junior one once complete (no
 * defense), a senior or intermediate one once its defense session has been held, or one still being
 * evaluated after a closed meeting never voted on it (carried over).
 */
export function committeeAgendaError(input: {
  state: ApplicationState;
  level: Level;
  defenseHeld: boolean;
  carriedOver: boolean;
}): DomainError | undefined {
  const eligible =
    input.carriedOver ||
    (input.state === "complete" && !needsDefense(input.level)) ||
    (input.state === "defense_scheduled" && input.defenseHeld);
  return eligible ? undefined : new DomainError("AGENDA_NOT_ELIGIBLE", { from: input.state });
}
