export const id = 291;
export const ids = [291];
export const modules = {

/***/ 22291:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  endpointOverridesFromEnv: () => (/* reexport */ endpointOverridesFromEnv),
  signInToAks: () => (/* binding */ signInToAks)
});

// UNUSED EXPORTS: ENDPOINT_ENV

;// CONCATENATED MODULE: ./src/core/monitor-url.ts
/** Portal host per cloud (learn.microsoft.com: Azure Government / Azure China portal addresses). */
const PORTAL_HOST = {
    AzureCloud: 'portal.azure.com',
    AzureUSGovernment: 'portal.azure.us',
    AzureChinaCloud: 'portal.azure.cn',
};
/**
 * `https://<portal>/#resource/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{cluster}/workloads`,
 * or undefined for a kubeconfig connection (the cluster's Azure identity is unknown).
 */
function monitorUrl(connection) {
    if (connection.kind !== 'azure')
        return undefined;
    const segment = encodeURIComponent;
    return (`https://${PORTAL_HOST[connection.environment]}/#resource/subscriptions/${segment(connection.subscriptionId)}` +
        `/resourceGroups/${segment(connection.resourceGroup)}/providers/Microsoft.ContainerService/managedClusters/` +
        `${segment(connection.clusterName)}/workloads`);
}

// EXTERNAL MODULE: ./node_modules/@azure/core-rest-pipeline/dist/esm/index.js + 81 modules
var esm = __webpack_require__(4792);
// EXTERNAL MODULE: ./src/core/errors.ts
var errors = __webpack_require__(74296);
// EXTERNAL MODULE: ./src/core/names.ts
var names = __webpack_require__(22483);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(41692);
var external_node_tls_default = /*#__PURE__*/__webpack_require__.n(external_node_tls_);
;// CONCATENATED MODULE: ./src/azure/tls.ts
/**
 * TLS options that trust one extra CA besides the default store, for @azure/core-rest-pipeline
 * (`tlsOptions`, used by both ClientAssertionCredential and the ARM call). NODE_EXTRA_CA_CERTS is
 * read only at process start, so in-process tests hand the fakes' CA over this way instead.
 */

/** `{}` when there is no extra CA, so production keeps Node's defaults untouched. */
function trustExtraCa(extraCaPem) {
    if (extraCaPem === undefined)
        return {};
    // A `ca` list replaces the defaults, so start from them: getCACertificates('default') (Node >= 22.15)
    // includes NODE_EXTRA_CA_CERTS; rootCertificates is the bundled store for older runtimes (Azure
    // DevOps agents may still run tasks on Node 20).
    const defaults = typeof (external_node_tls_default()).getCACertificates === 'function' ? external_node_tls_default().getCACertificates('default') : [...(external_node_tls_default()).rootCertificates];
    return { tlsOptions: { ca: [...defaults, extraCaPem] } };
}

;// CONCATENATED MODULE: ./src/azure/aks-credentials.ts
/**
 * ARM `listClusterUserCredential` / `listClusterAdminCredential` → the cluster's kubeconfig.
 *
 * One REST call rather than `@azure/arm-containerservice` 25.5.0. Measured as minified ncc bundles on
 * Node 24 (median of 21 runs, from process start to the module evaluated):
 *   identity only 567 KB / 51.4 ms; identity + this call via core-rest-pipeline 568 KB / 52.6 ms;
 *   identity + arm-containerservice 835 KB (+47%, +35 KB gzipped) / 58.0 ms.
 * The SDK's generated client (and core-lro, @azure-rest/core-client) buys nothing for one POST. The
 * call goes through `@azure/core-rest-pipeline`, which @azure/identity already bundles, so it costs ~0.5 KB
 * and keeps what the SDK would give: retries with Retry-After on 429/5xx, HTTPS_PROXY, and TLS options
 * (the tests' CA; global fetch can only be told about a CA at process start).
 */




