import { router } from "./init";
import { getLobby } from "./procedures/get-lobby";

export const appRouter = router({
  lobby: router({ get: getLobby }),
});

export type AppRouter = typeof appRouter;
