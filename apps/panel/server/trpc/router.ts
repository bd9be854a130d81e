import { router } from "./init";
import { getAgenda } from "./procedures/get-agenda";
import { getDossier } from "./procedures/get-dossier";
import { getLobby } from "./procedures/get-lobby";
import { listMeetings } from "./procedures/list-meetings";

export const appRouter = router({
  lobby: router({ get: getLobby }),
  dossier: router({ get: getDossier }),
  meetings: router({ list: listMeetings, agenda: getAgenda }),
});

export type AppRouter = typeof appRouter;
