// Starts the embedded reference target on its own, for trying the API by hand or pointing the suite at it.
//   npx tsx bin/target.ts [--port N] [--defect NAME] [--flavour reference|alternate|readings] [--latency MS]
//                         [--list-defects]
import { readArgs, type Values as ValuesOf } from '../helpers/run/cli-args.ts';
import { ACCOUNTS } from '../fixtures/target/accounts.ts';
import { DEFECTS } from '../fixtures/target/defects.ts';
import { FAULT_KINDS } from '../fixtures/target/faults.ts';
import { startTarget, type TargetOptions } from '../fixtures/target/server.ts';
import { CHOICES, choiceValue, type ChoiceRow, type Choices } from '../fixtures/contract/choices.ts';

/** one option per deployment choice, named after its key: --update-method, --malformed-id-status, … */
const optionOf = (r: ChoiceRow) => r.key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const ROWS: readonly ChoiceRow[] = CHOICES;

const USAGE =
  `usage: npx tsx bin/target.ts [--port N] [--defect NAME] [--flavour reference|alternate|readings] [--latency MS]
                          ` +
  `${ROWS.map((r) => `[--${optionOf(r)} ${r.values.join('|')}]`).join('\n                          ')}
                          [--fault drop|hang|status429|status503|truncate [--fault-method M] ` +
  `[--fault-path item|collection]
                           [--fault-times N] [--retry-after S] [--fault-after]]
                          [--list-defects] [--help] [--version]
  --fault-after: handle the request (a create stores its customer), then lose the answer that way`;

class UsageError extends Error {
  override name = 'UsageError';
}

function choice<T extends string>(flag: string, v: string | undefined, values: readonly T[]): T | undefined {
  if (v === undefined) return undefined;
  const hit = values.find((x) => x.toLowerCase() === v.toLowerCase());
  if (!hit) throw new UsageError(`--${flag} must be one of ${values.join(', ')} (got ${JSON.stringify(v)})`);
  return hit;
}

function int(flag: string, v: string | undefined, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
    throw new UsageError(`--${flag} must be a whole number from ${min} to ${max} (got ${JSON.stringify(v)})`);
  return Number(v);
}

function listDefects(): void {
  const w = Math.max(...DEFECTS.map((d) => d.name.length));
  const ids = new Set(DEFECTS.map((d) => d.breaks));
  console.log(`${DEFECTS.length} defects covering ${ids.size} contract ids (start one with --defect NAME):\n`);
  for (const d of DEFECTS) console.log(`${d.name.padEnd(w)}  ${d.breaks.padEnd(20)}  ${d.description}`);
}

const OPTIONS = {
  port: { type: 'string' },
  defect: { type: 'string' },
  flavour: { type: 'string' },
  latency: { type: 'string' },
  ...Object.fromEntries(ROWS.map((r) => [optionOf(r), { type: 'string' as const }])),
  fault: { type: 'string' },
  'fault-method': { type: 'string' },
  'fault-path': { type: 'string' },
  'fault-times': { type: 'string' },
  'retry-after': { type: 'string' },
  'fault-after': { type: 'boolean' },
  'list-defects': { type: 'boolean' },
} as const;

type Values = ValuesOf<typeof OPTIONS>;

/** The target's options from the command line (a bad value is a UsageError naming the option). */
function targetOptions(values: Values): TargetOptions {
  if (values.defect !== undefined && !DEFECTS.some((d) => d.name === values.defect)) {
    throw new UsageError(
      `unknown defect ${JSON.stringify(values.defect)}; ` +
        'run `npx tsx bin/target.ts --list-defects` for the valid names',
    );
  }
  const given = values as Record<string, string | boolean | undefined>;
  const chosen = ROWS.map((r) => [r, choice(optionOf(r), given[optionOf(r)] as string | undefined, r.values)] as const);
  const choices = chosen.filter(([, v]) => v !== undefined).map(([r, v]) => [r.key, choiceValue(r, v!)]);
  const fault = choice('fault', values.fault, FAULT_KINDS);
  return {
    port: int('port', values.port, 0, 65535),
    defect: values.defect,
    flavour: choice('flavour', values.flavour, ['reference', 'alternate', 'readings'] as const),
    latencyMs: int('latency', values.latency, 0, 600_000),
    ...(Object.fromEntries(choices) as Partial<Choices>),
    ...(fault
      ? {
          fault: {
            kind: fault,
            method: values['fault-method']?.toUpperCase(),
            path: choice('fault-path', values['fault-path'], ['item', 'collection'] as const),
            times: int('fault-times', values['fault-times'], 1, 1_000_000),
            retryAfterSec: int('retry-after', values['retry-after'], 0, 86_400),
            after: values['fault-after'] ?? false,
          },
        }
      : {}),
  };
}

async function main(): Promise<number> {
  const read = readArgs({ name: 'target', usage: USAGE, options: OPTIONS }, process.argv.slice(2));
  if ('print' in read) {
    console.log(read.print);
    return 0;
  }
  const { values } = read;
  if (values['list-defects']) {
    listDefects();
    return 0;
  }
  const opts = targetOptions(values);
  const target = await startTarget(opts);
  console.log(banner(opts, target.url));
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await target.close();
  console.log(`\nstopped after ${target.requests} requests; ${target.count()} customer(s) stored`);
  return 0;
}

/** What the target is, its credentials, and requests to try by hand. */
function banner(opts: TargetOptions, url: string): string {
  const resource = `${url}/v2/customer`;
  const a = ACCOUNTS.a;
  const b = ACCOUNTS.b;
  const method = opts.updateMethod ?? 'POST';
  return (
    `Customer API reference target (${opts.flavour ?? 'reference'} flavour` +
    `${opts.defect ? `, defect ${opts.defect}` : ''}${opts.fault ? `, fault ${JSON.stringify(opts.fault)}` : ''})
  service root:  ${url}
  resource:      ${resource}

These fixed test credentials only unlock this local target:
  entity A  CUSTOMER_API_ENTITY_ID=${a.entityId}  CUSTOMER_API_USER_ID=${a.userId}  CUSTOMER_API_KEY=${a.apiKey}
            bearer: ${a.bearer}
  entity B  CUSTOMER_API_OTHER_ENTITY_ID=${b.entityId}  CUSTOMER_API_OTHER_USER_ID=${b.userId}  ` +
    `CUSTOMER_API_OTHER_KEY=${b.apiKey}
            bearer: ${b.bearer}

Try it:
  curl -si -u '${a.userId}:${a.apiKey}' -H 'Content-Type: application/json' \\
       -d '{"entity_id":"${a.entityId}","company_name":"Acme"}' ${resource}
  curl -si -u '${a.userId}:${a.apiKey}' ${resource}/<id>
  curl -si -u '${a.userId}:${a.apiKey}' -X ${method} -H 'Content-Type: application/json' \\
       -d '{"entity_id":"${a.entityId}","company_name":"Acme B.V."}' ${resource}/<id>
  curl -si -u '${a.userId}:${a.apiKey}' -X DELETE ${resource}/<id>
  curl -si -u '${a.userId}:${a.apiKey}' '${resource}?search=company_name==Acme*'
  (add -H 'X-Conformance-Fault: 500' to any request to get an injected 500)

Ctrl-C stops it.`
  );
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    // one line, no stack: usage mistakes and startup failures alike
    const code = (e as { code?: string }).code;
    const msg = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    console.error(`target: ${msg}${code === 'EADDRINUSE' ? ' (choose another --port)' : ''}`);
    process.exit(2);
  },
);
