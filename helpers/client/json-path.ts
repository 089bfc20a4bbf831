// A value inside parsed JSON by its dotted path (`billing.address_1`): how the contract's field table names
// nested fields, and how the marker field may be configured.

/** The value at `path` in `obj`; undefined where a step is missing or not an object. */
export function at(obj: unknown, path: string): unknown {
  let cur = obj;
  for (const seg of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[seg];
  }
  return cur;
}
