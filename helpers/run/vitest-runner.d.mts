import { TestRunner } from 'vitest';

export default class ReleasingRunner extends TestRunner {
  onTaskUpdate(packs: unknown[], events: unknown[]): Promise<void> | undefined;
}