/** Stable api-version with listClusterUserCredential (azure-rest-api-specs, Microsoft.ContainerService). */
const AKS_API_VERSION = '2025-10-01';
const clusterResourceId = (r) => `/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${r.clusterName}`;
/** The POST URL (pure). Path segments are escaped; the ARM endpoint has no trailing slash. */
function clusterCredentialUrl(resourceManager, r) {
    const e = encodeURIComponent;
    const action = r.admin ? 'listClusterAdminCredential' : 'listClusterUserCredential';
    return `${resourceManager}/subscriptions/${e(r.subscriptionId)}/resourceGroups/${e(r.resourceGroup)}` +
        `/providers/Microsoft.ContainerService/managedClusters/${e(r.clusterName)}/${action}?api-version=${AKS_API_VERSION}`;
}
/** `{kubeconfigs:[{name,value:base64}]}` → kubeconfig YAML (pure). */
function decodeCredentialResults(bodyText, r) {
    let value;
    try {
        const body = JSON.parse(bodyText);
        value = body.kubeconfigs?.[0]?.value;
    }
    catch {
        value = undefined;
    }
    if (typeof value !== 'string' || value === '') {
        throw new errors/* AuthError */.lR(`ARM returned no kubeconfig for cluster '${r.clusterName}'.`);
    }
    return Buffer.from(value, 'base64').toString('utf8');
}
/** An ARM CloudError (`{"error":{"code","message"}}`) → what to fix (pure). */
function describeArmFailure(status, bodyText, r, caller) {
    let code = '';
    let message = bodyText.slice(0, 300);
    try {
        const err = JSON.parse(bodyText).error;
        code = err?.code ?? '';
        message = err?.message ?? message;
    }
    catch {
        // not a CloudError: keep the raw text
    }
    const cluster = `AKS cluster '${r.clusterName}' (resource group '${r.resourceGroup}', subscription '${r.subscriptionId}')`;
    const fix = (() => {
        if (code === 'ResourceNotFound' || (status === 404 && code === '')) {
            return `${cluster} was not found. Check inputs '${names/* Input */.pd.subscriptionId}', '${names/* Input */.pd.resourceGroup}' and '${names/* Input */.pd.clusterName}'.`;
        }
        if (code === 'ResourceGroupNotFound') {
            return `Resource group '${r.resourceGroup}' was not found in subscription '${r.subscriptionId}'. Check inputs '${names/* Input */.pd.resourceGroup}' and '${names/* Input */.pd.subscriptionId}'.`;
        }
        if (code === 'SubscriptionNotFound' || code === 'InvalidSubscriptionId') {
            return `Subscription '${r.subscriptionId}' was not found. Check input '${names/* Input */.pd.subscriptionId}' and that the subscription belongs to input '${names/* Input */.pd.tenantId}'.`;
        }
        if (code === 'AuthorizationFailed' || status === 403) {
            const role = r.admin ? 'Azure Kubernetes Service Cluster Admin Role' : 'Azure Kubernetes Service Cluster User Role';
            return `Application '${caller.clientId}' may not list the ${r.admin ? 'admin' : 'user'} credentials of ${cluster}. ` +
                `Assign it the "${role}" on the cluster: az role assignment create --assignee ${caller.clientId} --role "${role}" --scope ${clusterResourceId(r)}`;
        }
        if (status === 400 && /local accounts/i.test(message)) {
            return `${cluster} has local accounts disabled, so admin credentials cannot be listed. Set input '${names/* Input */.pd.admin}' to false and grant the identity access with Kubernetes RBAC (a Role and RoleBinding for its object id) or Azure RBAC for Kubernetes.`;
        }
        if (status === 401) {
            return `ARM refused the access token for ${cluster}. Check input '${names/* Input */.pd.azureEnvironment}' and '${names/* Input */.pd.tenantId}'.`;
        }
        if (status === 429 || status >= 500)
            return `ARM is unavailable for ${cluster}; run the step again later.`;
        return `ARM could not list the credentials of ${cluster}.`;
    })();
    return new errors/* AuthError */.lR(`${fix} (ARM ${status}${code ? ` ${code}` : ''}: ${message})`);
}
/** The one I/O function: POSTs the credential action and returns the kubeconfig YAML (never written to disk). */
async function listClusterKubeconfig(r, options) {
    const pipeline = (0,esm/* createPipelineFromOptions */.Fp)({
        userAgentOptions: { userAgentPrefix: 'polysync-aks-action' },
        ...trustExtraCa(options.extraCaPem),
    });
    const url = clusterCredentialUrl(options.resourceManager, r);
    const request = (0,esm/* createPipelineRequest */.G6)({
        url,
        method: 'POST',
        // ARM wants a Content-Length on POST, even an empty one.
        body: '',
        headers: (0,esm/* createHttpHeaders */.Nc)({ authorization: `Bearer ${options.accessToken}`, accept: 'application/json' }),
    });
    let response;
    try {
        response = await pipeline.sendRequest((0,esm/* createDefaultHttpClient */.fl)(), request);
    }
    catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        throw new errors/* AuthError */.lR(`Could not reach ARM at ${options.resourceManager}: ${text}. Check input '${names/* Input */.pd.azureEnvironment}' and the runner's network.`, { cause: error });
    }
    const body = response.bodyAsText ?? '';
    if (response.status !== 200)
        throw describeArmFailure(response.status, body, r, options.caller);
    return decodeCredentialResults(body, r);
}

