import { type ActionFunctionArgs, redirect } from "@remix-run/node";
import { parseLocale } from "@titles/ui";
import { z } from "zod";
import { langCookie } from "~/lib/i18n.server";

const ZLangInput = z.object({
  locale: z.string().transform(parseLocale),
  redirectTo: z
    .string()
    .regex(/^\/(?!\/)/, "local paths only")
    .catch("/"),
});

export async function action({ request }: ActionFunctionArgs) {
  const input = ZLangInput.parse(Object.fromEntries(await request.formData()));
  return redirect(input.redirectTo, { headers: { "Set-Cookie": langCookie(input.locale) } });
}

export function loader() {
  return redirect("/");
}
