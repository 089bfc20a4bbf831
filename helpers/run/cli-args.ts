// One way every command reads its options: node:util's parseArgs, --help and --version for every command,
// and a mistake as one line naming the option and the fix (a ConfigError: exit 2), never a stack trace.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/config-error.ts';
import { suiteVersion } from './run-info.ts';

export interface Command<O extends Options> {
  /** as npm runs it: `npm run <name>` */
  name: string;
  usage: string;
  options: O;
  /** operands (a reports folder, files to compare) */
  positionals?: boolean;
}

const COMMON = { help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } } as const;

type Options = NonNullable<ParseArgsConfig['options']>;

/** The values read: a string option's text, a boolean option's presence. */
export type Values<O extends Options> = {
  [K in keyof O]?: O[K]['type'] extends 'string' ? string : boolean;
} & { help?: boolean; version?: boolean };

export type ReadArgs<O extends Options> =
  | { values: Values<O>; positionals: string[] }
  /** --help or --version: what to print, and nothing else to do */
  | { print: string };

/** The options of `cmd` in `argv`; --help and --version answered for every command alike. */
export function readArgs<O extends Options>(cmd: Command<O>, argv: readonly string[]): ReadArgs<O> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...cmd.options, ...COMMON },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new ConfigError(`${mistake(e as Error & { code?: string })}; see npm run ${cmd.name} -- --help`);
  }
  const values = parsed.values as unknown as Values<O>;
  if (values.help) return { print: cmd.usage };
  if (values.version) return { print: `customer-api-conformance ${suiteVersion()}` };
  if (!cmd.positionals && parsed.positionals.length)
    throw new ConfigError(`unexpected argument ${parsed.positionals[0]}; see npm run ${cmd.name} -- --help`);
  return { values, positionals: parsed.positionals };
}

/** node:util's message, in the suite's words. */
function mistake(e: Error & { code?: string }): string {
  const option = /'(-[^']*)'/.exec(e.message)?.[1]?.split(/[ =]/)[0];
  if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option ?? e.message}`;
  if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `option ${option ?? ''} needs a value`.trim();
  return e.message.split('\n')[0]!;
}

/** For a command's top level: its options, or the process ends here (--help/--version: 0; a mistake: one line, 2). */
export function argsOrExit<O extends Options>(
  cmd: Command<O>,
  argv: readonly string[],
): { values: Values<O>; positionals: string[] } {
  try {
    const read = readArgs(cmd, argv);
    if (!('print' in read)) return read;
    process.stdout.write(`${read.print}\n`);
    process.exit(0);
  } catch (e) {
    process.stderr.write(`${cmd.name}: ${(e as Error).message}\n`);
    process.exit(2);
  }
}
