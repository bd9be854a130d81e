import { roundRepository } from "@titles/db";
import { type RoundConfig, ZRoundConfig } from "@titles/domain";
import { db } from "~/lib/db.server";

/** The active round as validated configuration, or null when none runs. */
export async function activeRound(): Promise<RoundConfig | null> {
  const row = await roundRepository.findActive(db());
  return row ? ZRoundConfig.parse(row.config) : null;
}
