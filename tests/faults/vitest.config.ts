import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// `npm run test:faults`: faults injected into real processes (decision 0017). Apart from the main
// vitest run (its projects never include this folder); one file at a time, they share the machine.
export default defineConfig({
  // The cache with the others', not a node_modules folder of its own here.
  cacheDir: fileURLToPath(new URL("../../node_modules/.vite/faults", import.meta.url)),
  resolve: { alias: { "~": fileURLToPath(new URL("../../apps/web/app", import.meta.url)) } },
  test: {
    name: "faults",
    root: fileURLToPath(new URL(".", import.meta.url)),
    include: ["*.fault.test.ts"],
    fileParallelism: false,
    testTimeout: 150_000,
    hookTimeout: 120_000,
  },
});
