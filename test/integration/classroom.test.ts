import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {mkdtemp, readFile, rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {chromium} from 'playwright-core'

import {CLI, removeTestData, runCli, testMysqlUrl, testPrefix, testRedisUrl} from '../helpers/stores.js'

let dir: string

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'cachesim-classroom-'))
})

after(async () => {
  await rm(dir, {recursive: true, force: true})
  await removeTestData()
})

describe('--timeline', () => {
  it('one column per actor, the stores after each step, the moment they diverged; 80 columns, no colour off a TTY', async () => {
    const result = await runCli(['explore', 'dtu-reader-refills-old', '--timeline'], {env: {FORCE_COLOR: '1'}})
    assert.equal(result.code, 0, result.stderr)
    const timeline = result.stdout.slice(result.stdout.indexOf('witness for'))
    assert.doesNotMatch(result.stdout, /\u001B\[/, 'no ANSI colour when stdout is not a terminal')
    assert.match(timeline, /#\s+A\s+B\s+MySQL\s+Redis/)
    assert.match(timeline, /^\s+7\s+db\.commit\s+99\s+100\s+◀ diverged$/m)
    const rows = timeline.split('\n').filter((l) => /^\s+\d+ /.test(l) && !l.endsWith('start'))
    assert.equal(rows.length, 7)
    for (const line of timeline.split('\n').filter((l) => !l.includes('replay:'))) assert.ok(line.length <= 80, `wider than 80: ${line}`)
  })
})

describe('--step', () => {
  it('waits for Enter before each step in a real terminal, showing the next step and both stores', async () => {
    const session = `cachesim-step-${process.pid}`
    const env = `CACHESIM_MYSQL_URL=${testMysqlUrl} CACHESIM_REDIS_URL=${testRedisUrl} CACHESIM_PREFIX=${testPrefix} NO_COLOR=1`
    const tmux = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8'})
    const screen = () => tmux('capture-pane', '-p', '-t', session)
    const waitFor = async (pattern: RegExp) => {
      for (let i = 0; i < 100; i++) {
        if (pattern.test(screen())) return
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      assert.fail(`the terminal never showed ${pattern}:\n${screen()}`)
    }
    tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '50', `${env} ${process.execPath} ${CLI} run utd-cold-cache-refill --step; echo EXIT=$?; sleep 60`)
    try {
      await waitFor(/step 1 of 5 {2}next: B cache\.get {3}now: MySQL 100, Redis –/)
      // Nothing moves until Enter is pressed.
      await new Promise((resolve) => setTimeout(resolve, 500))
      assert.doesNotMatch(screen(), /step 2 of 5/)
      tmux('send-keys', '-t', session, 'Enter')
      await waitFor(/step 2 of 5 {2}next: B db\.select/)
      tmux('send-keys', '-t', session, 'Enter')
      await waitFor(/step 3 of 5 {2}next: A db\.update → 99 {3}now: MySQL 100, Redis –/)
      tmux('send-keys', '-t', session, 'Enter')
      await waitFor(/step 4 of 5 {2}next: A cache\.del {3}now: MySQL 99, Redis –/)
      tmux('send-keys', '-t', session, 'Enter')
      await waitFor(/step 5 of 5 {2}next: B cache\.set → 100/)
      tmux('send-keys', '-t', session, 'Enter')
      await waitFor(/EXIT=0/)
      assert.match(screen(), /5\s+cache\.set → 100\s+99\s+100\s+◀ diverged/)
    } finally {
      tmux('kill-session', '-t', session)
    }
  })

  it('refuses to run without a terminal', async () => {
    const result = await runCli(['run', 'uu-two-writers', '--step'])
    assert.equal(result.code, 2)
    assert.match(result.stderr, /^Error: --step waits for Enter before each step, so it needs a terminal/)
  })
})

describe('--html', () => {
  it('writes one self-contained page that a real browser loads without errors, one lane per actor', async () => {
    const file = path.join(dir, 'races.html')
    const result = await runCli(['run', 'update-then-update', '--html', file])
    assert.equal(result.code, 0, result.stderr)
    const html = await readFile(file, 'utf8')
    assert.doesNotMatch(html, /(src|href)=["']https?:/, 'no network fetches')
    const executablePath = findChromium()
    assert.ok(executablePath, 'a Chromium is needed for this test: apt-get install chromium, or npx playwright-core install chromium, or CACHESIM_CHROMIUM=/path/to/chrome (see the README\'s Set-up)')
    const browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    })
    try {
      const page = await browser.newPage()
      const problems: string[] = []
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text())
      })
      page.on('pageerror', (error) => problems.push(error.message))
      page.on('request', (request) => {
        if (!request.url().startsWith('file:')) problems.push(`fetched ${request.url()}`)
      })
      await page.goto(`file://${file}`)
      assert.deepEqual(problems, [])
      const runs = await page.locator('section.run').count()
      assert.equal(runs, 3, 'one section per run')
      const lanes = await page.locator('section.run[data-scenario="uu-two-writers"] svg g.lane').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-actor')))
      assert.deepEqual(lanes, ['A', 'B'])
      assert.equal(await page.locator('section.run[data-scenario="uu-two-writers"] .verdict').textContent(), 'divergent')
      assert.equal(await page.locator('section.run[data-scenario="uu-two-writers"] g.diverged').count(), 1)
      const box = await page.locator('section.run[data-scenario="uu-two-writers"] svg').boundingBox()
      assert.ok(box && box.width > 300 && box.height > 100, 'the swimlane is drawn')
    } finally {
      await browser.close()
    }
  })
})

/** A Chromium to drive: the one named by CACHESIM_CHROMIUM, the system's, or the one playwright installed. */
function findChromium(): string | null {
  const candidates = [process.env.CACHESIM_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', playwrightChromium()]
  return candidates.find((file): file is string => typeof file === 'string' && file !== '' && existsSync(file)) ?? null
}

/** Where `npx playwright-core install chromium` puts the browser of this playwright version. */
function playwrightChromium(): string | undefined {
  try {
    return chromium.executablePath()
  } catch {
    return undefined
  }
}
