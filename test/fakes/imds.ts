/**
 * Azure Instance Metadata Service, the managed-identity token endpoint as a VM sees it
 * (learn.microsoft.com "How to use managed identities for Azure resources on an Azure VM to acquire an
 * access token"; errors as IMDS answers them, e.g. the 400 quoted in Hexadite/acs-keyvault-agent#43):
 * GET /metadata/identity/oauth2/token?api-version=2018-02-01&resource=<r>[&client_id=<id>], `Metadata: true`.
 * - no Metadata header → 400 "Required metadata header not specified";
 * - no client_id: the system-assigned identity, else the only user-assigned one, else with several
 *   400 "Multiple user assigned identities exist, …", with none 400 "Identity not found";
 * - client_id of an identity not on the VM → 400 "Identity not found".
 * One HTTP server on 127.0.0.1 plays many VMs: each VM's base URL is /<vmId> (the action appends the path).
 * Queued failures (429, 5xx) answer the next requests first, for retry tests.
 */
import { randomUUID } from 'node:crypto';
import http, { type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface VmSpec {
  /** Client id (an Entra app of the fake) of the system-assigned identity, if enabled. */
  readonly systemAssigned?: string;
  readonly userAssigned?: readonly string[];
  /** Statuses answered, in order, before any real answer (429, 500, 503…). */
  readonly failures?: readonly number[];
}

export interface Vm {
  readonly vmId: string;
  /** Give to the action as POLYSYNC_IMDS_ENDPOINT. */
  readonly endpoint: string;
}

export interface ImdsRequest {
  readonly metadataHeader: string | undefined;
  readonly clientId: string | null;
  readonly resource: string | null;
  readonly status: number;
}

export interface ImdsFake {
  readonly url: string;
  addVm(spec: VmSpec): Vm;
  requests(vmId: string): readonly ImdsRequest[];
  close(): Promise<void>;
}

/** Mints the Entra access token of an identity for a resource (undefined: unknown resource). */
export type Mint = (clientId: string, resource: string) => { accessToken: string; expiresIn: number } | undefined;

const invalid = (description: string): { error: string; error_description: string } => ({ error: 'invalid_request', error_description: description });

export async function startImds(mint: Mint): Promise<ImdsFake> {
  const vms = new Map<string, { spec: VmSpec; failures: number[]; log: ImdsRequest[] }>();

  const answer = (res: ServerResponse, status: number, body: unknown): number => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', server: 'IMDS/150.870.65.1854' });
    res.end(JSON.stringify(body));
    return status;
  };

  function token(res: ServerResponse, vm: { spec: VmSpec; failures: number[] }, url: URL, metadata: string | undefined): number {
    if (metadata !== 'true') return answer(res, 400, invalid('Required metadata header not specified'));
    const failure = vm.failures.shift();
    if (failure === 429) return answer(res, 429, { error: 'too_many_requests', error_description: 'Too many requests' });
    if (failure !== undefined) return answer(res, failure, { error: 'unknown_error', error_description: 'IMDS is temporarily unavailable' });
    if (url.searchParams.get('api-version') === null) return answer(res, 400, invalid("Required query variable 'api-version' is missing"));
    const resource = url.searchParams.get('resource');
    if (!resource) return answer(res, 400, invalid("Required query variable 'resource' is missing"));
    const users = vm.spec.userAssigned ?? [];
    const asked = url.searchParams.get('client_id');
    let identity: string | undefined;
    if (asked !== null) {
      identity = [vm.spec.systemAssigned, ...users].find((id) => id !== undefined && id.toLowerCase() === asked.toLowerCase());
      if (identity === undefined) return answer(res, 400, invalid('Identity not found'));
    } else if (vm.spec.systemAssigned !== undefined) {
      identity = vm.spec.systemAssigned;
    } else if (users.length > 1) {
      return answer(res, 400, invalid('Multiple user assigned identities exist, please specify the clientId / resourceId of the identity in the token request'));
    } else {
      identity = users[0];
      if (identity === undefined) return answer(res, 400, invalid('Identity not found'));
    }
    const minted = mint(identity, resource);
    if (!minted) {
      return answer(res, 400, { error: 'invalid_resource', error_description: `AADSTS500011: The resource principal named ${resource} was not found in the tenant.` });
    }
    const now = Math.floor(Date.now() / 1000);
    return answer(res, 200, {
      access_token: minted.accessToken, client_id: identity, expires_in: String(minted.expiresIn), expires_on: String(now + minted.expiresIn),
      ext_expires_in: String(minted.expiresIn), not_before: String(now), resource, token_type: 'Bearer',
    });
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const [, vmId = '', ...rest] = url.pathname.split('/');
    const vm = vms.get(vmId);
    if (!vm || `/${rest.join('/')}` !== '/metadata/identity/oauth2/token' || req.method !== 'GET') {
      answer(res, 404, { error: 'not_found' });
      return;
    }
    const metadata = typeof req.headers.metadata === 'string' ? req.headers.metadata : undefined;
    const status = token(res, vm, url, metadata);
    vm.log.push({ metadataHeader: metadata, clientId: url.searchParams.get('client_id'), resource: url.searchParams.get('resource'), status });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    addVm(spec) {
      const vmId = randomUUID();
      vms.set(vmId, { spec, failures: [...(spec.failures ?? [])], log: [] });
      return { vmId, endpoint: `${base}/${vmId}` };
    },
    requests: (vmId) => [...(vms.get(vmId)?.log ?? [])],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
