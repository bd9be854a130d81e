import { router } from "./init.server";
import { getCurrentRound } from "./procedures/get-current-round";
import { getMe } from "./procedures/get-me";
import { listMyMessages } from "./procedures/list-my-messages";

export const appRouter = router({
  round: router({ current: getCurrentRound }),
  me: router({ get: getMe, messages: listMyMessages }),
});

export type AppRouter = typeof appRouter;
