import { type Db, dossierRepository, fileRepository } from "@titles/db";
import type { FileStore } from "@titles/db/files";
import { messageFor } from "@titles/domain";
import type { Locale } from "@titles/ui";
import type { Request, Response, Router } from "express";
import express from "express";
import { z } from "zod";
import { checkPanelAccess, type PanelAccess, readCookies } from "./access";
import { checkDocAccess } from "./meeting-access";

/** `/dossiers/<meetingId>/<applicationId>/v<version>.pdf`: the URL of one dossier version in a meeting. */
export function dossierUrl(meetingId: string, applicationId: string, version: number): string {
  return `/dossiers/${meetingId}/${applicationId}/v${version}.pdf`;
}

const ZParams = z.object({
  meetingId: z.string().uuid(),
  applicationId: z.string().uuid(),
  file: z.string().regex(/^v[1-9][0-9]{0,5}\.pdf$/),
});

const notFound = {
  "zh-CN": "没有找到该版本的评审材料。",
  en: "There is no such version of this dossier.",
};
const noStore = {
  "zh-CN": "评审材料暂时无法读取，请稍后再试。",
  en: "The dossier cannot be read at the moment. Please try again later.",
};

/** A refusal in both languages, Chinese first: the file is opened in a new tab, where no page can translate it. */
function refuse(res: Response, status: number, zh: string, en: string) {
  res
    .status(status)
    .setHeader("Content-Type", "text/plain; charset=utf-8")
    .setHeader("Cache-Control", "no-store")
    .send(`${zh}\n${en}\n`);
}

/** The refusal of `checkPanelAccess` in Chinese and in English. */
async function bothLanguages(
  deps: { db: Db; secret: string },
  refused: Extract<PanelAccess, { ok: false }>,
  input: { session: string | null; locale: Locale; now: Date },
): Promise<[string, string]> {
  const inLocale = async (locale: Locale): Promise<string> => {
    if (locale === input.locale) return refused.message;
    if (refused.code === "UNAUTHENTICATED") return locale === "en" ? "Please log in." : "请先登录。";
    // The session was valid (the user just holds no expert role), so asking again changes nothing.
    if (refused.code === "FORBIDDEN") {
      const again = await checkPanelAccess(deps.db, { ...input, locale, secret: deps.secret });
      return again.ok ? "" : again.message;
    }
    return messageFor(refused.code, locale);
  };
  return [await inLocale("zh-CN"), await inLocale("en")];
}

/**
 * The dossier PDFs, for the experts of a meeting only: a live portal session of an expert or chair, a
 * member of the meeting, the application on its agenda, not recused from the applicant
 * (`checkDocAccess`, the same rule as the annotations). The bytes are streamed from the file store.
 */
export function dossierRouter(deps: { db: Db; secret: string; files: FileStore | null }): Router {
  const router = express.Router();
  router.get("/dossiers/:meetingId/:applicationId/:file", async (req: Request, res: Response) => {
    try {
      const params = ZParams.safeParse(req.params);
      if (!params.success) return refuse(res, 404, notFound["zh-CN"], notFound.en);
      const { meetingId, applicationId, file } = params.data;
      const version = Number(file.slice(1, -4));

      const { session, locale } = readCookies(req.headers.cookie);
      const now = new Date();
      const access = await checkPanelAccess(deps.db, { session, locale, secret: deps.secret, now });
      if (!access.ok) {
        const [zh, en] = await bothLanguages(deps, access, { session, locale, now });
        return refuse(res, access.code === "FORBIDDEN" ? 403 : 401, zh, en);
      }
      const ref = { meetingId, applicationId };
      const doc = await checkDocAccess(deps.db, access.actor, ref, "zh-CN");
      if (!doc.ok) {
        const en = await checkDocAccess(deps.db, access.actor, ref, "en");
        return refuse(res, 403, doc.message, en.ok ? "" : en.message);
      }

      const dossier = await dossierRepository.byVersion(deps.db, applicationId, version);
      if (!dossier) return refuse(res, 404, notFound["zh-CN"], notFound.en);
      const stored = await fileRepository.findBySha256(deps.db, dossier.fileSha256);
      if (!deps.files || !stored || !(await deps.files.has(dossier.fileSha256))) {
        console.error(
          `[panel] dossier ${applicationId} v${version}: file ${dossier.fileSha256} not in the store`,
        );
        return refuse(res, 503, noStore["zh-CN"], noStore.en);
      }

      // A version never changes, so its sha256 is a strong validator.
      const etag = `"${dossier.fileSha256}"`;
      res.setHeader("ETag", etag);
      res.setHeader("Cache-Control", "private, max-age=3600");
      res.setHeader("X-Content-Type-Options", "nosniff");
      if (req.headers["if-none-match"] === etag) return res.status(304).end();
      res.setHeader("Content-Type", "application/pdf");
      res.setHeader("Content-Length", String(stored.size));
      res.setHeader("Content-Disposition", `inline; filename="dossier-v${version}.pdf"`);
      const stream = deps.files.createReadStream(dossier.fileSha256);
      stream.on("error", (error) => {
        console.error(`[panel] dossier ${applicationId} v${version}: ${error.message}`);
        res.destroy(error);
      });
      stream.pipe(res);
    } catch (error) {
      console.error("[panel] dossier route failed:", error);
      if (!res.headersSent) refuse(res, 500, noStore["zh-CN"], noStore.en);
      else res.destroy();
    }
  });
  return router;
}
