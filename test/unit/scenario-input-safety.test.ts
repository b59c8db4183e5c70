import assert from 'node:assert/strict'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {parseDelay} from '../../src/cli/parse-delay.js'
import {BadInputError} from '../../src/errors/bad-input-error.js'
import {ExitCode} from '../../src/errors/exit-codes.js'
import {parseScenario, loadScenarioFile, loadScenarios, MAX_SCENARIO_BYTES} from '../../src/scenario/load.js'
import {parseFault} from '../../src/scenario/faults.js'

const valid = `name: race
strategy: update-then-update
initial: { db: 50, cache: 50 }
actors:
  A: { op: write, value: 100 }
  B: { op: write, value: 80, startAfterMs: 10 }
`

/** The error `work` throws, which must be bad input (exit 2) on a single line. */
async function badInput(work: () => unknown): Promise<string> {
  try {
    await work()
  } catch (error) {
    assert.ok(error instanceof BadInputError, `expected bad input, got ${String(error)}`)
    assert.equal(error.exitCode, ExitCode.badInput)
    return error.message
  }
  assert.fail('the input was accepted')
}

let dir: string
before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cachesim-input-'))
})
after(async () => {
  await rm(dir, {recursive: true, force: true})
})

describe('scenario input that could hurt', () => {
  it('an alias bomb is refused as bad input at the file, not an internal error', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
    for (let i = 1; i < 9; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`)
    const message = await badInput(() => parseScenario(`${valid}${levels.join('\n')}\n`, 'bomb.yaml'))
    assert.match(message, /^bomb\.yaml:1:1: too many YAML aliases/)
    assert.doesNotMatch(message, /\n/)
  })

  it('a second YAML document gets our own message, not the library\'s', async () => {
    const message = await badInput(() => parseScenario(`${valid}---\n${valid}`, 'two.yaml'))
    assert.match(message, /^two\.yaml:\d+:\d+: a scenario file holds one scenario/)
    assert.doesNotMatch(message, /parseAllDocuments/)
  })

  it('a file over the size limit is refused before it is parsed', async () => {
    const file = path.join(dir, 'huge.yaml')
    await writeFile(file, `${valid}description: "${'x'.repeat(MAX_SCENARIO_BYTES)}"\n`)
    const started = performance.now()
    const message = await badInput(() => loadScenarioFile(file))
    assert.match(message, new RegExp(`^${file.replaceAll('.', '\\.')}: a scenario file is at most 1\\.0 MB; this one is 1\\.0 MB$`))
    assert.ok(performance.now() - started < 2000)
  })

  it('a folder with several bad files names every one of them', async () => {
    const folder = path.join(dir, 'mixed')
    await rm(folder, {recursive: true, force: true})
    await import('node:fs/promises').then((fs) => fs.mkdir(folder))
    await writeFile(path.join(folder, 'a-good.yaml'), valid)
    await writeFile(path.join(folder, 'b-bad.yaml'), valid.replace('update-then-update', 'no-such-strategy'))
    await writeFile(path.join(folder, 'c-bad.yaml'), `${valid}colour: red\n`)
    const message = await badInput(() => loadScenarios(folder))
    const lines = message.split('\n')
    assert.equal(lines.length, 2, message)
    assert.match(lines[0]!, /b-bad\.yaml:2:11: unknown strategy "no-such-strategy"/)
    assert.match(lines[1]!, /c-bad\.yaml:7:1: unknown key "colour"/)
  })
})

describe('#0 names no occurrence', () => {
  it('--delay with #0 is bad input', async () => {
    assert.match(await badInput(() => parseDelay('A:before:cache.del#0=10ms')), /^--delay "A:before:cache\.del#0=10ms": #0 is no occurrence; #1 is the first time/)
    assert.equal(parseDelay('A:before:cache.del#1=10ms').occurrence, 1)
  })

  it('--fault with #0 is bad input', async () => {
    assert.match(await badInput(() => parseFault('A:cache.del#0=fail')), /^--fault "A:cache\.del#0=fail": #0 is no occurrence/)
    assert.equal(parseFault('A:cache.del#2=fail').occurrence, 2)
  })
})
