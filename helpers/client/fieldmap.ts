// One field map between the contract's names and a deployment's: keys are canonical dotted paths,
// values the deployment's name for that last segment (e.g. {"billing.phone": "telephone"}).
type Json = unknown;

function rename(value: Json, map: Record<string, string>, prefix: string): Json {
  if (Array.isArray(value)) return value.map((v) => rename(v, map, prefix));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value as Record<string, Json>)) {
    const path = prefix + k;
    out[map[path] ?? k] = rename(v, map, `${path}.`);
  }
  return out;
}

export class FieldMap {
  private readonly inverse: Record<string, string>;

  constructor(private readonly toDeployment: Record<string, string>) {
    // inverse keys are the deployment's paths: parent path stays canonical-renamed
    this.inverse = {};
    for (const [canonical, name] of Object.entries(toDeployment)) {
      const parent = canonical.includes('.') ? canonical.slice(0, canonical.lastIndexOf('.') + 1) : '';
      const deployedParent = parent
        ? parent
            .split('.')
            .filter(Boolean)
            .map((seg, i, all) => toDeployment[all.slice(0, i + 1).join('.')] ?? seg)
            .join('.') + '.'
        : '';
      this.inverse[deployedParent + name] = canonical.slice(parent.length);
    }
  }

  /** The deployment's dotted path for a contract path (e.g. the marker field in a list search). */
  deployedPath(path: string): string {
    const segs = path.split('.');
    return segs.map((seg, i) => this.toDeployment[segs.slice(0, i + 1).join('.')] ?? seg).join('.');
  }

  get isIdentity(): boolean {
    return Object.keys(this.toDeployment).length === 0;
  }

  outgoing(body: Json): Json {
    return this.isIdentity ? body : rename(body, this.toDeployment, '');
  }

  incoming(body: Json): Json {
    return this.isIdentity ? body : rename(body, this.inverse, '');
  }
}
