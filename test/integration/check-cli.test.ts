import assert from 'node:assert/strict'
import {mkdir, mkdtemp, readFile, readdir, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import type {CheckJson} from '../../src/commands/check.js'
import type {ExploreJson} from '../../src/report/json.js'
import {removeTestData, runCli} from '../helpers/stores.js'
import {joinContinuations, tableRows} from '../helpers/terminal-text.js'

let dir: string

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cachesim-check-'))
})

after(async () => {
  await rm(dir, {recursive: true, force: true})
  await removeTestData()
})

const pinned = `name: pinned-race
strategy: update-then-delete
initial: { db: 100, cache: null }
actors:
  A: { op: write, value: 99, startAfterMs: 20 }
  B: { op: read }
delays:
  - { actor: B, before: cache.set, ms: 100 }
# The order the delays are meant to produce: check replays it, so a busy machine cannot change the verdict.
order: "B:cache.get B:db.select A:db.update A:cache.del B:cache.set"
expect:
  divergent: true
  explore: { orders: 10, divergentOrders: ">0", witness: "B:cache.get B:db.select A:db.update A:cache.del B:cache.set" }
`

describe('cachesim explore', () => {
  it('--json lists every order with its verdict, final values and counts, and the witness with its history', async () => {
    const result = await runCli(['explore', 'utd-cold-cache-refill', '--json'])
    assert.equal(result.code, 0, result.stderr)
    const [explored] = JSON.parse(result.stdout) as ExploreJson[]
    assert.equal(explored!.orders, 10)
    assert.equal(explored!.runs.length, 10)
    assert.equal(explored!.divergentOrders, 1)
    assert.equal(explored!.runs.filter((r) => r.verdict === 'divergent').length, 1)
    for (const run of explored!.runs) {
      for (const key of ['order', 'verdict', 'db', 'cache', 'divergent', 'staleReads', 'dirtyReads', 'dbQueries']) assert.ok(key in run, key)
    }
    assert.equal(explored!.witnessRun?.order, 'B:cache.get B:db.select A:db.update A:cache.del B:cache.set')
    assert.equal(explored!.witnessRun?.history.length, 5)
  })

  it('--json streams each scenario\'s orders from a spool file: every order once, under its own scenario, the spool removed', async () => {
    const spoolDir = await mkdtemp(path.join(tmpdir(), 'cachesim-spool-'))
    try {
      const result = await runCli(['explore', 'update-then-update', '--parallel', '2', '--json'], {env: {TMPDIR: spoolDir}})
      assert.equal(result.code, 0, result.stderr)
      const explored = JSON.parse(result.stdout) as ExploreJson[]
      assert.ok(explored.length >= 3, `${explored.length} scenarios`)
      for (const r of explored) {
        assert.equal(r.runs.length, r.orders, r.scenario)
        assert.equal(new Set(r.runs.map((run) => run.order)).size, r.orders, `${r.scenario}: an order twice`)
        assert.ok(r.runs.every((run) => run.scenario === r.scenario), `${r.scenario}: another scenario's order`)
        assert.equal(r.runs.filter((run) => run.divergent).length, r.divergentOrders, r.scenario)
      }
      // Printed as oclif prints --json, and nothing left behind in the temporary folder.
      assert.equal(result.stdout, `${JSON.stringify(explored, null, 2)}\n`)
      assert.deepEqual(await readdir(spoolDir), [])
    } finally {
      await rm(spoolDir, {recursive: true, force: true})
    }
  })

  it('prints the summary table and the witness with its replay command', async () => {
    const result = await runCli(['explore', 'update-then-update'])
    assert.equal(result.code, 0, result.stderr)
    // Piped, the table fits 80 columns: the strategy under the scenario, the time under the orders.
    const rows = tableRows(result.stdout, (cells) => /^\d+$/.test(cells[1]!))
    const row = rows.find((cells) => cells[0]!.startsWith('uu-two-writers'))
    assert.deepEqual([row?.[0], row?.[1]?.split(' ')[0], ...(row?.slice(2) ?? [])], ['uu-two-writers (update-then-update)', '6', '2 divergent', '4 (2 divergent)', '✓'])
    assert.match(result.stdout, /witness for uu-two-writers \(4 steps, 2 switches\)/)
    assert.match(joinContinuations(result.stdout), /replay: cachesim run uu-two-writers --order "A:db\.update B:db\.update B:cache\.set A:cache\.set"/)
  })

  it('an explore expectation that fails exits 1', async () => {
    const file = path.join(dir, 'wrong-explore.yaml')
    await writeFile(file, pinned.replace('divergentOrders: ">0"', 'divergentOrders: 3'))
    const result = await runCli(['explore', file])
    assert.equal(result.code, 1)
    assert.match(result.stdout, /pinned-race: not as expected: divergent orders: expected 3, got 1/)
  })

  it('bad flag values are one line and exit 2', async () => {
    const result = await runCli(['explore', 'all', '--max-orders', '0'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^Error: .*max-orders/)
  })
})

describe('cachesim check', () => {
  it('holds the built-in scenarios to their expect: and exits 0', async () => {
    const result = await runCli(['check', '--json'])
    assert.equal(result.code, 0, result.stderr + result.stdout)
    const report = JSON.parse(result.stdout.slice(result.stdout.indexOf('{\n'))) as CheckJson
    assert.equal(report.failed, 0)
    assert.ok(report.passed >= 13)
  })

  it('one line per scenario, ✗ with the reason, exit 1, and JUnit and Markdown reports', async () => {
    const races = path.join(dir, 'races')
    await mkdir(races)
    await writeFile(path.join(races, 'pinned.yaml'), pinned)
    await writeFile(path.join(races, 'broken.yaml'), pinned.replace('pinned-race', 'broken-race').replace('divergent: true', 'divergent: false'))
    await writeFile(path.join(races, 'loose.yaml'), 'name: loose\nstrategy: cache-first\ninitial: { db: 1, cache: 1 }\nactors:\n  A: { op: read }\n')
    const junit = path.join(dir, 'report.xml')
    const markdown = path.join(dir, 'report.md')
    const result = await runCli(['check', races, '--junit', junit, '--markdown', markdown])
    assert.equal(result.code, 1, result.stderr)
    const lines = result.stdout.trim().split('\n')
    assert.match(lines.find((l) => l.includes('broken-race'))!, /^✗ broken-race\s+run: divergent: expected false, got true$/)
    assert.match(lines.find((l) => l.includes('pinned-race'))!, /^✓ pinned-race\s+run \(its order: replayed\): divergent \(MySQL 99, Redis 100\); explore: 1 of 10 orders divergent$/)
    assert.match(lines.find((l) => l.includes('loose'))!, /^– loose\s+no expect: to check$/)
    assert.match(lines.at(-1)!, /^3 scenarios: 1 passed, 1 failed, 1 without expect:$/)
    const xml = await readFile(junit, 'utf8')
    assert.match(xml, /<testsuite name="cachesim check" tests="3" failures="1" skipped="1"/)
    assert.match(xml, /<testcase classname="cachesim\.update-then-delete" name="broken-race"[^>]*>\s*<failure message="run: divergent: expected false, got true">/)
    const md = await readFile(markdown, 'utf8')
    assert.match(md, /^### cachesim check: 1 of 3 scenarios did not hold/)
    assert.match(md, /\| ❌ \| `broken-race` \| update-then-delete \| run: divergent: expected false, got true \|/)
  })
})

describe('cachesim check on bad scenario files', () => {
  it('names every bad file of a folder, each on its line, exit 2, no stack', async () => {
    const races = path.join(dir, 'several-bad')
    await mkdir(races)
    await writeFile(path.join(races, 'good.yaml'), pinned)
    await writeFile(path.join(races, 'two-docs.yaml'), `${pinned}---\n${pinned}`)
    const bomb = ['x0: &x0 [a, a, a, a, a, a, a, a, a, a]']
    for (let i = 1; i < 9; i++) bomb.push(`x${i}: &x${i} [${Array(10).fill(`*x${i - 1}`).join(', ')}]`)
    await writeFile(path.join(races, 'bomb.yaml'), `${pinned.replace('pinned-race', 'bomb')}${bomb.join('\n')}\n`)
    const result = await runCli(['check', races])
    assert.equal(result.code, 2, result.stderr)
    const lines = result.stderr.trim().split('\n')
    assert.equal(lines.length, 2, result.stderr)
    assert.match(lines[0]!, /^Error: .*bomb\.yaml:\d+:\d+: too many YAML aliases/)
    assert.match(lines[1]!, /two-docs\.yaml:\d+:\d+: a scenario file holds one scenario/)
    assert.doesNotMatch(result.stderr, /parseAllDocuments|at .*\.js:\d+/)
  })

  it('--delay, --fault and --order at occurrence #0 are bad input, exit 2', async () => {
    for (const flag of [['--delay', 'A:before:cache.del#0=10ms'], ['--fault', 'A:cache.del#0=fail'], ['--order', 'A:db.update A:cache.del#0']]) {
      const result = await runCli(['run', 'utd-cold-cache-refill', ...flag])
      assert.equal(result.code, 2, result.stderr)
      assert.match(result.stderr, /^Error: --(delay|fault|order).*#0/, flag.join(' '))
      assert.equal(result.stderr.trim().split('\n').length, 1)
    }
  })
})
