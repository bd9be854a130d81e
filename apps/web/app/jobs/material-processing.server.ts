import { materialRepository } from "@titles/db";
import { type MaterialDeps, type ProcessOutcome, processMaterial } from "~/services/materials.server";

type Deps = Pick<MaterialDeps, "db" | "files" | "limits">;

/**
 * Re-encodes the photos waiting (oldest first), one at a time, until none is left or `max` were
 * done. Returns what happened to each. Safe to run beside a viewer processing on demand or another
 * worker: a photo already done is skipped.
 */
export async function processPendingMaterials(
  deps: Deps,
  now: () => Date,
  max = Number.POSITIVE_INFINITY,
): Promise<Record<ProcessOutcome, number>> {
  const done: Record<ProcessOutcome, number> = { ready: 0, failed: 0, "not-pending": 0 };
  let count = 0;
  while (count < max) {
    const batch = await materialRepository.findPending(deps.db, Math.min(16, max - count));
    if (batch.length === 0) break;
    for (const { id } of batch) {
      done[await processMaterial(deps, id, now())] += 1;
      count += 1;
    }
  }
  return done;
}

/**
 * The photo worker: polls for pending photos every `idleMs` and works through them. It runs in its
 * own process at the lowest CPU priority (`worker.ts`), so on deadline day uploads and confirmations
 * come first and the photos are re-encoded with whatever the machine has left.
 */
export function startMaterialProcessing(
  deps: Deps,
  options: { idleMs?: number; now?: () => Date; log?: (line: string) => void } = {},
): { stop(): Promise<void> } {
  const idleMs = options.idleMs ?? 1000;
  const now = options.now ?? (() => new Date());
  let stopped = false;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (!stopped) {
      try {
        const done = await processPendingMaterials(deps, now, 200);
        if (done.ready + done.failed > 0) {
          options.log?.(
            `[worker] 照片已处理 / photos processed: ${done.ready} ready, ${done.failed} unreadable`,
          );
          continue;
        }
      } catch (error) {
        options.log?.(`[worker] ${error instanceof Error ? error.message : String(error)}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();
  return {
    async stop() {
      stopped = true;
      (wake as (() => void) | null)?.();
      await loop;
    },
  };
}