// EXTERNAL MODULE: ./node_modules/@azure/identity/dist/esm/index.js + 182 modules
var dist_esm = __webpack_require__(25563);
;// CONCATENATED MODULE: ./src/azure/entra-errors.ts
/**
 * Entra ID's AADSTS codes turned into what to fix (codes and texts from
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes and the replies quoted in
 * Azure/login#482, #515, #517). The federated-credential mismatches name the exact subject to register,
 * which is the single most common set-up mistake (Azure/login#379).
 */


/** The AADSTS code in an error message (identity puts Entra's error_description there), if any. */
function aadstsCode(text) {
    const m = /AADSTS(\d+)/.exec(text);
    return m?.[1] === undefined ? undefined : Number(m[1]);
}
/** Entra's description up to "Trace ID:" (the rest is per-request noise). */
function entraReason(text) {
    const m = /AADSTS\d+:[^\n]*?(?=\s*Trace ID:|\n|$)/.exec(text);
    return (m?.[0] ?? text.split('\n')[0] ?? text).trim().replace(/\.$/, '');
}
const q = (v) => `'${v ?? 'unknown'}'`;
function federatedCredentialFix(code, ctx) {
    const f = ctx.federated;
    const issuer = f?.issuer ?? 'https://token.actions.githubusercontent.com';
    const subject = f?.subject ?? 'unknown';
    const audience = f?.audience ?? ctx.audience;
    const which = code === 700211 ? `its issuer ${q(issuer)}`
        : code === 700212 ? `its audience ${q(audience)} (input '${names/* Input */.pd.audience}')`
            : code === 7002138 ? `its subject ${q(subject)}, which differs from a registered one only in letter case (matching is case-sensitive)`
                : `its subject ${q(subject)}`;
    const params = JSON.stringify({ name: 'polysync-aks', issuer, subject, audiences: [audience] });
    return (`No federated credential of application ${q(ctx.clientId)} in tenant ${q(ctx.tenantId)} matches this run's OIDC token (AADSTS${code}): ` +
        `no record for ${which}. Add a federated credential with subject '${subject}' (exactly), issuer '${issuer}' ` +
        `and audience '${audience}': az ad app federated-credential create --id ${ctx.clientId} --parameters '${params}' ` +
        `(for a user-assigned managed identity: az identity federated-credential create --identity-name <identity> ` +
        `--resource-group <group> --name polysync-aks --issuer ${issuer} --subject '${subject}' --audiences ${audience}).`);
}
function messageFor(code, ctx, reason) {
    const resource = ctx.scope.replace(/\/\.default$/, '');
    switch (code) {
        case 70021:
        case 700211:
        case 700212:
        case 700213:
        case 7002138:
            return federatedCredentialFix(code, ctx);
        case 90002:
            return `Tenant ${q(ctx.tenantId)} was not found at ${ctx.authorityHost} (AADSTS90002). Check input '${names/* Input */.pd.tenantId}' (the Directory (tenant) ID) and '${names/* Input */.pd.azureEnvironment}' (${ctx.environment}): a tenant exists only in its own cloud.`;
        case 700016:
            return `Application ${q(ctx.clientId)} was not found in tenant ${q(ctx.tenantId)} (AADSTS700016). Check input '${names/* Input */.pd.clientId}' (the Application (client) ID of the app registration, or the client ID of the user-assigned managed identity) and '${names/* Input */.pd.tenantId}'.`;
        case 700024:
            return `Entra ID received an OIDC token outside its valid time range (AADSTS700024). The action asks for a new token each time Entra ID needs one, so check the runner's clock and that the token source returns fresh tokens (${reason}).`;
        case 50027:
        case 700027:
            return `Entra ID rejected the OIDC token as malformed or wrongly signed (${reason}). Check that the token comes from the platform's OIDC issuer for audience '${ctx.audience}'.`;
        case 500011:
            return `Tenant ${q(ctx.tenantId)} does not know the resource '${resource}' (AADSTS500011). ${resource.startsWith('https://') ? `Check input '${names/* Input */.pd.azureEnvironment}' (${ctx.environment}).` : 'The cluster must use AKS-managed Entra ID integration for this resource id.'}`;
        case 7000112:
            return `Application ${q(ctx.clientId)} is disabled in tenant ${q(ctx.tenantId)} (AADSTS7000112): enable its service principal.`;
        default:
            return `Entra ID refused to sign in application ${q(ctx.clientId)} in tenant ${q(ctx.tenantId)} for '${resource}': ${reason}`;
    }
}
/** Maps whatever ClientAssertionCredential threw to an AuthError that says what to fix. */
function describeEntraFailure(error, ctx) {
    if (error instanceof errors/* AuthError */.lR)
        return error;
    const text = error instanceof Error ? error.message : String(error);
    const code = aadstsCode(text);
    if (code === undefined && /endpoints_resolution_error/.test(text)) {
        // MSAL reads /{tenant}/v2.0/.well-known/openid-configuration first and drops Entra's AADSTS90002
        // reply; that document is missing when the tenant does not exist in this cloud.
        return new errors/* AuthError */.lR(`Tenant ${q(ctx.tenantId)} could not be resolved at ${ctx.authorityHost}: Entra ID has no OpenID configuration for it (or the host is unreachable). ` +
            `Check input '${names/* Input */.pd.tenantId}' (the Directory (tenant) ID) and '${names/* Input */.pd.azureEnvironment}' (${ctx.environment}): a tenant exists only in its own cloud.`, { cause: error });
    }
    if (code === undefined) {
        return new errors/* AuthError */.lR(`Could not get an Entra ID token from ${ctx.authorityHost} for tenant ${q(ctx.tenantId)}: ${text.split('\n')[0] ?? text}. ` +
            `Check that the runner can reach ${ctx.authorityHost}.`, { cause: error });
    }
    return new errors/* AuthError */.lR(messageFor(code, ctx, entraReason(text)), { cause: error });
}
/** The platform could not give us an OIDC token (GitHub: missing `permissions: id-token: write`). */
function describeTokenSourceFailure(error, audience) {
    if (error instanceof errors/* AuthError */.lR)
        return error;
    const text = error instanceof Error ? error.message : String(error);
    return new errors/* AuthError */.lR(`Could not get the workflow's OIDC token for audience '${audience}': ${text}. On GitHub the job needs 'permissions: id-token: write'; on Azure DevOps a workload identity federation service connection.`, { cause: error });
}

