import { createDb, type Db, type DbHandle, fieldKeysFromConfig, installFieldKeys } from "@titles/db";
import { env } from "~/env.server";

let handle: DbHandle | null = null;

export function database(): DbHandle {
  if (!handle) {
    // The repositories encrypt and decrypt ID and phone numbers with these (decision 0016).
    if (env().NODE_ENV === "production" && !env().DATA_ENCRYPTION_KEY) {
      console.warn(
        "[config] DATA_ENCRYPTION_KEY 未设置，使用由 LOOKUP_HASH_KEY 派生的密钥（仅适用于开发）/ is not set: using a key derived from LOOKUP_HASH_KEY (fit for development only)",
      );
    }
    installFieldKeys(fieldKeysFromConfig(env()));
    handle = createDb({ url: env().DATABASE_URL, max: 10 });
  }
  return handle;
}

export function db(): Db {
  return database().db;
}
