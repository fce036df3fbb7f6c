/** Subcommands whose layer has not been built yet say so plainly and exit with EX_UNAVAILABLE. */

/** sysexits.h: "a service is unavailable" — distinct from usage errors (64) and failures (1). */
export const EXIT_UNAVAILABLE = 69;

export function notAvailableYet(command: string, layer: string): never {
  process.stderr.write(`barista ${command}: not available yet (${layer} is still being built); see README.md for what runs today\n`);
  process.exit(EXIT_UNAVAILABLE);
}
