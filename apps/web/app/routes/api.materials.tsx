import type { ActionFunctionArgs } from "@remix-run/node";
import { DomainError, isDomainError, materialCategories, messageFor } from "@titles/domain";
import type { Locale } from "@titles/ui";
import { z } from "zod";
import { accessActor } from "~/lib/applications.server";
import { getSession } from "~/lib/auth.server";
import { localeOf } from "~/lib/i18n.server";
import {
  attachUpload,
  deleteMaterial,
  MAX_CAPTION,
  materialKinds,
  reorderMaterials,
  updateMaterial,
} from "~/services/materials.server";
import { materialDeps } from "~/uploads/context.server";
import { statusFor } from "~/uploads/serve.server";

const ZCategory = z.enum(materialCategories).nullable().optional();

const ZMaterialCommand = z.discriminatedUnion("intent", [
  z.object({
    intent: z.literal("attach"),
    uploadId: z.string().min(1).max(100),
    category: ZCategory,
    caption: z.string().max(MAX_CAPTION).optional(),
  }),
  z.object({
    intent: z.literal("update"),
    materialId: z.string().uuid(),
    caption: z.string().max(MAX_CAPTION).optional(),
    category: ZCategory,
  }),
  z.object({
    intent: z.literal("reorder"),
    applicationId: z.string().uuid(),
    kind: z.enum(materialKinds),
    orderedIds: z.array(z.string().uuid()).max(500),
  }),
  z.object({ intent: z.literal("delete"), materialId: z.string().uuid() }),
]);

/** How a refused field is named in the message. */
const fieldNames: Record<string, Record<Locale, string>> = {
  caption: {
    "zh-CN": `说明不能超过 ${MAX_CAPTION} 字`,
    en: `the caption has at most ${MAX_CAPTION} characters`,
  },
  category: { "zh-CN": "类别不在可选范围内", en: "the category is not one of the choices" },
  intent: { "zh-CN": "未知的操作", en: "unknown action" },
  uploadId: { "zh-CN": "上传编号无效", en: "invalid upload id" },
  materialId: { "zh-CN": "材料编号无效", en: "invalid material id" },
  applicationId: { "zh-CN": "申报编号无效", en: "invalid application id" },
  kind: { "zh-CN": "材料种类无效", en: "invalid material kind" },
  orderedIds: { "zh-CN": "排序列表无效", en: "invalid order" },
};

/**
 * Material commands as JSON: `{ ok: true, … }`, or `{ ok: false, code, message }` with the message
 * in the reader's language and the status of the error (400, 401, 403, 404, 409, 413).
 */
export async function action({ request }: ActionFunctionArgs) {
  const locale = localeOf(request);
  // Response.json keeps the status with or without single fetch (a plain `data()` would not, here).
  const fail = (error: DomainError) =>
    Response.json(
      { ok: false as const, code: error.code, message: messageFor(error, locale) },
      { status: statusFor(error) },
    );
  if (request.method !== "POST") {
    return Response.json(
      { ok: false as const, message: "POST only" },
      { status: 405, headers: { Allow: "POST" } },
    );
  }
  // JSON only: a cross-site form cannot send it without a preflight this server never allows.
  if (!request.headers.get("Content-Type")?.startsWith("application/json")) {
    return fail(new DomainError("VALIDATION", { details: "Content-Type: application/json" }));
  }
  const session = await getSession(request);
  if (session.state !== "active") {
    return fail(new DomainError(session.state === "expired" ? "SESSION_EXPIRED" : "SESSION_INVALID"));
  }
  const parsed = ZMaterialCommand.safeParse(await request.json().catch(() => null));
  if (!parsed.success) {
    const details = parsed.error.issues.map(
      (i) => fieldNames[String(i.path[0])]?.[locale] ?? i.path.join("."),
    );
    return fail(
      new DomainError("VALIDATION", { details: [...new Set(details)].join(locale === "en" ? ", " : "、") }),
    );
  }
  const actor = accessActor(session.actor);
  const deps = materialDeps();
  const command = parsed.data;
  try {
    switch (command.intent) {
      case "attach": {
        const { material, duplicate } = await attachUpload(deps, actor, command);
        return Response.json({ ok: true as const, material, duplicate });
      }
      case "update":
        return Response.json({ ok: true as const, material: await updateMaterial(deps, actor, command) });
      case "reorder":
        return Response.json({ ok: true as const, materials: await reorderMaterials(deps, actor, command) });
      case "delete":
        await deleteMaterial(deps, actor, command);
        return Response.json({ ok: true as const });
      default: {
        const never: never = command;
        return never;
      }
    }
  } catch (error) {
    if (isDomainError(error)) return fail(error);
    throw error;
  }
}
