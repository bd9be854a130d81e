import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { isMainThread } from "node:worker_threads";
import { Piscina } from "piscina";
import { preloadDocumentFonts } from "~/documents/fonts.server";
import { type CertificatePdfInput, renderCertificatePdf } from "./pdf.server";

/**
 * Bulk issuance renders thousands of certificates; rendering is CPU-bound JavaScript (font subsetting,
 * deflate), so one event loop uses one core. This pool renders on worker threads — one per core by default —
 * while the calling thread signs, hashes and writes. Each thread parses the fonts once (about 60 MB each).
 *
 * This module is also the workers' entry point (its default export), so it must run from its source file:
 * processes started with tsx (the job worker, the benchmark) can use it; code bundled by Vite should call
 * `renderCertificatePdf` directly.
 */
export interface CertificateRenderPool {
  render(input: CertificatePdfInput): Promise<Uint8Array>;
  readonly threads: number;
  /** Waits for the rendering in flight, then stops the threads. */
  close(): Promise<void>;
}

export function createCertificateRenderPool(options: { threads?: number } = {}): CertificateRenderPool {
  const threads = options.threads ?? Math.max(1, availableParallelism());
  const pool = new Piscina<CertificatePdfInput, Uint8Array>({
    filename: fileURLToPath(import.meta.url),
    minThreads: threads,
    maxThreads: threads,
    // Rendering allocates many short-lived objects; V8's default young generation lets each thread grow by
    // about 100 MB more than it needs (measured with bench:certs), for no measurable speed.
    resourceLimits: { maxYoungGenerationSizeMb: 24 },
    // No queue limit: the caller bounds how many certificates are in flight (each waiting task holds
    // only its small input), and a limit here would fail tasks instead of delaying them.
  });
  return {
    threads,
    render: (input) => pool.run(input),
    async close() {
      await pool.close();
    },
  };
}

// In a worker thread: parse the fonts before the first task instead of during it.
if (!isMainThread) preloadDocumentFonts();

/** The worker's task: render, then hand the bytes back without copying them. */
export default async function renderInWorker(input: CertificatePdfInput): Promise<unknown> {
  return Piscina.move(await renderCertificatePdf(input));
}
