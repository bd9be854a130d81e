// In the browser zod must not probe `new Function` (its fast path): the CSP forbids eval and the probe
// alone raises a violation. Imported first by main.tsx, so it runs before any schema is built.
import { z } from "zod";

if (typeof document !== "undefined") z.config({ jitless: true });
