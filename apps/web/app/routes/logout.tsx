import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { clearSessionCookie, getSession } from "~/lib/auth.server";
import { db } from "~/lib/db.server";
import { logout, logoutEverywhere } from "~/services/login.server";

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const session = await getSession(request);
  const everywhere = form.get("scope") === "everywhere";
  if (session.state === "active") {
    const { actor } = session;
    if (everywhere) await logoutEverywhere(db(), actor.user.id, new Date());
    else await logout(db(), { userId: actor.user.id, sessionId: actor.sessionId }, new Date());
  }
  const reason = everywhere ? "logged-out-everywhere" : "logged-out";
  return redirect(`/login?reason=${reason}`, { headers: { "Set-Cookie": clearSessionCookie() } });
}

export function loader() {
  return redirect("/");
}
