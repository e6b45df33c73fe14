/**
 * Output, refusal messages and exit status shared by every ringlab command, browser or not
 * (`npm run whatif` needs no browser, so it imports this and not cli-session).
 */

export const out = (line: string): void => void process.stdout.write(`${line}\n`);
export const err = (line: string): void => void process.stderr.write(`ringlab: ${line}\n`);

/** The config check repairs bad values ("; using default 4"); a command refuses them instead. */
export const withoutRepair = (message: string): string => message.replace(/; (using .*|left unset)$/, '');

/** Runs a command's main and exits with its status; an unexpected error prints and exits 1. */
export function runMain(main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      err(e instanceof Error ? e.message : String(e));
      process.exit(1);
    },
  );
}
