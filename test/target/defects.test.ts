// The defect catalogue: well-formed, covering every contract statement, and each defect changes what the
// probes of the statement it breaks observe (against a reference observed once per statement).
import { describe, expect, it } from 'vitest';
import { CONTRACT_IDS, type ContractId } from '../../fixtures/contract/statements.ts';
import { DEFECTS, defectByName } from '../../fixtures/target/defects.ts';
import { observe } from '../support/target-probes.ts';

describe('defect catalogue', () => {
  it('has at least 44 uniquely named defects covering every contract id', () => {
    expect(DEFECTS.length).toBeGreaterThanOrEqual(44);
    expect(new Set(DEFECTS.map((d) => d.name)).size).toBe(DEFECTS.length);
    for (const d of DEFECTS) {
      expect(d.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(CONTRACT_IDS).toContain(d.breaks);
      expect(d.description.length).toBeGreaterThan(10);
      expect(defectByName(d.name)).toBe(d);
    }
    expect(new Set(DEFECTS.map((d) => d.breaks))).toEqual(new Set(CONTRACT_IDS));
    expect(() => defectByName('nope')).toThrow(/--list-defects/);
  });

  const reference = new Map<ContractId, Promise<unknown>>();
  const referenceFor = (id: ContractId) => {
    if (!reference.has(id)) reference.set(id, observe({}, id));
    return reference.get(id)!;
  };

  it.each(DEFECTS.map((d) => [d.name, d.breaks]))('%s changes what a check of %s observes', async (name, id) => {
    const [ref, got] = await Promise.all([referenceFor(id as ContractId), observe({ defect: name }, id as ContractId)]);
    expect(got).not.toEqual(ref);
  });
});
