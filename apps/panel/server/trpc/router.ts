import { router } from "./init";
import { committeeCloseBallot } from "./procedures/committee-close-ballot";
import { committeeCloseMeeting } from "./procedures/committee-close-meeting";
import { committeeDeclareRecusal } from "./procedures/committee-declare-recusal";
import { committeeOpenBallot } from "./procedures/committee-open-ballot";
import { committeeRollCall } from "./procedures/committee-roll-call";
import { getCommitteeRoom } from "./procedures/committee-room";
import { committeeSignBallot } from "./procedures/committee-sign-ballot";
import { committeeVote } from "./procedures/committee-vote";
import { getReviewOpinions } from "./procedures/defense-get-opinions";
import { getDefenseScoring } from "./procedures/defense-get-scoring";
import { getDefenseSheet } from "./procedures/defense-get-sheet";
import { saveDefenseDraft } from "./procedures/defense-save-draft";
import { submitDefenseScores } from "./procedures/defense-submit";
import { writeReviewOpinion } from "./procedures/defense-write-opinion";
import { getAgenda } from "./procedures/get-agenda";
import { getDossier } from "./procedures/get-dossier";
import { getLobby } from "./procedures/get-lobby";
import { listMeetings } from "./procedures/list-meetings";

export const appRouter = router({
  lobby: router({ get: getLobby }),
  dossier: router({ get: getDossier }),
  meetings: router({ list: listMeetings, agenda: getAgenda }),
  defense: router({
    scoring: getDefenseScoring,
    sheet: getDefenseSheet,
    saveDraft: saveDefenseDraft,
    submit: submitDefenseScores,
    opinions: getReviewOpinions,
    writeOpinion: writeReviewOpinion,
  }),
  committee: router({
    room: getCommitteeRoom,
    rollCall: committeeRollCall,
    openBallot: committeeOpenBallot,
    vote: committeeVote,
    closeBallot: committeeCloseBallot,
    signBallot: committeeSignBallot,
    closeMeeting: committeeCloseMeeting,
    declareRecusal: committeeDeclareRecusal,
  }),
});

export type AppRouter = typeof appRouter;
