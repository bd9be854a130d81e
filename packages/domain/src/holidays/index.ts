import type { CalendarYear } from "../calendar";
import { calendar2021 } from "./2021";
import { calendar2022 } from "./2022";
import { calendar2023 } from "./2023";
import { calendar2024 } from "./2024";
import { calendar2025 } from "./2025";
import { calendar2026 } from "./2026";

/** The State Council's holiday tables we ship; the admin may add or edit years. */
export const officialCalendarYears: readonly CalendarYear[] = [
  calendar2021,
  calendar2022,
  calendar2023,
  calendar2024,
  calendar2025,
  calendar2026,
];

export { calendar2021, calendar2022, calendar2023, calendar2024, calendar2025, calendar2026 };
