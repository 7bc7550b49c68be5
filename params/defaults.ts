/**
 * The project's own defaults: what the pipeline asks for when the params are silent, where that
 * is not the service's documented default. The service's defaults are the table of kinds'
 * (`service/kinds.ts`); these are a second tier on top, and only the program reads them (the
 * emulator plays the service, so it never does). `test/service.test.ts` checks that each one
 * names a Create member and differs from the service's default, or it would not be a choice; the
 * compiler, that each is a member of the kind's Create request as the SDK types it.
 * `withDefaults(kind, record, PROJECT_DEFAULTS)` (service/kinds.ts) applies both tiers.
 */
import type { DefaultsTier } from "../service/kinds";

export const PROJECT_DEFAULTS = {
  Solution: {
    /** The service would retrain (and bill) every 7 days: off unless the params ask for it. */
    performAutoTraining: false,
  },
} as const satisfies DefaultsTier;
