#!/usr/bin/env node
// Evaluates every can/cannot case the internal/baseline tests evaluated with the project's own small
// evaluator (exported with IAMBASELINE_PROOF_EXPORT, see internal/baseline/proof_export_test.go)
// again with an independent, maintained IAM policy simulator, @cloud-copilot/iam-simulate, and fails
// on any disagreement that is not a reviewed line of internal/baseline/testdata/proof/simulator-gaps.txt.
//
// Usage: node scripts/proof-independent.mjs [--self-test] CASES.json NODE_MODULES_DIR
//   --self-test  also flips the expectation of one allowed and one denied case and fails unless both
//                are reported as disagreements (the check can fail).
//
// iam-simulate is AGPL-3.0-or-later: a test-time tool only, installed by `make proof-independent` into
// the git-ignored .tools/node, never vendored, shipped or imported by the provider.
//
// How a case becomes a simulation: the case's documents are the identity policies of the user
// arn:aws:iam::123456789012:user/<aws:username>; its context keys are the request's context (a key the
// simulator types as multi-valued gets every value); a KMS key gets the default key policy (which lets
// IAM policies grant the key), the one the cases assume. Requests the simulator's validation refuses
// (an ARN that is not one of the action's resource types in the Service Authorization Reference, an
// ARN for an action AWS only requests on "*", an action its catalogue lacks) are evaluated as given
// without validation and listed as notes; for a "*"-only action the request AWS really makes, on "*",
// is evaluated too and must be denied whenever the case is (else the case proves nothing).
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads'

const account = '123456789012'

if (isMainThread) {
  await main()
} else {
  parentPort.postMessage(await evaluatePart(workerData))
}

