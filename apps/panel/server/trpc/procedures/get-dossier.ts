import { dossierRepository } from "@titles/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { dossierUrl } from "../../dossier-route";
import { checkDocAccess } from "../../meeting-access";
import { expertProcedure } from "../init";

export const ZGetDossierInput = z.object({ meetingId: z.string().uuid(), applicationId: z.string().uuid() });
export type TGetDossierInput = z.infer<typeof ZGetDossierInput>;

/** One bookmark: the form or a material, the pages it spans (1-based) and a label per page. */
export const ZDossierOutlineEntry = z.object({
  kind: z.string(),
  materialId: z.string().nullable(),
  title: z.string(),
  firstPage: z.number().int().min(1),
  pages: z.number().int().min(0),
  /** The PDF page-label prefix, e.g. `论文3-` (viewers show `论文3-2`). */
  label: z.string(),
  /** e.g. `论文 3 / 第 2 页`. */
  pageLabels: z.array(z.string()),
  placeholder: z.boolean().optional(),
});
export type TDossierOutlineEntry = z.infer<typeof ZDossierOutlineEntry>;

export const ZGetDossierOutput = z.object({
  version: z.number().int().min(1),
  pages: z.number().int().min(0),
  outline: z.array(ZDossierOutlineEntry),
  /** The PDF of this version on the panel's origin (`/dossiers/…/v<version>.pdf`). */
  url: z.string(),
});
export type TGetDossierOutput = z.infer<typeof ZGetDossierOutput>;

const notBuilt = {
  "zh-CN": "该申报人的评审材料尚未生成，请稍后再试。",
  en: "This applicant's dossier has not been built yet. Please try again shortly.",
};

/** The latest version of an applicant's dossier, for a member of the meeting who is not recused. */
export const getDossier = expertProcedure
  .input(ZGetDossierInput)
  .output(ZGetDossierOutput)
  .query(async ({ ctx, input }) => {
    const access = await checkDocAccess(ctx.db, ctx.actor, input, ctx.locale);
    if (!access.ok) throw new TRPCError({ code: "FORBIDDEN", message: access.message });
    const dossier = await dossierRepository.latest(ctx.db, input.applicationId);
    if (!dossier) throw new TRPCError({ code: "NOT_FOUND", message: notBuilt[ctx.locale] });
    return {
      version: dossier.version,
      pages: dossier.pages,
      outline: dossier.outline,
      url: dossierUrl(input.meetingId, input.applicationId, dossier.version),
    };
  });
