/**
 * Azure DevOps' OIDC token service for workload identity federation, as a task and a relying party
 * (Entra ID) see it:
 * - POST {collection}{projectId}/_apis/distributedtask/hubs/{hub}/plans/{planId}/jobs/{jobId}/oidctoken
 *   ?api-version=7.1&serviceConnectionId=<id> (learn.microsoft.com rest/api/azure/devops/distributedtask/
 *   oidctoken/create) with `Authorization: Bearer <System.AccessToken>` → 200 {"oidcToken":"<JWT>"}.
 *   The bearer must be the job's access token for that plan and job: otherwise 401 when the caller sent
 *   `X-TFS-FedAuthRedirect: Suppress`, else a 203 sign-in page, as Azure DevOps answers. An unknown
 *   service connection → 404 with Azure DevOps' error body ({"$id","message","typeName","typeKey"}).
 * - /{orgId}/.well-known/openid-configuration and its JWKS, as https://vstoken.dev.azure.com/{orgId} serves them.
 * Tokens are RS256 with Azure DevOps' claims: iss https://<this server>/<org id> (vstoken.dev.azure.com
 * in production), sub sc://<org>/<project>/<service connection name>, aud api://AzureADTokenExchange,
 * org/project/pipeline ids, and a 10-minute life (sigstore/fulcio#1803 shows a real token's claims).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { bearerToken, sendJson, startHttpsServer, type RunningServer } from './https-server.js';
import { createSigningKey, nowSeconds, signJwt } from './jwt.js';
import type { TestCa } from './test-ca.js';

export const AZURE_AD_TOKEN_EXCHANGE = 'api://AzureADTokenExchange';

/** The `sub` of a service connection's tokens. */
export const serviceConnectionSubject = (organization: string, project: string, name: string): string => `sc://${organization}/${project}/${name}`;

export interface ServiceConnectionSpec {
  /** The connection's name: the last segment of the token's subject. */
  readonly name: string;
  /** Defaults to a new GUID. */
  readonly id?: string;
}

export interface AzureDevOpsJobSpec {
  readonly organization: string;
  readonly project: string;
  readonly serviceConnections: readonly ServiceConnectionSpec[];
  /** Token lifetime; Azure DevOps' are 10 minutes. */
  readonly lifetimeSeconds?: number;
}

/** One pipeline job as the agent sees it: the values it puts into SYSTEM_* and the SystemVssConnection. */
export interface AzureDevOpsJob {
  readonly organization: string;
  readonly project: string;
  readonly organizationId: string;
  readonly projectId: string;
  readonly planId: string;
  readonly jobId: string;
  /** System.TeamFoundationCollectionUri / System.CollectionUri (this server, ending in '/'). */
  readonly collectionUri: string;
  /** System.OidcRequestUri. */
  readonly oidcRequestUri: string;
  /** System.AccessToken. */
  readonly accessToken: string;
  /** The `iss` of every token: https://127.0.0.1:PORT/<org id>. */
  readonly issuer: string;
  /** name → id of the job's service connections. */
  readonly serviceConnectionIds: Readonly<Record<string, string>>;
  /** The `sub` of a connection's tokens: sc://<org>/<project>/<name>. */
  subjectFor(connectionName: string): string;
}

export interface OidcStats {
  /** Tokens issued for this job, in order, with the connection each was for. */
  readonly issued: ReadonlyArray<{ readonly serviceConnectionId: string; readonly token: string }>;
  /** Requests refused (bad bearer, unknown connection...), with their status. */
  readonly refused: readonly number[];
}

export interface AzureDevOpsOidcFake extends RunningServer {
  addJob(spec: AzureDevOpsJobSpec): AzureDevOpsJob;
  stats(accessToken: string): OidcStats;
}

interface JobState {
  readonly job: AzureDevOpsJob;
  readonly spec: AzureDevOpsJobSpec;
  readonly issued: Array<{ serviceConnectionId: string; token: string }>;
  readonly refused: number[];
}

/** Azure DevOps' error body (VssServiceException JSON). */
function vssError(res: ServerResponse, status: number, typeKey: string, message: string): void {
  sendJson(res, status, { $id: '1', innerException: null, message, typeName: `Microsoft.VisualStudio.Services.${typeKey}, Microsoft.VisualStudio.Services.WebApi`, typeKey, errorCode: 0, eventId: 3000 });
}

function unauthorized(req: IncomingMessage, res: ServerResponse): void {
  if ((req.headers['x-tfs-fedauthredirect'] ?? '').toString().toLowerCase() === 'suppress') {
    res.writeHead(401, { 'www-authenticate': 'Bearer', 'content-type': 'text/plain' }).end('Unauthorized');
  } else {
    res.writeHead(203, { 'content-type': 'text/html' }).end('<html><title>Azure DevOps Services | Sign In</title></html>');
  }
}

