// Reproductions a vendor can run: for each failed check, reports/reproduce/<n>-<check>.sh (bash and curl,
// credentials from the same CUSTOMER_API_* variables as the suite) with each request body beside it, sent
// byte for byte. It replays the check's requests up to the one that got the wrong answer, on customers it
// creates itself (and deletes again, also when interrupted), prints expected and actual, and exits 1 while
// the nonconformance shows, 0 once the answer is one the contract allows. A failure that is not about the
// status (a value stored wrong, a timestamp, a body's shape) needs the suite's oracle: such a script replays
// and prints, then reruns that one check with the suite, under the settings and seed of the run it came from.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CheckResult, ReplayStep } from './result.ts';
import { oneLine } from '../client/text.ts';
import { shellQuote } from '../client/curl.ts';

const q = shellQuote;
const ROOT = resolve(import.meta.dirname, '../..');

/** What a script needs besides the failed check: the auth scheme, and the settings the run judged under. */
export interface ReproductionContext {
  bearer: boolean;
  /** CUSTOMER_API_* settings and CONFORMANCE_SEED in force (no connection, no secret) */
  settings: Record<string, string>;
  /** the suite's folder, for the judgements a shell cannot make */
  suite?: string;
}

/** The verdict of the check itself, rerun by the suite on the same settings and seed: 0, 1, or 2 (cannot tell). */
function rerunJudge(title: string, ctx: ReproductionContext): string[] {
  return [
    'echo "not about the status alone: the suite judges it, rerunning this check under the run\'s settings and seed"',
    `SUITE="\${CONFORMANCE_SUITE:-${(ctx.suite ?? ROOT).replace(/["$`\\]/g, '\\$&')}}"`,
    '[ -f "$SUITE/bin/launch.mjs" ] || ' +
      '{ echo "the suite is not at $SUITE: set CONFORMANCE_SUITE to its folder"; exit 2; }',
    'RERUN=$(mktemp -d)',
    ...Object.entries(ctx.settings).map(([k, v]) => `export ${k}=${q(v)}`),
    `(cd "$SUITE" && CONFORMANCE_REPORTS_DIR="$RERUN" node bin/launch.mjs conformance --only ${q(title)}) ` +
      '>"$RERUN/out" 2>&1',
    'code=$?',
    // the failure's expected and actual, and the verdict; all of it when the suite could not tell
    'case $code in',
    `  0|1) sed -n -e '/^Failed statements/,/^Statements:/p' -e '/^Verdict:/p' "$RERUN/out" ` +
      `| grep -v '^    \\(reproduce\\|request\\) ' ;;`,
    '  *) cat "$RERUN/out" ;;',
    'esac',
    'case $code in',
    '  0) echo "conforms: the check passes"; exit 0 ;;',
    '  1) echo "the nonconformance shows"; exit 1 ;;',
    '  *) echo "cannot tell: the suite exited $code"; exit 2 ;;',
    'esac',
  ];
}
const slug = (s: string) =>
  s
    .replace(/^\[[^\]]*\]\s*/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60);

const NO_500 = /^no 500 for /;

/**
 * The statuses a failure's "expected" names (status 400, or status 400 or 404); none when it is not about the
 * status.
 */
export function expectedStatuses(expected: string): number[] {
  const m = /^status (\d{3}(?: or \d{3})*)\b/.exec(expected);
  return m ? m[1]!.split(' or ').map(Number) : [];
}

function authArgs(a: ReplayStep['auth'], bearer: boolean): string {
  if (a === 'none' || a === 'masked') return '';
  if (typeof a === 'object') return `-H ${q(`Authorization: ${a.literal}`)}`;
  const p = a === 'main' ? 'CUSTOMER_API' : 'CUSTOMER_API_OTHER';
  return bearer ? `-H "Authorization: Bearer $${p}_KEY"` : `-u "$${p}_USER_ID:$${p}_KEY"`;
}

/** The curl lines that replay the steps (the last is the judged one), and the body files they send. */
function replaySteps(
  steps: readonly ReplayStep[],
  name: string,
  bearer: boolean,
): { lines: string[]; bodies: Record<string, Buffer> } {
  const ids = new Map<string, string>();
  const bodies: Record<string, Buffer> = {};
  const lines: string[] = [];
  steps.forEach((s, i) => {
    // the path as one shell word: the run's customer ids replaced by the ones this script created
    let path = q(s.path);
    for (const [id, v] of ids) path = path.split(id).join(`'"$${v}"'`);
    const headers = Object.entries(s.headers)
      .map(([k, v]) => `-H ${q(`${k}: ${v}`)}`)
      .join(' ');
    let body = '';
    if (s.body !== undefined) {
      const file = `${name}.${i + 1}.body`;
      bodies[file] = Buffer.from(s.body, 'base64');
      body = `--data-binary @"$HERE/${file}"`;
    }
    const last = i === steps.length - 1;
    lines.push(
      `# step ${i + 1}: ${s.method} ${oneLine(s.path).slice(0, 100)}${last ? ' (the answer the check judged)' : ''}`,
    );
    lines.push(
      (
        `status=$(curl -sS --path-as-is -o "$OUT" -w '%{http_code}' -X ${s.method} "$BASE"${path} ` +
        `${headers} ${authArgs(s.auth, bearer)} ${body})`
      ).replace(/ +/g, ' '),
    );
    lines.push(`echo "step ${i + 1}: ${s.method} → $status"`);
    if (s.created) {
      const v = `ID${ids.size + 1}`;
      ids.set(s.created, v);
      lines.push(
        `${v}=$(grep -o '"id" *: *"[0-9a-fA-F-]\\{36\\}"' "$OUT" | head -1 | grep -o '[0-9a-fA-F-]\\{36\\}' || true)`,
      );
      lines.push(
        `[ -n "$${v}" ] && CREATED+=("$${v}") || { echo "the create answered no customer id; cannot go on"; exit 2; }`,
      );
    }
  });
  return { lines, bodies };
}

