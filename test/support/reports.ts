// What the gate tests read from a run's reports: Allure results, JSON files, and keys to sign certificates with.
import { generateKeyPairSync } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** the key a certifying body signs certificates with, and another one */
export const SIGNER = generateKeyPairSync('ed25519', {
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
export const STRANGER = generateKeyPairSync('ed25519', {
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export interface AllureResult {
  name: string;
  fullName: string;
  status: string;
  labels: { name: string; value: string }[];
  /** each statement the check verifies, a paragraph each */
  descriptionHtml?: string;
  steps: AllureStep[];
  statusDetails?: { message?: string; trace?: string };
}
export interface AllureStep {
  name: string;
  status?: string;
  attachments: { name: string; source: string }[];
  steps: AllureStep[];
}
export const allAttachments = (st: AllureStep): AllureStep['attachments'] => [
  ...(st.attachments ?? []),
  ...(st.steps ?? []).flatMap(allAttachments),
];

export const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** Every test result in `dir` (an allure-results folder). */
export const allureResults = (dir: string): AllureResult[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith('-result.json'))
    .map((f) => json(join(dir, f)) as unknown as AllureResult);
