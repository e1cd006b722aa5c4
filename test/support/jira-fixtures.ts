import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { BlindIndex } from '../../src/ports/blind-index.js';

const fixturesBelow = path.join('shared', 'fixtures', 'jira', 'webhooks');

/**
 * The real Jira webhook bodies in ../shared/fixtures/jira/webhooks, seen
 * from the repository. A worktree of it sits a folder deeper than the
 * main checkout, so the nearest ancestor that holds them is taken.
 */
export const webhookFixturesDir = nearestFixtures(
  path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'),
);

function nearestFixtures(repository: string): string {
  for (let dir = path.dirname(repository); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, fixturesBelow);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) {
      return path.join(path.dirname(repository), fixturesBelow);
    }
  }
}

export interface WebhookFixture {
  name: string;
  raw: Buffer;
  body: Record<string, unknown> & {
    webhookEvent: string;
    timestamp: number;
    issue: { id: string; key: string; fields: Record<string, unknown> };
  };
}

export function webhookFixture(name: string): WebhookFixture {
  const raw = fs.readFileSync(path.join(webhookFixturesDir, name));

  return { name, raw, body: JSON.parse(raw.toString('utf8')) };
}

export function allWebhookFixtures(): WebhookFixture[] {
  return fs
    .readdirSync(webhookFixturesDir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map(webhookFixture);
}

/** A blind index under a fixed key: equal inputs, equal digests. */
export const fixedBlindIndex: BlindIndex = {
  ofTenantValue: async (tenantId, purpose, value) =>
    createHmac('sha256', 'test-index-key')
      .update(`${tenantId}\n${purpose}\n${value}`)
      .digest('base64url'),
  ofServiceValue: async (purpose, value) =>
    createHmac('sha256', 'test-service-key')
      .update(`${purpose}\n${value}`)
      .digest('base64url'),
};