/** The script for one failed check, and its body files; undefined when it cannot be replayed (a masked credential). */
export function reproduction(
  r: CheckResult,
  name: string,
  ctx: ReproductionContext,
): { script: string; bodies: Record<string, Buffer> } | undefined {
  // the failure a shell can judge best: a status the contract names, then "no 500", then any
  const placed = r.failures.filter((x) => x.step !== undefined);
  const f =
    placed.find((x) => expectedStatuses(x.expected).length) ?? placed.find((x) => NO_500.test(x.expected)) ?? placed[0];
  const steps = r.replay;
  if (!f || !steps || f.step! >= steps.length || steps.slice(0, f.step! + 1).some((s) => s.auth === 'masked'))
    return undefined;
  const statuses = expectedStatuses(f.expected);
  const { lines, bodies } = replaySteps(steps.slice(0, f.step! + 1), name, ctx.bearer);
  const judge = statuses.length
    ? [
        `case " ${statuses.join(' ')} " in *" $status "*) echo "conforms: status $status"; exit 0 ;; esac`,
        'echo "the nonconformance shows"',
        'exit 1',
      ]
    : NO_500.test(f.expected)
      ? ['[ "$status" != 500 ] && { echo "conforms: no 500"; exit 0; }', 'echo "the nonconformance shows"', 'exit 1']
      : rerunJudge(r.title, ctx);
  const script = [
    '#!/usr/bin/env bash',
    `# Reproduces: ${oneLine(r.title)}`,
    `# ${f.id}: expected ${oneLine(f.expected)}`,
    `#   the run got: ${oneLine(f.actual).slice(0, 300)}`,
    '# Reads CUSTOMER_API_BASE_URL, CUSTOMER_API_USER_ID, CUSTOMER_API_KEY (and CUSTOMER_API_OTHER_*) like the suite.',
    '# Exit 1: the nonconformance shows; 0: the answer is one the contract allows; 2: cannot tell.',
    ...(statuses.length || NO_500.test(f.expected)
      ? []
      : ['# Judged by rerunning the check with the suite (CONFORMANCE_SUITE, else where it ran), settings as below.']),
    'set -u',
    'HERE=$(cd "$(dirname "$0")" && pwd)',
    // without a target nothing can be told: 2, not the 1 of a nonconformance
    '[ -n "${CUSTOMER_API_BASE_URL:-}" ] || ' +
      '{ echo "set CUSTOMER_API_BASE_URL (and the keys) as for npm run conformance"; exit 2; }',
    'BASE="${CUSTOMER_API_BASE_URL%/}${CUSTOMER_API_RESOURCE_PATH:-/v2/customer}"',
    'OUT=$(mktemp)',
    'CREATED=()',
    'cleanup() {',
    '  for id in ${CREATED[@]+"${CREATED[@]}"}; do',
    // a customer a defective target moved to the other entity is deleted with that entity's keys
    `    s=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE "$BASE/$id" ${authArgs('main', ctx.bearer)})`,
    `    case "$s" in 403|404) [ -n "\${CUSTOMER_API_OTHER_KEY:-}" ] && ` +
      `s=$(curl -sS -o /dev/null -w '%{http_code}' -X DELETE "$BASE/$id" ${authArgs('other', ctx.bearer)}) ;; esac`,
    '    case "$s" in 2*) ;; *) echo "could not delete $id (status $s)" ;; esac',
    '  done',
    '  rm -rf "$OUT" ${RERUN:+"$RERUN"}',
    '}',
    'trap cleanup EXIT',
    "trap 'exit 130' INT TERM",
    `echo "expected: ${oneLine(f.expected).replace(/["$`\\]/g, '\\$&')}"`,
    ...lines,
    'echo "actual: status $status, body $(head -c 300 "$OUT")"',
    ...judge,
    '',
  ].join('\n');
  return { script, bodies };
}

/** Writes a reproduction for every failed check it can replay; returns the script of each check's title. */
export function writeReproductions(
  dir: string,
  results: readonly CheckResult[],
  ctx: ReproductionContext,
): Map<string, string> {
  const out = join(dir, 'reproduce');
  rmSync(out, { recursive: true, force: true });
  const made = new Map<string, string>();
  results
    .filter((r) => r.status === 'failed')
    .forEach((r, i) => {
      const name = `${String(i + 1).padStart(3, '0')}-${slug(r.title)}`;
      const rep = reproduction(r, name, ctx);
      if (!rep) return;
      mkdirSync(out, { recursive: true });
      for (const [file, bytes] of Object.entries(rep.bodies)) writeFileSync(join(out, file), bytes);
      writeFileSync(join(out, `${name}.sh`), rep.script);
      chmodSync(join(out, `${name}.sh`), 0o755);
      made.set(r.title, join(out, `${name}.sh`));
    });
  return made;
}