// evaluatePart evaluates every parts-th case from part on, in a worker thread.
async function evaluatePart({ casesFile, modules, part, parts }) {
  const sim = await import(pathToFileURL(join(modules, '@cloud-copilot/iam-simulate/dist/esm/index.js')).href)
  const data = JSON.parse(readFileSync(casesFile, 'utf8'))
  const keyTypes = new Map()
  const isArrayKey = async (key) => {
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
  const decision = (r) => (r.resultType === 'error' ? `error ${r.errors?.message}` : r.overallResult === 'Allowed' ? 'allow' : 'deny')
  const out = []
  for (let i = part; i < data.cases.length; i += parts) {
    const c = data.cases[i]
    const res = { i, notes: [] }
    out.push(res)
    const context = {}
    for (const [k, values] of Object.entries(c.context)) context[k] = (await isArrayKey(k)) ? values : values[0]
    const arnAccount = c.resource.split(':')[4] ?? ''
    const simulation = {
      identityPolicies: data.docSets[c.docs].map((d, n) => ({ name: `doc${n}`, policy: data.docs[d] })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        principal: `arn:aws:iam::${account}:user/${c.context['aws:username']?.[0] ?? 'alice'}`,
        action: c.action,
        resource: { resource: c.resource, accountId: /^\d{12}$/.test(arnAccount) ? arnAccount : account },
        contextVariables: context
      }
    }
    if (c.resource.startsWith('arn:aws:kms:')) {
      simulation.resourcePolicy = {
        Version: '2012-10-17',
        Statement: [{ Sid: 'EnableIAMPolicies', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: 'kms:*', Resource: '*' }]
      }
    }
    const r = await sim.runSimulation(simulation, {})
    if (r.resultType === 'wildcard' && !(await sim.isWildcardOnlyAction(...c.action.split(':')))) {
      // The literal "*" as the resource of an action that takes ARNs (no IAM request names it): the
      // simulator answers whether SOME resource is allowed, the case whether the documents grant the
      // action on Resource "*" itself. They must agree when the project allows; a project deny against
      // a simulator allow is a difference of questions, not of decisions: counted, not compared.
      res.notes.push(['an action that takes ARNs, asked on the literal "*"', c.action])
      res.got = !c.allowed && r.overallResult === 'Allowed' ? 'not comparable' : decision(r)
      continue
    }
    if (r.resultType !== 'error') {
      const results = r.resultType === 'single' ? [r.result] : r.results
      res.ignored = [...new Set(results.flatMap((x) => x.ignoredContextKeys ?? []))]
      res.got = decision(r)
      continue
    }
    const reason = r.errors?.message ?? JSON.stringify(r.errors)
    res.notes.push([`the simulator's validation refuses the request (${reason}), evaluated unvalidated`, c.action])
    if (reason === 'must.use.wildcard') {
      // AWS requests this action on "*": the case's ARN is never what IAM sees. A "cannot" whose
      // real request is allowed proves nothing (that fails); an "allow" whose real request is denied
      // is a grant that cannot work (an ARN-scoped Resource for a "*"-only action), reported.
      const real = decision(await sim.runSimulation({ ...simulation, request: { ...simulation.request, resource: { resource: '*', accountId: account } } }, {}))
      if (!c.allowed && real !== 'deny') {
        res.wildcard = `${c.action} on ${c.resource} (${c.test}, ${c.where}): the project decides deny, the real request on "*" is ${real}`
      } else if (c.allowed && real !== 'allow') {
        res.dead = [c.action, `documents set ${c.docs}, e.g. ${c.test} on ${c.resource}`]
      }
    }
    res.unvalidated = reason
    res.got = sim.runUnsafeSimulation(simulation, {}) === 'Allowed' ? 'allow' : 'deny'
  }
  return out
}

async function main() {
  const args = process.argv.slice(2)
  const selfTest = args[0] === '--self-test'
  if (selfTest) args.shift()
  if (args.length !== 2) {
    console.error('usage: node scripts/proof-independent.mjs [--self-test] CASES.json NODE_MODULES_DIR')
    process.exit(2)
  }
  const [casesFile, modules] = args
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const gapsFile = join(root, 'internal/baseline/testdata/proof/simulator-gaps.txt')

  // The known-gaps file: one line per request the simulator is known to decide wrongly or not to
  // model, "ACTION RESOURCE SIMULATOR-DECISION | reason" (allow or deny: what the simulator says, the
  // project evaluator saying the other); # starts a comment. A line excuses only that disagreement,
  // and every line must match at least one, so a line cannot outlive the gap it names.
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
  const gapFor = (c, simulator) => gaps.get(`${c.action.toLowerCase()} ${c.resource} ${simulator}`)

  const data = JSON.parse(readFileSync(casesFile, 'utf8'))
  const cases = data.cases
  if (!Array.isArray(cases) || cases.length < 1000) {
    console.error(`${casesFile}: ${cases?.length ?? 0} cases; the export should hold thousands`)
    process.exit(1)
  }

  // The proofs issue 21 asks to be evaluated independently must be in the export: a proof that stops
  // going through the evaluator's entry point (evalAllowed) would otherwise drop out silently.
  const byTest = new Map()
  for (const c of cases) byTest.set(c.test, (byTest.get(c.test) ?? 0) + 1)
  for (const test of ['TestProofTables', 'TestGuardrailProof', 'TestProofDevelopersJob', 'TestProofDeveloperDelegation', 'TestProofAppBoundary', 'TestMFAPolicyByCredentialKind', 'TestMFAPolicyEnforcement']) {
    if (!byTest.get(test)) {
      console.error(`${casesFile}: no case from ${test}: does it still evaluate through evalAllowed? (rename here if it was renamed)`)
      process.exit(1)
    }
  }

  const started = Date.now()
  const parts = Math.max(1, Math.min(4, availableParallelism()))
  const results = (
    await Promise.all(
      Array.from(
        { length: parts },
        (_, part) =>
          new Promise((resolve, reject) => {
            const w = new Worker(fileURLToPath(import.meta.url), { workerData: { casesFile, modules, part, parts } })
            w.once('message', resolve)
            w.once('error', reject)
          })
      )
    )
  ).flat()
  results.sort((a, b) => a.i - b.i)
  if (results.length !== cases.length) throw new Error(`evaluated ${results.length} of ${cases.length} cases`)

  // --self-test: a deliberately wrong expectation, each way, on a case with an ARN and no gap line.
  const flipped = []
  if (selfTest) {
    for (const want of [true, false]) {
      flipped.push(cases.findIndex((c) => c.allowed === want && c.resource !== '*' && !gapFor(c, want ? 'deny' : 'allow')))
    }
  }

  let failed = false
  let known = 0
  let notComparable = 0
  const disagreements = []
  const caught = new Set()
  const shapes = new Map()
  const dead = new Map()
  for (const res of results) {
    const c = cases[res.i]
    for (const [reason, action] of res.notes) shapes.set(reason, (shapes.get(reason) ?? new Set()).add(action))
    if (res.dead && !dead.has(res.dead[0])) dead.set(res.dead[0], res.dead[1])
    if (res.wildcard) {
      failed = true
      console.log(`WILDCARD-ONLY ${res.wildcard}`)
    }
    if (res.got === 'not comparable') {
      notComparable++
      continue
    }
    const flip = flipped.includes(res.i)
    const want = flip ? !c.allowed : c.allowed
    if (res.got === (want ? 'allow' : 'deny')) continue
    if (flip) {
      caught.add(res.i)
      continue
    }
    const gap = gapFor(c, res.got)
    if (gap) {
      gap.used++
      known++
      continue
    }
    failed = true
    disagreements.push(res)
    const ctx = Object.entries(c.context)
      .map(([k, v]) => `${k}=${v.join(',')}`)
      .join(' ')
    console.log(
      `DISAGREE ${c.action} on ${c.resource}: project evaluator ${want ? 'allow' : 'deny'}, iam-simulate ${res.got}\n` +
        `  test ${c.test} (${c.where}); documents set ${c.docs}; context ${ctx}` +
        (res.ignored?.length ? `\n  the simulator ignored context keys the action does not have: ${res.ignored.join(' ')}` : '') +
        (res.unvalidated ? `\n  evaluated without validation (${res.unvalidated})` : '')
    )
  }
  for (const [action, where] of dead) {
    console.log(`note: a grant that cannot work: ${action} (${where}) is allowed on an ARN, but AWS requests it on "*", which is denied`)
  }
  for (const [reason, actions] of shapes) {
    console.log(`note: ${reason}: ${actions.size} actions: ${[...actions].sort().join(' ')}`)
  }
  for (const [key, gap] of gaps) {
    if (!gap.used) {
      failed = true
      console.log(`${gapsFile}:${gap.line}: "${key}" matches no disagreement any more: remove it`)
    }
  }
  if (selfTest) {
    if (flipped.includes(-1) || caught.size !== 2) {
      failed = true
      console.log(`self-test: ${caught.size} of 2 flipped expectations reported as disagreements; want 2`)
    } else {
      console.log('self-test: both flipped expectations (one allow, one deny) were reported as disagreements')
    }
  }
  const allowed = cases.filter((c) => c.allowed).length
  console.log(
    `proof-independent: ${cases.length} cases (${allowed} allowed, ${cases.length - allowed} denied, over ${data.docSets.length} document sets) ` +
      `evaluated by @cloud-copilot/iam-simulate in ${((Date.now() - started) / 1000).toFixed(1)}s (${parts} threads): ` +
      `${disagreements.length} disagreements, ${known} known simulator gaps, ${notComparable} not comparable (an ARN-taking action denied on the literal "*")`
  )
  process.exit(failed ? 1 : 0)
}
