/** The minimal Role exactly as the README documents it, so the tests run with what users are told to grant. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { V1Role } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { ROOT } from '../../scripts/lib/runner.mjs';

export function readmeRole(): V1Role {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = /```yaml\n(# polysync-aks-action minimal Role\n[\s\S]*?)```/.exec(readme);
  if (!block?.[1]) throw new Error('README.md lost its "# polysync-aks-action minimal Role" block');
  return parse(block[1]) as V1Role;
}

/** The minimal Role plus the README's extra rule block named `# polysync-aks-action <what> rule`. */
export function readmeRoleWith(what: string): V1Role {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const block = new RegExp(`\`\`\`yaml\n# polysync-aks-action ${what} rule\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (!block?.[1]) throw new Error(`README.md lost its "# polysync-aks-action ${what} rule" block`);
  const role = readmeRole();
  return { ...role, rules: [...(role.rules ?? []), ...(parse(block[1]) as NonNullable<V1Role['rules']>)] };
}
