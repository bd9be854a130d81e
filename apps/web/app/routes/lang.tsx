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
  const parsed = ZLangInput.safeParse(Object.fromEntries(await request.formData()));
  // A form without a language is bad input (400), not a server error (found by the access matrix, issue 8).
  if (!parsed.success) return new Response("请选择语言。\nChoose a language.\n", { status: 400 });
  const input = parsed.data;
  return redirect(input.redirectTo, { headers: { "Set-Cookie": langCookie(input.locale) } });
}

export function loader() {
  return redirect("/");
}
