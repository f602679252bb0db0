#!/usr/bin/env node
// Evaluates every can/cannot case the internal/baseline tests evaluated with the project's own small
// evaluator (exported by IAMBASELINE_PROOF_EXPORT, see internal/baseline/proof_export_test.go) again
// with an independent, maintained IAM policy simulator, @cloud-copilot/iam-simulate, and fails on
// any disagreement that is not a reviewed entry of the known-gaps file.
//
// Usage: node scripts/proof-independent.mjs [--self-test] CASES.json NODE_MODULES_DIR
//   --self-test  also flips the expectation of one allowed and one denied case and fails unless both
//                are reported as disagreements (the check can fail).
//
// iam-simulate is AGPL-3.0-or-later: it is a test-time tool only, installed by `make proof-independent`
// into the git-ignored .tools/node, never vendored, shipped or imported by the provider.
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const args = process.argv.slice(2)
const selfTest = args[0] === '--self-test'
if (selfTest) args.shift()
if (args.length !== 2) {
  console.error('usage: node scripts/proof-independent.mjs [--self-test] CASES.json NODE_MODULES_DIR')
  process.exit(2)
}
const [casesFile, modules] = args
const sim = await import(
  pathToFileURL(join(modules, '@cloud-copilot/iam-simulate/dist/esm/index.js')).href
)
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const gapsFile = join(root, 'internal/baseline/testdata/proof/simulator-gaps.txt')

// The known-gaps file: one line per request the simulator is known to decide wrongly or not to model,
// "ACTION RESOURCE SIMULATOR-DECISION | reason" (allow or deny: what the simulator says, the project
// evaluator saying the other); # starts a comment. An entry excuses only that disagreement, and every
// entry must match at least one, so an entry cannot outlive the gap it names.
const gaps = new Map()
for (const [n, line] of readFileSync(gapsFile, 'utf8').split('\n').entries()) {
  const text = line.trim()
  if (!text || text.startsWith('#')) continue
  const m = text.match(/^(\S+)\s+(\S+)\s+(allow|deny)\s+\|\s*(\S.*)$/)
  if (!m) {
    console.error(`${gapsFile}:${n + 1}: want "ACTION RESOURCE allow|deny | reason"`)
    process.exit(2)
  }
  gaps.set(`${m[1].toLowerCase()} ${m[2]} ${m[3]}`, { reason: m[4], line: n + 1, used: 0 })
}

const data = JSON.parse(readFileSync(casesFile, 'utf8'))
if (!Array.isArray(data.cases) || data.cases.length < 1000) {
  console.error(`${casesFile}: ${data.cases?.length ?? 0} cases; the export should hold thousands`)
  process.exit(1)
}
const docs = data.docs
const account = '123456789012'

const keyTypes = new Map()
async function isArrayKey(key) {
  if (!keyTypes.has(key)) {
    let array = false
    try {
      array = sim.isConditionKeyArray(await sim.typeForContextKey(key))
    } catch {
      array = false
    }
    keyTypes.set(key, array)
  }
  return keyTypes.get(key)
}

