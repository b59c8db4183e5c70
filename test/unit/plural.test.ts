import assert from 'node:assert/strict'
import {describe, it} from 'node:test'

import type {SyncBenchRound} from '../../src/cdc/sync-bench.js'
import {ConnectionLimitError} from '../../src/errors/connection-limit-error.js'
import {renderCheckSummary} from '../../src/report/check-lines.js'
import {renderMarkdown} from '../../src/report/markdown.js'
import {renderSyncBenchRound, renderSyncBenchSummary} from '../../src/report/sync-bench.js'
import type {CheckResult} from '../../src/run/check-scenarios.js'
import {plural} from '../../src/util/plural.js'

function checkResult(status: CheckResult['status']): CheckResult {
  return {scenario: 'race', strategy: 'cache-first', source: 'scenarios/race.yaml', status, reasons: status === 'fail' ? ['db 1, expected 2'] : [], summary: '', run: null, explore: null, durationMs: 1}
}

const ms = {p50: 1, p99: 2, max: 3}
const syncRound: SyncBenchRound = {eventsPerSecond: 1000, backlog: 1, drainMs: 1, updates: 1, achievedRate: 1, commitToNodeMs: ms, commitToCacheMs: ms}

describe('counts agree with their nouns', () => {
  it('one thing, many things, and nouns that take -es', () => {
    assert.equal(plural(1, 'scenario'), '1 scenario')
    assert.equal(plural(0, 'scenario'), '0 scenarios')
    assert.equal(plural(12_000, 'row'), '12,000 rows')
    assert.equal(plural(1, 'process', 'processes'), '1 process')
    assert.equal(plural(3, 'process', 'processes'), '3 processes')
  })

  it('cachesim check: "1 scenario", "1 of 1 scenario did not hold"', () => {
    assert.match(renderCheckSummary([checkResult('fail')]), /^1 scenario: 0 passed, 1 failed/)
    assert.match(renderCheckSummary([checkResult('pass'), checkResult('skip')]), /^2 scenarios:/)
    assert.match(renderMarkdown([checkResult('fail')]), /1 of 1 scenario did not hold/)
  })

  it('cachesim sync bench: "over 1 round", "1 change drained", "1 update"', () => {
    assert.match(renderSyncBenchSummary([syncRound]), /^over 1 round, median/)
    assert.match(renderSyncBenchSummary([syncRound, syncRound]), /^over 2 rounds, median/)
    assert.match(renderSyncBenchRound(syncRound, 0), /^round 1: 1 change drained .* 1 update at/)
  })

  it('a connection limit of one: "needs 1 connection", "1 is open"', () => {
    const error = new ConnectionLimitError('--readers', 1, 1, {maxConnections: 1, open: 1})
    assert.match(error.message, /--readers 1 needs 1 connection, but the server allows 1 and 1 is open/)
  })
})
