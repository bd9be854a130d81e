import { useEffect, useState } from "react";
import * as Y from "yjs";
import { z } from "zod";
import { type Annotation, type Author, watchAnnotations } from "./annotations";
import { type ProviderState, YjsSocketProvider } from "./yjs-socket-provider";

/** One other expert's presence as announced through awareness (the server vouches for `user`). */
export interface Peer {
  clientId: number;
  userId: string;
  name: string;
  color: string;
  page: number | null;
  cursor: { page: number; x: number; y: number } | null;
  self: boolean;
}

const ZPresence = z.object({
  user: z.object({ id: z.string(), name: z.string(), color: z.string() }),
  page: z.number().int().min(1).nullable().optional(),
  cursor: z
    .object({ page: z.number().int().min(1), x: z.number(), y: z.number() })
    .nullable()
    .optional(),
});

export interface DossierDoc {
  doc: Y.Doc | null;
  provider: YjsSocketProvider | null;
  state: ProviderState;
  annotations: Annotation[];
  peers: Peer[];
  author: Author | null;
  readOnly: boolean;
}

/** The live document of one dossier version: annotations, presence and the sync status. */
export function useDossierDoc(name: string | null): DossierDoc {
  const [doc, setDoc] = useState<Y.Doc | null>(null);
  const [provider, setProvider] = useState<YjsSocketProvider | null>(null);
  const [state, setState] = useState<ProviderState>({ status: { kind: "connecting" }, unsaved: 0 });
  const [annotations, setAnnotations] = useState<Annotation[]>([]);
  const [peers, setPeers] = useState<Peer[]>([]);

  useEffect(() => {
    if (!name) return;
    const ydoc = new Y.Doc();
    const live = new YjsSocketProvider(ydoc, name);
    setDoc(ydoc);
    setProvider(live);
    setState(live.current);
    let announced: unknown = null;
    const unsubscribe = live.subscribe((next) => {
      setState(next);
      if (next.status.kind === "joined" && next.status !== announced) {
        announced = next.status;
        const { userId, name: userName, color } = next.status.joined;
        // The server rewrites this with the same values; set here so our own entry shows at once.
        live.setPresence("user", { id: userId, name: userName, color });
      }
    });
    const unwatch = watchAnnotations(ydoc, setAnnotations);
    const readPeers = () => {
      const list: Peer[] = [];
      for (const [clientId, raw] of live.awareness.getStates()) {
        const parsed = ZPresence.safeParse(raw);
        if (!parsed.success) continue;
        list.push({
          clientId,
          userId: parsed.data.user.id,
          name: parsed.data.user.name,
          color: parsed.data.user.color,
          page: parsed.data.page ?? null,
          cursor: parsed.data.cursor ?? null,
          self: clientId === ydoc.clientID,
        });
      }
      setPeers(list);
    };
    live.awareness.on("change", readPeers);
    readPeers();
    return () => {
      live.awareness.off("change", readPeers);
      unwatch();
      unsubscribe();
      live.destroy();
      ydoc.destroy();
      setDoc(null);
      setProvider(null);
      setAnnotations([]);
      setPeers([]);
    };
  }, [name]);

  const joined = state.status.kind === "joined" ? state.status.joined : null;
  return {
    doc,
    provider,
    state,
    annotations,
    peers,
    author: joined ? { userId: joined.userId, name: joined.name, color: joined.color } : null,
    readOnly: joined?.readOnly ?? true,
  };
}
