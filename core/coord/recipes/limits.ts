/**
 * Limits of the coordination recipes. Every retry loop is bounded by one of these, so a recipe
 * facing a flapping connection or a hot counter fails loudly with a typed error instead of
 * spinning forever.
 */

/** ZooKeeper appends a 10-digit, zero-padded counter to sequential node names. */
export const SEQUENCE_DIGITS = 10;

/** Attempts at a create whose reply was lost (CONNECTIONLOSS) before giving up. Each retry first
 * looks for the node by its GUID, so a lost reply never leaves a second, orphaned node. */
export const MAX_CREATE_ATTEMPTS = 5;

/** Attempts at an idempotent request (getChildren, exists, getData, delete) interrupted by a lost connection. */
export const MAX_IDEMPOTENT_ATTEMPTS = 5;

/** Default compare-and-set attempts of one counter increment before reporting contention. */
export const DEFAULT_MAX_INCREMENT_ATTEMPTS = 100;

/** Hard ceiling on the attempts a caller may configure for one increment. */
export const MAX_INCREMENT_ATTEMPTS = 10_000;

/** Longest name of a group member or barrier participant (it becomes a znode name). */
export const MAX_MEMBER_NAME_BYTES = 255;

/** Most participants a double barrier may wait for. */
export const MAX_BARRIER_PARTICIPANTS = 10_000;
