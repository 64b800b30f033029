/**
 * GitHub Actions' ID-token service, as `@actions/core` getIDToken() and relying parties see it:
 * - GET <ACTIONS_ID_TOKEN_REQUEST_URL>&audience=<aud> with `Authorization: Bearer <ACTIONS_ID_TOKEN_REQUEST_TOKEN>`
 *   → 200 {"count":…, "value":"<JWT>"}; an unknown request token → 401 (the runner's token is per job).
 *   The request URL already carries `?api-version=2.0`, because getIDToken appends `&audience=`
 *   (actions/toolkit packages/core/src/oidc-utils.ts).
 * - /.well-known/openid-configuration and /.well-known/jwks, as token.actions.githubusercontent.com serves them.
 * Tokens are RS256 with GitHub's claim set; `sub` follows GitHub's documented forms
 * (repo:ORG/REPO:ref:refs/heads/main, :environment:NAME, :pull_request).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import https from 'node:https';
import { bearerToken, sendJson, startHttpsServer, type RunningServer } from './https-server.js';
import { createSigningKey, nowSeconds, signJwt, type Claims } from './jwt.js';
import type { TestCa } from './test-ca.js';

export interface GitHubJobSpec {
  /** ORG/REPO */
  readonly repository: string;
  /** Defaults to refs/heads/main. */
  readonly ref?: string;
  /** Set when the job targets a deployment environment: sub becomes repo:ORG/REPO:environment:NAME. */
  readonly environment?: string;
  /** 'pull_request' makes sub repo:ORG/REPO:pull_request. Defaults to 'push'. */
  readonly eventName?: string;
  /** Token lifetime; GitHub's are minutes. Negative values make already-expired tokens (AADSTS700024 tests). */
  readonly lifetimeSeconds?: number;
}

export interface GitHubJob {
  /** Goes into ACTIONS_ID_TOKEN_REQUEST_TOKEN. */
  readonly requestToken: string;
  /** Goes into ACTIONS_ID_TOKEN_REQUEST_URL (already contains `?`). */
  readonly requestUrl: string;
  /** The `sub` claim every token of this job carries. */
  readonly subject: string;
  readonly issuer: string;
}

export interface GitHubJobStats {
  /** Token requests accepted for this job (each one minted a new token). */
  readonly requests: number;
  readonly issuedTokens: readonly string[];
}

export interface GitHubOidcFake extends RunningServer {
  /** The `iss` of every token: this server's URL (the real one is https://token.actions.githubusercontent.com). */
  readonly issuer: string;
  addJob(spec: GitHubJobSpec): GitHubJob;
  stats(requestToken: string): GitHubJobStats;
}

export function subjectFor(spec: GitHubJobSpec): string {
  const ref = spec.ref ?? 'refs/heads/main';
  if (spec.environment) return `repo:${spec.repository}:environment:${spec.environment}`;
  if (spec.eventName === 'pull_request') return `repo:${spec.repository}:pull_request`;
  return `repo:${spec.repository}:ref:${ref}`;
}

export async function startGitHubOidc(ca: TestCa): Promise<GitHubOidcFake> {
  const key = createSigningKey();
  const jobs = new Map<string, { spec: GitHubJobSpec; runId: string; requests: number; issued: string[] }>();
  let issuer = '';

  const claimsFor = (spec: GitHubJobSpec, runId: string, audience: string): Claims => {
    const [owner = ''] = spec.repository.split('/');
    const ref = spec.ref ?? 'refs/heads/main';
    const iat = nowSeconds();
    const workflowRef = `${spec.repository}/.github/workflows/run-job.yml@${ref}`;
    return {
      jti: randomUUID(),
      sub: subjectFor(spec),
      aud: audience,
      ref,
      sha: randomBytes(20).toString('hex'),
      repository: spec.repository,
      repository_owner: owner,
      repository_visibility: 'private',
      run_id: runId,
      run_number: '1',
      run_attempt: '1',
      actor: 'octocat',
      workflow: 'run-job',
      event_name: spec.eventName ?? 'push',
      ref_type: 'branch',
      ...(spec.environment ? { environment: spec.environment } : {}),
      job_workflow_ref: workflowRef,
      workflow_ref: workflowRef,
      iss: issuer,
      nbf: iat - 5,
      iat,
      exp: iat + (spec.lifetimeSeconds ?? 300),
    };
  };

  const server = await startHttpsServer(ca, (req, res, url) => {
    if (url.pathname === '/.well-known/openid-configuration') {
      return sendJson(res, 200, {
        issuer,
        jwks_uri: `${issuer}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', 'ref', 'repository', 'environment', 'job_workflow_ref'],
        id_token_signing_alg_values_supported: ['RS256'],
        scopes_supported: ['openid'],
      });
    }
    if (url.pathname === '/.well-known/jwks') return sendJson(res, 200, { keys: [key.jwk] });
    if (url.pathname === '/idtoken' && req.method === 'GET') {
      const job = jobs.get(bearerToken(req) ?? '');
      if (!job) return sendJson(res, 401, { message: 'Bad credentials' });
      // Without an audience GitHub uses the repository owner's URL; Azure needs api://AzureADTokenExchange.
      const audience = url.searchParams.get('audience') || `https://github.com/${job.spec.repository.split('/')[0]}`;
      const token = signJwt(claimsFor(job.spec, job.runId, audience), key);
      job.requests += 1;
      job.issued.push(token);
      return sendJson(res, 200, { count: token.length, value: token });
    }
    sendJson(res, 404, { message: 'Not Found' });
  });
  issuer = server.url;

  return {
    ...server,
    issuer,
    addJob(spec) {
      const requestToken = randomBytes(24).toString('hex');
      jobs.set(requestToken, { spec, runId: String(Date.now()), requests: 0, issued: [] });
      return { requestToken, requestUrl: `${server.url}/idtoken?api-version=2.0`, subject: subjectFor(spec), issuer };
    },
    stats(requestToken) {
      const job = jobs.get(requestToken);
      return { requests: job?.requests ?? 0, issuedTokens: [...(job?.issued ?? [])] };
    },
  };
}

/**
 * In-process stand-in for `core.getIDToken(audience)` (which trusts only NODE_EXTRA_CA_CERTS, read at
 * process start): the same request (`${requestUrl}&audience=…`, bearer request token), trusting the test CA.
 */
export function gitHubTokenSource(job: Pick<GitHubJob, 'requestUrl' | 'requestToken'>, caPem: string): (audience: string) => Promise<string> {
  return (audience) =>
    new Promise((resolve, reject) => {
      const url = `${job.requestUrl}&audience=${encodeURIComponent(audience)}`;
      https
        .get(url, { ca: caPem, headers: { authorization: `Bearer ${job.requestToken}`, accept: 'application/json' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const value = res.statusCode === 200 ? (JSON.parse(text) as { value?: string }).value : undefined;
            if (value) resolve(value);
            else reject(new Error(`Failed to get ID Token. Error Code : ${res.statusCode} Error Message: ${text}`));
          });
        })
        .on('error', reject);
    });
}
