import { data } from "@remix-run/node";
import { type ApplicationWithPeople, applicationRepository, type Db } from "@titles/db";
import {
  type ApplicationAction,
  checkApplicationAccess,
  isApplicationState,
  messageFor,
} from "@titles/domain";
import type { Locale } from "@titles/ui";
import { z } from "zod";
import type { Actor } from "~/lib/auth.server";

const ZId = z.string().uuid();

/** The access subject of an actor, as the domain's rules read it. */
export function accessActor(actor: Actor) {
  return { userId: actor.user.id, roles: actor.roles };
}

/**
 * Loads an application the actor may act on, or throws the response a person should see:
 * 404 for an id that does not exist (or is malformed), 403 with the reason otherwise.
 */
export async function loadApplicationFor(
  db: Db,
  actor: Actor,
  id: string | undefined,
  action: ApplicationAction,
  locale: Locale,
): Promise<ApplicationWithPeople> {
  const parsed = ZId.safeParse(id);
  const app = parsed.success ? await applicationRepository.findById(db, parsed.data) : null;
  if (!app || !isApplicationState(app.state)) {
    throw data({ reason: locale === "en" ? "No such application." : "没有找到该申报。" }, { status: 404 });
  }
  const denied = checkApplicationAccess(accessActor(actor), { ...app, state: app.state }, action);
  if (denied) throw data({ reason: messageFor(denied, locale) }, { status: 403 });
  return app;
}
