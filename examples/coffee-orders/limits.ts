/** Bounds of the coffee shop example, named so a test or a reader can see every one of them. */

/** Longest order id, customer name or card number accepted by the till. */
export const MAX_ORDER_TEXT_LENGTH = 64;
/** The dearest drink the till accepts, in cents. */
export const MAX_PRICE_CENTS = 100_000;
/** Portions one drink's station can hold: the stock record lists every holder, so it stays small. */
export const MAX_PORTIONS_PER_DRINK = 10_000;
/** Spills of one order before the barista makes it with care: the remake loop always ends. */
export const MAX_SPILLS_PER_ORDER = 3;
/** Compare-and-set attempts on one payment or stock record before giving up (the tuple fails and replays). */
export const MAX_RECORD_UPDATE_ATTEMPTS = 16;
/** Keys asked for per SCAN page when the gateway lists its ledger. */
export const LEDGER_SCAN_PAGE_KEYS = 500;
/** Pages of a ledger listing: with LEDGER_SCAN_PAGE_KEYS, far more keys than an example holds. */
export const MAX_LEDGER_SCAN_PAGES = 10_000;
/** How long run.ts waits for the shop or the views to catch up before it gives up. */
export const RUN_CATCH_UP_TIMEOUT_MS = 120_000;
/** How often run.ts looks at the committed offsets while waiting. */
export const RUN_POLL_INTERVAL_MS = 100;
/** Most orders one run.ts morning produces. */
export const MAX_RUN_ORDERS = 100_000;