;// CONCATENATED MODULE: ./src/azure/federated-token.ts
/**
 * The platform's OIDC token, the one thing each platform supplies: on GitHub `core.getIDToken(audience)`,
 * on Azure DevOps the service connection's oidctoken endpoint. No `@actions/*` import here, so the Azure
 * DevOps task reuses this adapter.
 */
/**
 * Reads iss/sub/aud from a JWT's payload without verifying it: only to say in an error message which
 * subject Entra ID was shown (Azure/login prints the same three values). Undefined for a non-JWT.
 */
function readFederatedClaims(jwt) {
    const payload = jwt.split('.')[1];
    if (payload === undefined)
        return undefined;
    try {
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
        const str = (v) => (typeof v === 'string' ? v : undefined);
        const aud = Array.isArray(claims['aud']) ? str(claims['aud'][0]) : str(claims['aud']);
        return { issuer: str(claims['iss']), subject: str(claims['sub']), audience: aud };
    }
    catch {
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/azure/credential.ts
/**
 * Entra ID tokens through workload identity federation, refreshed for jobs that run for hours.
 *
 * Azure/login hands the GitHub token to `az` once and dies with AADSTS700024 when it expires
 * (Azure/login#180, #372). Here ClientAssertionCredential's assertion callback asks the platform for a
 * FRESH federated token whenever Entra ID must be asked for an access token.
 *
 * Two things msal-node 7.2.1 does that we correct (ConfidentialClientApplication.acquireTokenByClientCredential):
 * - it calls the assertion callback BEFORE its cache lookup, so every getToken, cached or not, would
 *   fetch a GitHub token: with one getToken per Kubernetes request that is thousands per long Job.
 *   We keep our own per-scope cache with MSAL's renewal rule (renew 5 minutes before expiry, or at
 *   refresh_in) and call the credential only when a token is due.
 * - on a renewal it calls the callback twice (cache lookup, then the token request): one acquisition
 *   shares one federated token.
 */





/** msal-common DEFAULT_TOKEN_RENEWAL_OFFSET_SEC: tokens are renewed this long before they expire. */
const TOKEN_RENEWAL_MARGIN_MS = 300_000;
/** True while a cached token may still be used (pure; the rule MSAL applies to its own cache). */
function isTokenFresh(token, now) {
    const renewAt = Math.min(token.expiresOnTimestamp - TOKEN_RENEWAL_MARGIN_MS, token.refreshAfterTimestamp ?? Infinity);
    return now < renewAt;
}
/**
 * Builds the credential once per run (MSAL's state lives in the instance). Every federated token and
 * access token goes through `mask` before anything can log it; nothing is written to disk (no
 * persistence options, no token files).
 */
function createFederatedCredential(options) {
    const now = options.now ?? Date.now;
    let lastClaims;
    // Errors the token source threw during the current acquisition (MSAL wraps them in its own).
    const sourceErrors = [];
    let assertion;
    const fetchAssertion = async () => {
        let jwt;
        try {
            jwt = await options.tokenSource(options.audience);
        }
        catch (error) {
            const described = describeTokenSourceFailure(error, options.audience);
            sourceErrors.push(described);
            throw described;
        }
        options.mask(jwt);
        lastClaims = readFederatedClaims(jwt);
        return jwt;
    };
    const credential = new dist_esm/* ClientAssertionCredential */.XI(options.tenantId, options.clientId, () => (assertion ??= fetchAssertion()), {
        authorityHost: options.authorityHost,
        // Skips MSAL's instance-discovery call to login.microsoftonline.com: the authority is known
        // (sovereign clouds, and the 127.0.0.1 fakes, would otherwise fail validation).
        disableInstanceDiscovery: true,
        ...trustExtraCa(options.extraCaPem),
    });
    const acquire = async (scope) => {
        assertion = undefined;
        sourceErrors.length = 0;
        try {
            const token = await credential.getToken(scope);
            options.mask(token.token);
            return token;
        }
        catch (error) {
            const [sourceError] = sourceErrors;
            if (sourceError)
                throw sourceError;
            throw describeEntraFailure(error, {
                tenantId: options.tenantId,
                clientId: options.clientId,
                audience: options.audience,
                authorityHost: options.authorityHost,
                environment: options.environment,
                scope,
                federated: lastClaims,
            });
        }
        finally {
            assertion = undefined;
        }
    };
    return cachedPerScope(acquire, now);
}
/**
 * Our per-scope cache (see the top of this file) around any way of acquiring a token: MSAL's renewal
 * rule, and concurrent requests (API calls, watches, log streams) for one scope share one acquisition.
 */
function cachedPerScope(acquire, now = Date.now) {
    const cache = new Map();
    const inFlight = new Map();
    return async (scope) => {
        const cached = cache.get(scope);
        if (cached && isTokenFresh(cached, now()))
            return cached.token;
        let pending = inFlight.get(scope);
        if (!pending) {
            pending = acquire(scope).finally(() => inFlight.delete(scope));
            inFlight.set(scope, pending);
        }
        const token = await pending;
        cache.set(scope, token);
        return token.token;
    };
}

;// CONCATENATED MODULE: ./src/azure/managed-identity-credential.ts



/** IMDS's address on every Azure VM; POLYSYNC_IMDS_ENDPOINT replaces it in tests (environments.ts). */
const IMDS_ENDPOINT = 'http://169.254.169.254';
const TOKEN_PATH = '/metadata/identity/oauth2/token';
const API_VERSION = '2018-02-01';
const RETRIED = new Set([404, 408, 410, 429]);
const retried = (status) => RETRIED.has(status) || (status >= 500 && status <= 599);
/** MSAL's ExponentialRetryStrategy(1000, 4000, 2000) and HTTP_STATUS_GONE_RETRY_AFTER_MS. */
const delayMs = (status, retry) => (status === 410 ? 10_000 : Math.min(1000 * 2 ** retry, 4000));
const maxRetries = (firstStatus) => (firstStatus === 410 ? 7 : 3);
/** What to fix for an IMDS error answer (pure). */
function describeImdsFailure(status, body, clientId, attempts) {
    let description = body.slice(0, 300);
    try {
        const parsed = JSON.parse(body);
        description = parsed.error_description ?? parsed.error ?? description;
    }
    catch {
        // not JSON: keep the text
    }
    const answer = `(IMDS ${status}: ${description})`;
    if (/multiple user assigned identities/i.test(description)) {
        return new errors/* AuthError */.lR(`This VM has several user-assigned managed identities and none was named: set input '${names/* Input */.pd.clientId}' to the client id of the one to use ` +
            `(az vm identity show / az vmss identity show lists them). ${answer}`);
    }
    if (/identity not found/i.test(description)) {
        return new errors/* AuthError */.lR(clientId === undefined
            ? `This VM has no managed identity: enable its system-assigned identity, or assign a user-assigned one and set input '${names/* Input */.pd.clientId}'. ${answer}`
            : `No managed identity with client id '${clientId}' is assigned to this VM: check input '${names/* Input */.pd.clientId}', or assign it (az vm identity assign --identities <resource id>). ${answer}`);
    }
    if (retried(status))
        return new errors/* AuthError */.lR(`IMDS was unavailable after ${attempts} attempts; run the step again later. ${answer}`);
    return new errors/* AuthError */.lR(`IMDS refused a managed identity token ${answer}.`);
}
/** Reads a 200 answer; expires_on is seconds since the epoch (a string on the wire). */
function toAccessToken(body, now) {
    const t = JSON.parse(body);
    if (typeof t.access_token !== 'string' || t.access_token === '')
        throw new errors/* AuthError */.lR('IMDS answered without an access_token.');
    const expiresOn = t.expires_on !== undefined ? Number(t.expires_on) * 1000 : now + Number(t.expires_in ?? 0) * 1000;
    const lifetime = expiresOn - now;
    // As MSAL's BaseManagedIdentitySource: refresh at half the lifetime when it is over 2 hours.
    const refreshAfterTimestamp = lifetime > 7_200_000 ? now + lifetime / 2 : undefined;
    return { token: t.access_token, expiresOnTimestamp: expiresOn, tokenType: 'Bearer', ...(refreshAfterTimestamp === undefined ? {} : { refreshAfterTimestamp }) };
}
/** One credential per run: IMDS tokens per scope, cached until due, each masked. */
function createManagedIdentityCredential(options) {
    const doFetch = options.fetch ?? fetch;
    const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const now = options.now ?? Date.now;
    const base = (options.endpoint ?? IMDS_ENDPOINT).replace(/\/+$/, '');
    const acquire = async (scope) => {
        const url = new URL(`${base}${TOKEN_PATH}`);
        url.searchParams.set('api-version', API_VERSION);
        url.searchParams.set('resource', scope.replace(/\/\.default$/, ''));
        if (options.clientId !== undefined)
            url.searchParams.set('client_id', options.clientId);
        let firstStatus;
        for (let attempt = 1;; attempt++) {
            let response;
            try {
                response = await doFetch(url, { headers: { Metadata: 'true' }, signal: AbortSignal.timeout(10_000) });
            }
            catch (error) {
                throw new errors/* AuthError */.lR(`Could not reach IMDS at ${base}: ${error instanceof Error ? error.message : String(error)}. ` +
                    `'${names/* Input */.pd.authType}: managed-identity' works on an Azure VM or VMSS with a managed identity.`, { cause: error });
            }
            const body = await response.text();
            if (response.status === 200) {
                const token = toAccessToken(body, now());
                options.mask(token.token);
                return token;
            }
            firstStatus ??= response.status;
            if (!retried(response.status) || attempt > maxRetries(firstStatus)) {
                throw describeImdsFailure(response.status, body, options.clientId, attempt);
            }
            await sleep(delayMs(response.status, attempt - 1));
        }
    };
    return cachedPerScope(acquire, now);
}

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(51455);
;// CONCATENATED MODULE: ./src/azure/workload-identity-token.ts
/**
 * Azure Workload Identity's federated token: the projected service-account token the webhook mounts
 * and names in AZURE_FEDERATED_TOKEN_FILE (its path differs between webhook versions, so it is never
 * hard-coded). It plugs into createFederatedCredential exactly where the platform's OIDC token does.
 *
 * Not @azure/identity's WorkloadIdentityCredential: it is the same ClientAssertionCredential with a
 * file callback, but that callback keeps the file's content for 5 minutes (readFileContents in
 * 4.14.1 workloadIdentityCredential.js), and a kubelet-rotated token would be missed meanwhile; it
 * would also bypass the per-scope cache and the AADSTS explanations of credential.ts. Here the file
 * is read again for every Entra token request: createFederatedCredential asks only when one is due.
 */


function workloadIdentityTokenSource(tokenFile) {
    return async () => {
        let token;
        try {
            token = (await (0,promises_.readFile)(tokenFile, 'utf8')).trim();
        }
        catch (error) {
            throw new errors/* AuthError */.lR(`Could not read the workload identity token AZURE_FEDERATED_TOKEN_FILE=${tokenFile}: ${error instanceof Error ? error.message : String(error)}. ` +
                'The Azure Workload Identity webhook mounts it in pods labelled azure.workload.identity/use: "true".', { cause: error });
        }
        if (token === '')
            throw new errors/* AuthError */.lR(`The workload identity token file AZURE_FEDERATED_TOKEN_FILE=${tokenFile} is empty.`);
        return token;
    };
}

;// CONCATENATED MODULE: ./src/azure/environments.ts
/**
 * Where each Azure cloud signs in and manages resources. Sources: @azure/identity `AzureAuthorityHosts`
 * (authority hosts), Azure CLI / az cloud show (ARM endpoints), the portal host from core/monitor-url.
 */

const CLOUDS = {
    AzureCloud: { authorityHost: 'https://login.microsoftonline.com', resourceManager: 'https://management.azure.com' },
    AzureUSGovernment: { authorityHost: 'https://login.microsoftonline.us', resourceManager: 'https://management.usgovcloudapi.net' },
    AzureChinaCloud: { authorityHost: 'https://login.chinacloudapi.cn', resourceManager: 'https://management.chinacloudapi.cn' },
};
/**
 * Environment variables the entry files read into EndpointOverrides (endpointOverridesFromEnv). They
 * exist so the bundled action, run as a child process by the tests, talks to the fakes; they are not
 * action inputs, because a workflow has no reason to redirect sign-in.
 */
const ENDPOINT_ENV = {
    authorityHost: 'POLYSYNC_AZURE_AUTHORITY_HOST',
    resourceManager: 'POLYSYNC_ARM_ENDPOINT',
    imds: 'POLYSYNC_IMDS_ENDPOINT',
};
const trimSlash = (url) => url.replace(/\/+$/, '');
/** The endpoints of a cloud, with overrides applied. Overrides must be https (MSAL requires it). */
function azureEndpoints(environment, overrides = {}) {
    const cloud = CLOUDS[environment];
    for (const [name, value] of [['authorityHost', overrides.authorityHost], ['resourceManager', overrides.resourceManager]]) {
        if (value !== undefined && !/^https:\/\/[^/]/.test(value)) {
            throw new Error(`Azure ${name} override must be an https URL; got '${value}'.`);
        }
    }
    return {
        authorityHost: trimSlash(overrides.authorityHost ?? cloud.authorityHost),
        resourceManager: trimSlash(overrides.resourceManager ?? cloud.resourceManager),
        resourceManagerScope: `${cloud.resourceManager}/.default`,
        portalHost: PORTAL_HOST[environment],
    };
}
/** Reads ENDPOINT_ENV from an environment map; empty values count as unset. */
function endpointOverridesFromEnv(env) {
    const authorityHost = env[ENDPOINT_ENV.authorityHost] || undefined;
    const resourceManager = env[ENDPOINT_ENV.resourceManager] || undefined;
    const imds = env[ENDPOINT_ENV.imds] || undefined;
    return {
        ...(authorityHost === undefined ? {} : { authorityHost }),
        ...(resourceManager === undefined ? {} : { resourceManager }),
        ...(imds === undefined ? {} : { imds }),
    };
}

// EXTERNAL MODULE: ./node_modules/@kubernetes/client-node/dist/index.js + 121 modules
var dist = __webpack_require__(36466);
;// CONCATENATED MODULE: ./src/azure/kubeconfig.ts
/**
 * The kubeconfig ARM returns → a client-node KubeConfig that needs no kubelogin on the runner.
 *
 * An Entra-enabled AKS cluster's kubeconfig has a user with `exec: kubelogin` (or the legacy
 * `auth-provider: azure`), and client-node's built-in ExecAuth/AzureAuth would try to run them. We keep
 * the cluster (server, CA, proxy, TLS name) and the context's namespace, and replace the user with one
 * only our Authenticator recognises. client-node 2.x calls `applySecurityAuthentication` → `applyOptions`
 * → `applyAuthorizationHeader` before EVERY generated API request (makeApiClient's authMethods.default),
 * and `Watch.watch` and `Log.log` call the same method per request (dist/config.js, watch.js, log.js at
 * 2.0.1), so each request asks the credential for a token and MSAL's cache decides whether to renew.
 * Built-in authenticators are tried first: our user must carry no exec, no token, and no auth-provider
 * named azure/gcp/oidc/exec or with a tokenFile/exec config (api-notes §1.3).
 */


/** The AKS Entra server application; "the same in all environments" (kubelogin docs, concepts/aks.md). */
const AKS_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';
const AUTH_PROVIDER_NAME = 'polysync-entra';
function argValue(args, flag) {
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a === flag && typeof args[i + 1] === 'string')
            return args[i + 1];
        if (typeof a === 'string' && a.startsWith(`${flag}=`))
            return a.slice(flag.length + 1);
    }
    return undefined;
}
/** Recognises AKS's two Entra user shapes (pure); anything else is used as given. */
function classifyAksUser(user) {
    const exec = user?.exec;
    if (exec && typeof exec.command === 'string' && /(^|[\\/])kubelogin(\.exe)?$/.test(exec.command)) {
        const args = Array.isArray(exec.args) ? exec.args : [];
        return { kind: 'entra', serverId: argValue(args, '--server-id') ?? AKS_SERVER_APP_ID };
    }
    const provider = user?.authProvider;
    if (provider?.name === 'azure') {
        const id = provider.config?.['apiserver-id'];
        return { kind: 'entra', serverId: typeof id === 'string' && id !== '' ? id : AKS_SERVER_APP_ID };
    }
    return { kind: 'local' };
}
/** Sets `Authorization: Bearer <Entra token for <serverId>/.default>` on every request of its users. */
class EntraTokenAuthenticator {
    accessToken;
    constructor(accessToken) {
        this.accessToken = accessToken;
    }
    isAuthProvider(user) {
        return user.authProvider?.name === AUTH_PROVIDER_NAME;
    }
    async applyAuthentication(user, opts) {
        const serverId = user.authProvider.config['server-id'];
        const token = await this.accessToken(`${serverId}/.default`);
        opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
    }
}
/**
 * Builds the KubeConfig for the current context of `yaml`. Local-account credentials (client key,
 * token, password) are masked and used as given; Entra users get EntraTokenAuthenticator.
 */
