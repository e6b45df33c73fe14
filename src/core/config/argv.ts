/**
 * Command lines over the same field table as the URL: nccl-tests-style short flags (`-g 4`,
 * `-g4`), long flags (`--ranks 4`, `--ranks=4`), booleans (`--fit`, `--no-fit`,
 * `--fit=false`), `-h`/`--help`.
 */

import { type ConfigTable, type FieldError, defaults, fieldKeys, longFlag } from './fields';
import { applyText, crossCheck, describeField } from './url';
import { isBoolText } from './values';

/** A parsed command line. `help` is true when -h/--help was given. */
export interface ArgvResult<C> {
  config: C;
  errors: FieldError[];
  help: boolean;
}

/**
 * Reads a config from command-line arguments (without the program name). Unknown flags,
 * missing values and stray positional arguments are errors; a repeated flag keeps its last
 * value. A boolean flag takes the next argument unless that is another flag, and then it
 * must be a boolean literal.
 */
export function parseArgv<C>(table: ConfigTable<C>, argv: readonly string[]): ArgvResult<C> {
  const config = defaults(table.fields);
  const errors: FieldError[] = [];
  const byFlag = new Map<string, keyof C & string>();
  for (const key of fieldKeys(table.fields)) for (const flag of table.fields[key].flags) byFlag.set(flag, key);
  let help = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '-h' || arg === '--help') {
      help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-' || arg === '--') {
      errors.push({ field: arg, value: arg, message: `unexpected argument '${arg}' (options start with - or --; see --help)` });
      continue;
    }
    let flag = arg;
    let inline: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      flag = arg.slice(0, eq);
      inline = arg.slice(eq + 1);
    } else if (!arg.startsWith('--') && arg.length > 2 && !byFlag.has(arg)) {
      flag = arg.slice(0, 2); // getopt style: -g4
      inline = arg.slice(2);
    }
    const key = byFlag.get(flag);
    if (key === undefined && flag.startsWith('--no-') && inline === undefined) {
      const positive = byFlag.get(`--${flag.slice(5)}`);
      if (positive !== undefined && table.fields[positive].kind === 'bool') {
        config[positive] = false as C[typeof positive];
        continue;
      }
    }
    if (key === undefined) {
      errors.push({ field: flag, value: arg, message: `unknown option '${flag}'; see --help` });
      continue;
    }
    const spec = table.fields[key];
    if (spec.kind === 'bool' && inline === undefined) {
      const next = argv[i + 1];
      // A word after a boolean flag is its value (`--scaled maybe` names --scaled), since no
      // command takes positional arguments; a flag after it means the boolean stands alone.
      if (next !== undefined && (isBoolText(next) || !next.startsWith('-'))) {
        inline = next;
        i++;
      } else {
        config[key] = true as C[typeof key];
        continue;
      }
    }
    if (inline === undefined) {
      const next = argv[i + 1];
      if (next === undefined) {
        errors.push({ field: key, value: '', message: `${flag}: missing value; expected ${describeField(spec)}` });
        continue;
      }
      inline = next;
      i++;
    }
    applyText(table, config, key, flag, inline, errors);
  }
  return { config: crossCheck(table, config, errors), errors, help };
}

/** `--help` text: every flag, what it takes, its default, and whether it is in the URL. */
export function formatHelp<C>(table: ConfigTable<C>, title: string): string {
  const rows: [string, string][] = fieldKeys(table.fields).map((key) => {
    const spec = table.fields[key];
    const value = spec.kind === 'bool' ? '' : ` <${spec.kind}>`;
    const shortFlags = spec.flags.filter((f) => f !== longFlag(spec));
    const names = [...shortFlags, longFlag(spec)].join(', ') + value;
    const where = spec.cliOnly ? ' [command line only]' : '';
    return [names, `${spec.help} Allowed: ${describeField(spec)}.${where}`];
  });
  rows.push(['-h, --help', 'Show this help.']);
  const width = Math.min(Math.max(...rows.map(([n]) => n.length)) + 2, 34);
  const lines = rows.map(([names, text]) => (names.length + 2 > width ? `  ${names}\n  ${''.padEnd(width)}${text}` : `  ${names.padEnd(width)}${text}`));
  return `${title}\n\nOptions:\n${lines.join('\n')}\n`;
}