// simulate returns 'allow', 'deny' or 'error: ...'.
async function simulate(c) {
  const context = {}
  for (const [k, values] of Object.entries(c.context)) {
    context[k] = (await isArrayKey(k)) ? values : values[0]
  }
  const principal = `arn:aws:iam::${account}:user/${c.context['aws:username']?.[0] ?? 'alice'}`
  const arnAccount = c.resource.split(':')[4]
  const simulation = {
    identityPolicies: data.docSets[c.docs].map((d, i) => ({ name: `doc${i}`, policy: docs[d] })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      principal,
      action: c.action,
      resource: { resource: c.resource, accountId: /^\d{12}$/.test(arnAccount ?? '') ? arnAccount : account },
      contextVariables: context
    }
  }
  // KMS evaluates the key policy first: the default key policy, which lets IAM policies grant access
  // to the key, is the one the cases assume.
  if (c.resource.startsWith('arn:aws:kms:')) {
    simulation.resourcePolicy = {
      Version: '2012-10-17',
      Statement: [{ Sid: 'EnableIAMPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }]
    }
  }
  const r = await sim.runSimulation(simulation, {})
  if (r.resultType === 'wildcard' && !(await sim.isWildcardOnlyAction(...c.action.split(':')))) {
    // "*" as the resource of an action that takes ARNs: the simulator answers whether some resource
    // is allowed; the cases mean the literal "*" (what a policy's Resource "*" alone matches), so
    // evaluate it as given, and note the shape.
    // the simulator answers whether SOME resource is allowed, while a case on "*" for an action that
    // takes ARNs asks whether the documents grant it on Resource "*" itself (no IAM request names "*"
    // there). The two agree when the project evaluator allows; a project "deny" against a simulator
    // "allow" is the difference of questions, not of decisions: counted and listed, not compared.
    note('an action that takes ARNs, asked on the literal "*"', c.action)
    if (!c.allowed && r.overallResult === 'Allowed') return { got: 'not comparable', ignored: [] }
    return { got: r.overallResult === 'Allowed' ? 'allow' : 'deny', ignored: [] }
  }
  if (r.resultType !== 'error') {
    const results = r.resultType === 'single' ? [r.result] : r.results
    const ignored = [...new Set(results.flatMap((x) => x.ignoredContextKeys ?? []))]
    return { got: r.overallResult === 'Allowed' ? 'allow' : 'deny', ignored }
  }
  // The request does not pass the simulator's validation against AWS's Service Authorization
  // Reference (an ARN that is not one of the action's resource types, an ARN for an action that
  // only takes "*", an action the catalogue lacks): evaluate it as given, without validation, and
  // count the shape problem (reported, not a disagreement: the decision is still compared).
  const reason = r.errors?.message ?? JSON.stringify(r.errors)
  note(reason, c.action)
  const u = sim.runUnsafeSimulation(simulation, {})
  return { got: u === 'Allowed' ? 'allow' : 'deny', ignored: [], unvalidated: reason }
}
const shapes = new Map()
function note(reason, action) {
  shapes.set(reason, (shapes.get(reason) ?? new Set()).add(action))
}

const cases = data.cases.map((c) => ({ ...c }))
const flipped = []
if (selfTest) {
  // A deliberately wrong expectation, each way, on cases the simulator agrees with (found below).
  for (const want of [true, false]) flipped.push(cases.findIndex((c) => c.allowed === want && c.resource !== '*' && !gapFor(c)))
}

function gapFor(c, simulator = c.allowed ? 'deny' : 'allow') {
  return gaps.get(`${c.action.toLowerCase()} ${c.resource} ${simulator}`)
}

const started = Date.now()
const disagreements = []
let known = 0
let notComparable = 0
for (const [i, c] of cases.entries()) {
  const want = flipped.includes(i) ? !c.allowed : c.allowed
  const { got, ignored, unvalidated } = await simulate(c)
  if (got === 'not comparable') {
    notComparable++
    continue
  }
  if (got === (want ? 'allow' : 'deny')) continue
  const gap = gapFor(c, got)
  if (gap && !flipped.includes(i)) {
    gap.used++
    known++
    continue
  }
  disagreements.push({ i, c, want, got, ignored, unvalidated })
}

let failed = false
for (const { i, c, want, got, ignored, unvalidated } of disagreements) {
  if (flipped.includes(i)) continue
  failed = true
  const ctx = Object.entries(c.context)
    .map(([k, v]) => `${k}=${v.join(',')}`)
    .join(' ')
  console.log(
    `DISAGREE ${c.action} on ${c.resource}: project evaluator ${want ? 'allow' : 'deny'}, iam-simulate ${got}\n` +
      `  test ${c.test} (${c.where}); documents set ${c.docs}; context ${ctx}` +
      (ignored.length ? `\n  the simulator ignored context keys the action does not have: ${ignored.join(' ')}` : '') +
      (unvalidated ? `\n  evaluated without validation (${unvalidated})` : '')
  )
}
for (const [key, gap] of gaps) {
  if (!gap.used) {
    failed = true
    console.log(`${gapsFile}:${gap.line}: "${key}" matches no disagreement any more: remove it`)
  }
}
if (selfTest) {
  const caught = flipped.filter((i) => disagreements.some((d) => d.i === i)).length
  if (flipped.includes(-1) || caught !== 2) {
    failed = true
    console.log(`self-test: ${caught} of 2 flipped expectations reported as disagreements; want 2`)
  } else {
    console.log('self-test: both flipped expectations (one allow, one deny) were reported as disagreements')
  }
}
for (const [reason, actions] of shapes) {
  console.log(`note: ${actions.size} actions' cases fail the simulator's request validation (${reason}), evaluated unvalidated: ${[...actions].sort().join(' ')}`)
}
const allowed = cases.filter((c) => c.allowed).length
console.log(
  `proof-independent: ${cases.length} cases (${allowed} allowed, ${cases.length - allowed} denied, over ${data.docSets.length} document sets) ` +
    `evaluated by @cloud-copilot/iam-simulate in ${((Date.now() - started) / 1000).toFixed(1)}s: ` +
    `${disagreements.filter((d) => !flipped.includes(d.i)).length} disagreements, ${known} known simulator gaps, ` +
    `${notComparable} not comparable (an ARN-taking action denied on the literal "*")`
)
process.exit(failed ? 1 : 0)