export async function startAzureDevOpsOidc(ca: TestCa): Promise<AzureDevOpsOidcFake> {
  const key = createSigningKey();
  const jobs = new Map<string, JobState>(); // by access token
  const orgs = new Set<string>();
  let base = '';

  const issue = (state: JobState, connectionName: string, serviceConnectionId: string): string => {
    const iat = nowSeconds();
    return signJwt({
      jti: randomUUID(),
      sub: state.job.subjectFor(connectionName),
      aud: AZURE_AD_TOKEN_EXCHANGE,
      org_id: state.job.organizationId,
      prj_id: state.job.projectId,
      sc_id: serviceConnectionId,
      run_id: '4711',
      iss: state.job.issuer,
      nbf: iat,
      iat,
      exp: iat + (state.spec.lifetimeSeconds ?? 600),
    }, key);
  };

  const server = await startHttpsServer(ca, (req, res, url) => {
    const discovery = /^\/([0-9a-f-]{36})\/\.well-known\/(openid-configuration|jwks)$/.exec(url.pathname);
    if (discovery && req.method === 'GET' && orgs.has(discovery[1] ?? '')) {
      const issuer = `${base}/${discovery[1]}`;
      if (discovery[2] === 'jwks') return sendJson(res, 200, { keys: [key.jwk] });
      return sendJson(res, 200, {
        issuer, jwks_uri: `${issuer}/.well-known/jwks`, subject_types_supported: ['public'],
        response_types_supported: ['id_token'], id_token_signing_alg_values_supported: ['RS256'], claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'nbf'],
      });
    }
    const route = /^\/([^/]+)\/([0-9a-f-]{36})\/_apis\/distributedtask\/hubs\/([^/]+)\/plans\/([^/]+)\/jobs\/([^/]+)\/oidctoken$/.exec(url.pathname);
    if (!route) return vssError(res, 404, 'RouteNotFoundException', `No route matches ${url.pathname}.`);
    if (req.method !== 'POST') return vssError(res, 405, 'MethodNotAllowedException', 'The requested resource does not support http method GET.');
    const state = jobs.get(bearerToken(req) ?? '');
    const [, org, projectId, , planId, jobId] = route;
    if (!state || state.job.organization !== org || state.job.projectId !== projectId || state.job.planId !== planId || state.job.jobId !== jobId) {
      state?.refused.push(401);
      return unauthorized(req, res);
    }
    const apiVersion = url.searchParams.get('api-version') ?? '';
    if (!/^7\.1(-preview\.1)?$/.test(apiVersion)) {
      state.refused.push(400);
      return vssError(res, 400, 'VssVersionOutOfRangeException', `The requested REST API version of ${apiVersion || '(none)'} is out of range for this server.`);
    }
    const id = url.searchParams.get('serviceConnectionId') ?? '';
    const name = Object.entries(state.job.serviceConnectionIds).find(([, v]) => v === id)?.[0];
    if (name === undefined) {
      state.refused.push(404);
      return vssError(res, 404, 'ServiceEndpointNotFoundException', `Service connection with id '${id}' could not be found in project ${state.job.project}.`);
    }
    const token = issue(state, name, id);
    state.issued.push({ serviceConnectionId: id, token });
    sendJson(res, 200, { oidcToken: token });
  });
  base = server.url;

  return {
    ...server,
    addJob(spec) {
      const organizationId = randomUUID();
      const projectId = randomUUID();
      const planId = randomUUID();
      const jobId = randomUUID();
      orgs.add(organizationId);
      const collectionUri = `${base}/${spec.organization}/`;
      const job: AzureDevOpsJob = {
        organization: spec.organization,
        project: spec.project,
        organizationId,
        projectId,
        planId,
        jobId,
        collectionUri,
        oidcRequestUri: `${collectionUri}${projectId}/_apis/distributedtask/hubs/build/plans/${planId}/jobs/${jobId}/oidctoken`,
        accessToken: randomBytes(32).toString('base64url'),
        issuer: `${base}/${organizationId}`,
        serviceConnectionIds: Object.fromEntries(spec.serviceConnections.map((c) => [c.name, c.id ?? randomUUID()])),
        subjectFor: (name) => serviceConnectionSubject(spec.organization, spec.project, name),
      };
      jobs.set(job.accessToken, { job, spec, issued: [], refused: [] });
      return job;
    },
    stats(accessToken) {
      const state = jobs.get(accessToken);
      return { issued: [...(state?.issued ?? [])], refused: [...(state?.refused ?? [])] };
    },
  };
}