function buildAksKubeConfig(yaml, accessToken, mask) {
    const loaded = new dist/* KubeConfig */.ypW();
    try {
        loaded.loadFromString(yaml);
    }
    catch (error) {
        throw new errors/* AuthError */.lR(`The kubeconfig ARM returned could not be read: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const context = loaded.getContextObject(loaded.getCurrentContext());
    const cluster = loaded.getCurrentCluster();
    const user = loaded.getCurrentUser();
    if (!context || !cluster)
        throw new errors/* AuthError */.lR('The kubeconfig ARM returned has no current context with a cluster.');
    const kind = classifyAksUser(user);
    if (kind.kind === 'local') {
        for (const secret of [user?.token, user?.keyData, user?.password])
            if (secret)
                mask(secret);
        return { kubeConfig: loaded, user: kind };
    }
    const kubeConfig = new dist/* KubeConfig */.ypW();
    const userName = user?.name ?? 'aks-entra';
    kubeConfig.loadFromOptions({
        clusters: [cluster],
        users: [{ name: userName, authProvider: { name: AUTH_PROVIDER_NAME, config: { 'server-id': kind.serverId } } }],
        contexts: [{ ...context, user: userName }],
        currentContext: context.name,
    });
    kubeConfig.addAuthenticator(new EntraTokenAuthenticator(accessToken));
    return { kubeConfig, user: kind };
}

;// CONCATENATED MODULE: ./src/azure/sign-in.ts








/**
 * Signs in and returns the KubeConfig. Errors are AuthError with what to fix (AADSTS codes, ARM
 * CloudErrors). For an Entra cluster one AKS token is fetched here, so a refusal for the cluster's
 * resource surfaces at sign-in rather than on the first Kubernetes call.
 */
async function signInToAks(conn, tokenSource, mask, options = {}) {
    const endpoints = azureEndpoints(conn.environment, options.endpoints);
    const tls = options.extraCaPem === undefined ? {} : { extraCaPem: options.extraCaPem };
    const accessToken = credentialFor(conn, tokenSource, mask, options, endpoints.authorityHost);
    const armToken = await accessToken(endpoints.resourceManagerScope);
    const yaml = await listClusterKubeconfig(conn, {
        resourceManager: endpoints.resourceManager,
        accessToken: armToken,
        caller: { clientId: conn.clientId === '' ? 'the system-assigned managed identity' : conn.clientId },
        ...tls,
    });
    const { kubeConfig, user } = buildAksKubeConfig(yaml, accessToken, mask);
    if (user.kind === 'entra')
        await accessToken(`${user.serverId}/.default`);
    return { kubeConfig, monitorUrl: monitorUrl(conn) ?? '' };
}
/**
 * The one step that differs between the Azure ways: where the first Entra token comes from. Workload
 * identity is OIDC federation with the projected token as the assertion; its authority is the
 * webhook's AZURE_AUTHORITY_HOST unless an explicit override (tests) says otherwise.
 */
function credentialFor(conn, tokenSource, mask, options, authorityHost) {
    const tls = options.extraCaPem === undefined ? {} : { extraCaPem: options.extraCaPem };
    const federated = (source, host) => createFederatedCredential({
        tenantId: conn.tenantId, clientId: conn.clientId, audience: conn.audience, authorityHost: host,
        environment: conn.environment, tokenSource: source, mask, ...tls,
    });
    const s = conn.signIn;
    switch (s.kind) {
        case 'oidc':
            return federated(tokenSource, authorityHost);
        case 'workload-identity':
            return federated(workloadIdentityTokenSource(s.tokenFile), options.endpoints?.authorityHost ?? s.authorityHost ?? authorityHost);
        case 'managed-identity':
            return createManagedIdentityCredential({
                clientId: conn.clientId === '' ? undefined : conn.clientId, mask,
                ...(options.endpoints?.imds === undefined ? {} : { endpoint: options.endpoints.imds }),
            });
    }
}


/***/ })

};
