import * as Y from "yjs";
import { z } from "zod";

/**
 * The annotations of one dossier version, in its Y.Doc. Positions are in PDF user space (points,
 * origin at the bottom left of the page), so they keep their place whatever the zoom or screen.
 *
 * doc.getMap("annotations"): id → Y.Map { id, kind, page, rects, quote, authorId, authorName, color,
 * createdAt, thread: Y.Array<Y.Map { id, authorId, authorName, color, text, at, replyTo, edited }> }
 *
 * Authorship is enforced by the UI only: a CRDT update carries no trustworthy author, so the server
 * cannot tell who changed what inside one.
 */
export const ZPdfRect = z.tuple([z.number(), z.number(), z.number(), z.number()]);
export type PdfRect = z.infer<typeof ZPdfRect>;

export const ZComment = z.object({
  id: z.string(),
  authorId: z.string(),
  authorName: z.string(),
  color: z.string(),
  text: z.string().max(4000),
  at: z.string(),
  replyTo: z.string().nullable(),
  edited: z.boolean().optional(),
});
export type Comment = z.infer<typeof ZComment>;

export const ZAnnotation = z.object({
  id: z.string(),
  kind: z.enum(["highlight", "rect", "pin"]),
  /** 0-based page index in the dossier. */
  page: z.number().int().min(0),
  rects: z.array(ZPdfRect).max(200),
  quote: z.string().max(4000).default(""),
  authorId: z.string(),
  authorName: z.string(),
  color: z.string(),
  createdAt: z.string(),
  thread: z.array(z.unknown()).default([]),
});
export type Annotation = Omit<z.infer<typeof ZAnnotation>, "thread"> & { thread: Comment[] };

export interface Author {
  userId: string;
  name: string;
  color: string;
}

function annotationsOf(doc: Y.Doc): Y.Map<Y.Map<unknown>> {
  return doc.getMap<Y.Map<unknown>>("annotations");
}

function newId(): string {
  return crypto.randomUUID();
}

/** All well-formed annotations, by page then creation time; anything malformed (from any client) is skipped. */
export function readAnnotations(doc: Y.Doc): Annotation[] {
  const out: Annotation[] = [];
  for (const value of annotationsOf(doc).values()) {
    if (!(value instanceof Y.Map)) continue;
    const parsed = ZAnnotation.safeParse(value.toJSON());
    if (!parsed.success) continue;
    const thread = parsed.data.thread.flatMap((c) => {
      const comment = ZComment.safeParse(c);
      return comment.success ? [comment.data] : [];
    });
    out.push({ ...parsed.data, thread });
  }
  return out.sort((a, b) => a.page - b.page || a.createdAt.localeCompare(b.createdAt));
}

export function addAnnotation(
  doc: Y.Doc,
  author: Author,
  input: { kind: Annotation["kind"]; page: number; rects: PdfRect[]; quote?: string; comment?: string },
): string {
  const id = newId();
  const now = new Date().toISOString();
  doc.transact(() => {
    const entry = new Y.Map<unknown>();
    entry.set("id", id);
    entry.set("kind", input.kind);
    entry.set("page", input.page);
    entry.set("rects", input.rects);
    entry.set("quote", input.quote ?? "");
    entry.set("authorId", author.userId);
    entry.set("authorName", author.name);
    entry.set("color", author.color);
    entry.set("createdAt", now);
    const thread = new Y.Array<Y.Map<unknown>>();
    entry.set("thread", thread);
    annotationsOf(doc).set(id, entry);
    const text = input.comment?.trim();
    if (text) thread.push([commentMap(author, text, null)]);
  });
  return id;
}

function commentMap(author: Author, text: string, replyTo: string | null): Y.Map<unknown> {
  const comment = new Y.Map<unknown>();
  comment.set("id", newId());
  comment.set("authorId", author.userId);
  comment.set("authorName", author.name);
  comment.set("color", author.color);
  comment.set("text", text);
  comment.set("at", new Date().toISOString());
  comment.set("replyTo", replyTo);
  return comment;
}

function threadOf(doc: Y.Doc, annotationId: string): Y.Array<Y.Map<unknown>> | null {
  const entry = annotationsOf(doc).get(annotationId);
  const thread = entry?.get("thread");
  return thread instanceof Y.Array ? (thread as Y.Array<Y.Map<unknown>>) : null;
}

export function addComment(
  doc: Y.Doc,
  author: Author,
  annotationId: string,
  text: string,
  replyTo: string | null = null,
) {
  const trimmed = text.trim();
  if (!trimmed) return;
  threadOf(doc, annotationId)?.push([commentMap(author, trimmed, replyTo)]);
}

/** Only the author's own comment changes; anyone else's call does nothing. */
export function editComment(
  doc: Y.Doc,
  author: Author,
  annotationId: string,
  commentId: string,
  text: string,
) {
  const thread = threadOf(doc, annotationId);
  const trimmed = text.trim();
  if (!thread || !trimmed) return;
  for (const comment of thread.toArray()) {
    if (comment.get("id") === commentId && comment.get("authorId") === author.userId) {
      doc.transact(() => {
        comment.set("text", trimmed);
        comment.set("edited", true);
      });
    }
  }
}

export function deleteComment(doc: Y.Doc, author: Author, annotationId: string, commentId: string) {
  const thread = threadOf(doc, annotationId);
  if (!thread) return;
  const index = thread
    .toArray()
    .findIndex((c) => c.get("id") === commentId && c.get("authorId") === author.userId);
  if (index >= 0) thread.delete(index, 1);
}

export function deleteAnnotation(doc: Y.Doc, author: Author, annotationId: string) {
  const entry = annotationsOf(doc).get(annotationId);
  if (entry && entry.get("authorId") === author.userId) annotationsOf(doc).delete(annotationId);
}

/** Calls back with the current list now and after every change (local or remote). */
export function watchAnnotations(doc: Y.Doc, onChange: (list: Annotation[]) => void): () => void {
  const map = annotationsOf(doc);
  const handler = () => onChange(readAnnotations(doc));
  map.observeDeep(handler);
  handler();
  return () => map.unobserveDeep(handler);
}
