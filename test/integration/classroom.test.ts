import assert from 'node:assert/strict'
import {execFileSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {copyFile, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {after, before, describe, it} from 'node:test'

import {type Browser, chromium, type Page} from 'playwright-core'

import {loadBuiltInScenarios} from '../../src/scenario/load.js'
import {CLI, removeTestData, runCli, testMysqlUrl, testPrefix, testRedisUrl} from '../helpers/stores.js'
import {joinContinuations, tableRows} from '../helpers/terminal-text.js'

let dir: string
const root = path.resolve(path.dirname(CLI), '..')

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
    for (const line of timeline.split('\n')) assert.ok(line.length <= 80, `wider than 80: ${line}`)
    assert.match(timeline, /◀ diverged for good at 7: A's db\.commit made MySQL 99 after B's cache\.set\s+put 100 in Redis: no later step removes Redis's 100/)
  })

  it('too many actors for a lane each: one column of steps with their actor; every line fits 80 columns, nothing cut', async () => {
    const file = path.join(dir, 'ten-readers.yaml')
    const actors = Array.from({length: 10}, (_, i) => `  A${i + 1}: { op: read }`).join('\n')
    await writeFile(file, `name: ten-readers\nstrategy: update-then-delete\ninitial: { db: 100, cache: null }\nactors:\n${actors}\n  W: { op: write, value: 99 }\n`)
    const result = await runCli(['run', file, '--timeline'])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stdout, /^\s+#\s+step\s+MySQL\s+Redis$/m)
    assert.match(result.stdout, /^\s+\d+ A10 db\.select read \d+/m)
    for (const line of result.stdout.split('\n')) assert.ok(line.length <= 80, `wider than 80: ${line}`)
    assert.doesNotMatch(result.stdout, /…/, 'nothing cut')
  })
})

describe('terminal output fits 80 columns, or the width it is given', () => {
  it('explore all, piped: a row per scenario with every figure, every line within 80 columns', async () => {
    // The largest searches stopped at 60 orders: the table and notes are what is checked here.
    const result = await runCli(['explore', 'all', '--max-orders', '60', '--parallel', '2'])
    assert.ok(result.code === 0 || result.code === 1, result.stderr)
    for (const line of result.stdout.split('\n')) assert.ok(line.length <= 80, `wider than 80: ${line}`)
    const rows = tableRows(result.stdout, (cells) => /^\d+\+?$/.test(cells[1]!))
    const scenarios = await loadBuiltInScenarios()
    assert.deepEqual(rows.map((row) => row[0]), scenarios.map((s) => `${s.name} (${s.strategy})`), 'one row per scenario, its strategy under it')
    const row = (name: string) => rows.find((cells) => cells[0]!.startsWith(`${name} `))!.map((cell, i) => (i === 1 ? cell.split(' ')[0] : cell))
    assert.deepEqual(row('utd-cold-cache-refill'), ['utd-cold-cache-refill (update-then-delete)', '10', '1 divergent', '5 (1 divergent)', '✓'])
    // Reduced: 22 classes standing for its 30 orders, the same 20 behaviours.
    assert.deepEqual(row('cf-normal-order'), ['cf-normal-order (cache-first)', '22', '10 divergent 2 read stale 10 read dirty', '20 (10 divergent)', '–'])
    assert.deepEqual(row('wb-lost-stream').slice(1, 3), ['8', '1 impossible'])
    assert.deepEqual(row('lease-reader-writer').slice(1, 3), ['8', 'all consistent'])
    assert.deepEqual(row('dcl-normal-order')[1], '60+')
    // A long note wraps, its lines after the first indented.
    assert.match(result.stdout.replaceAll('\n  ', ' '), /^dcl-normal-order: stopped after 60 orders \(--max-orders\); there are more: raise --max-orders or sample with --random N --seed S$/m)
    assert.match(joinContinuations(result.stdout), /^ {2}replay: cachesim run dtu-normal-order --order "A:cache\.del A:db\.begin A:db\.update B:cache\.get B:db\.select B:cache\.set A:db\.commit"$/m)
  })

  it('explore <one>: 80 columns piped, the width COLUMNS gives when set, the ten-column table when it fits', async () => {
    const piped = await runCli(['explore', 'utd-cold-cache-refill'])
    assert.equal(piped.code, 0, piped.stderr)
    for (const line of piped.stdout.split('\n')) assert.ok(line.length <= 80, `wider than 80: ${line}`)
    assert.match(piped.stdout, /^ {2}replay: cachesim run utd-cold-cache-refill --order "B:cache\.get B:db\.select \\$/m, 'the replay command broken for a shell')

    const wider = await runCli(['explore', 'utd-cold-cache-refill'], {env: {COLUMNS: '120'}})
    const lines = wider.stdout.split('\n')
    for (const line of lines) assert.ok(line.length <= 120, `wider than 120: ${line}`)
    assert.match(wider.stdout, /^ {2}replay: cachesim run utd-cold-cache-refill --order "B:cache\.get B:db\.select A:db\.update A:cache\.del B:cache\.set"$/m, 'on one line')
    assert.match(wider.stdout, /│ scenario\s+│ orders\s+│ of which\s+│ behaviours\s+│ expected\? │/)

    const wide = await runCli(['explore', 'utd-cold-cache-refill'], {env: {COLUMNS: '200'}})
    assert.match(wide.stdout, /│ scenario\s+│ strategy\s+│ orders │ behaviours\s+│ impossible │ divergent │ w\/ stale reads │ w\/ dirty reads │ expected\? │ time\s+│/)
    assert.match(wide.stdout, /│ utd-cold-cache-refill │ update-then-delete │ 10\s+│ 5 \(1 divergent\) │ 0\s+│ 1\s+│ 0\s+│ 0\s+│ ✓\s+│ [\d.]+ m?s\s+│/)
  })

  it('explore in a real terminal 120 columns wide uses its width', async () => {
    const session = `cachesim-width-${process.pid}`
    const env = `CACHESIM_MYSQL_URL=${testMysqlUrl} CACHESIM_REDIS_URL=${testRedisUrl} CACHESIM_PREFIX=${testPrefix} NO_COLOR=1`
    const tmux = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8'})
    tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '50', `env -u COLUMNS ${env} ${process.execPath} ${CLI} explore utd-cold-cache-refill; echo EXIT=$?; sleep 60`)
    try {
      let screen = ''
      for (let i = 0; i < 200 && !/EXIT=\d+/.test(screen); i++) {
        await new Promise((resolve) => setTimeout(resolve, 100))
        screen = tmux('capture-pane', '-p', '-J', '-t', session)
      }
      assert.match(screen, /EXIT=0/)
      assert.match(screen, /^ {2}replay: cachesim run utd-cold-cache-refill --order "B:cache\.get B:db\.select A:db\.update A:cache\.del B:cache\.set"$/m, `one line, 114 columns:\n${screen}`)
    } finally {
      tmux('kill-session', '-t', session)
    }
  })

  it("run: a history with an app's long JSON values wraps them whole under their step, within the width", async () => {
    const races = path.join(dir, 'long-values')
    await mkdir(races)
    const value = (n: number) => ({id: n, note: `user ${n}: likes {braces}; #hashtags & <tags>`, tags: ['a:b', 'c;d', '#e'], bio: 'lorem ipsum dolor sit amet '.repeat(3).trim()})
    await writeFile(path.join(races, 'notes-app.ts'), notesApp(value.toString()))
    await writeFile(path.join(races, 'long.yaml'), 'name: long-values\napp: ./notes-app.ts\ninitial: { db: 100, cache: null }\nactors:\n  A: { op: write, value: 99 }\n  B: { op: read }\n')
    const order = 'B:redis.GET B:db.select A:db.update A:redis.DEL B:redis.SET'
    for (const columns of [undefined, '120']) {
      const result = await runCli(['run', path.join(races, 'long.yaml'), '--order', order], columns ? {env: {COLUMNS: columns}} : {})
      assert.equal(result.code, 0, result.stderr)
      const width = Number(columns ?? 80)
      for (const line of result.stdout.split('\n')) assert.ok(line.length <= width, `wider than ${width}: ${line}`)
      assert.doesNotMatch(result.stdout, /…/, 'nothing cut')
      const history = result.stdout.slice(result.stdout.indexOf('long-values: MySQL'))
      const flat = (text: string) => text.replace(/\s+/g, '')
      assert.ok(flat(history).includes(`long-values:MySQL${flat(JSON.stringify(value(99)))},Redis${flat(JSON.stringify(value(100)))}(divergent)`), history)
      // B's SET, its value whole, wrapped under the step's text column.
      const set = history.split('\n').findIndex((line) => /\sB\s+redis\.SET\s+"OK"; cache → \{"id":100,/.test(line))
      assert.ok(set > 0, history)
      const column = history.split('\n')[set]!.indexOf('"OK"')
      const under = history.split('\n').slice(set + 1).filter((line) => line.startsWith(' '.repeat(column)) && line[column] !== ' ')
      assert.ok(under.length >= 1, `the value goes on under its step:\n${history}`)
    }
  })
})

describe('--step', () => {
  it('waits for Enter before each step in a real 80-column terminal, showing the next step, both stores, what the last step returned and what it changed', async () => {
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
    tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '50', `${env} ${process.execPath} ${CLI} run utd-cold-cache-refill --step; echo EXIT=$?; sleep 60`)
    try {
      await waitFor(/step 1 of 5 {2}next: B cache\.get\s*\n {2}now: MySQL 100, Redis –\s*\n {2}\[Enter\] go/)
      // Nothing moves until Enter is pressed.
      await new Promise((resolve) => setTimeout(resolve, 500))
      assert.doesNotMatch(screen(), /step 2 of 5/)
      tmux('send-keys', '-t', session, 'Enter')
      await waitFor(/ {2}B cache\.get: miss\s*\nstep 2 of 5 {2}next: B db\.select/)
      tmux('send-keys', '-t', session, 'Enter')
      await waitFor(/ {2}B db\.select: read 100\s*\nstep 3 of 5 {2}next: A db\.update → 99\s*\n {2}now: MySQL 100, Redis –\s*\n/)
      tmux('send-keys', '-t', session, 'Enter')
      await waitFor(/step 4 of 5 {2}next: A cache\.del\s*\n {2}now: MySQL 99, Redis – {2}\(MySQL was 100\)/)
      tmux('send-keys', '-t', session, 'Enter')
      await waitFor(/step 5 of 5 {2}next: B cache\.set → 100/)
      tmux('send-keys', '-t', session, 'Enter')
      await waitFor(/EXIT=0/)
      assert.match(screen(), /5\s+cache\.set → 100\s+99\s+100\s+◀ diverged/)
      assert.match(screen(), /◀ diverged for good at 5:\s+B's\s+cache\.set\s+of\s+100\s+landed\s+after\s+A's\s+cache\.del:\s+nothing\s+will\s+remove\s+it/)
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

describe('--html: the classroom page, read in a real browser', () => {
  let browser: Browser

  before(async () => {
    const executablePath = findChromium()
    assert.ok(executablePath, 'a Chromium is needed for this test: apt-get install chromium, or npx playwright-core install chromium, or CACHESIM_CHROMIUM=/path/to/chrome (see the README\'s Set-up)')
    browser = await chromium.launch({
      executablePath,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    })
  })

  after(async () => {
    await browser?.close()
  })

  /** Opens a page and fails on any console error, script error or request that leaves the file. */
  async function open(file: string): Promise<{page: Page; problems: string[]}> {
    const page = await browser.newPage({viewport: {width: 1100, height: 900}})
    const problems: string[] = []
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text())
    })
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) problems.push(`fetched ${request.url()}`)
    })
    await page.goto(`file://${file}`)
    return {page, problems}
  }

  it('a teacher steps a race back and forth; the step that made the stores disagree for good says why; stale reads sit on their step; no label overlaps or is cut', async () => {
    const races = path.join(dir, 'lesson')
    await mkdir(races)
    for (const name of ['utd-cold-cache-refill', 'utd-crash-before-delete', 'uu-cache-set-fails', 'dcl-three-readers']) {
      await copyFile(path.join(root, 'scenarios', `${name}.yaml`), path.join(races, `${name}.yaml`))
    }
    const file = path.join(dir, 'lesson.html')
    const result = await runCli(['run', races, '--html', file])
    // Real-time delays land as their expect: says almost always; what is checked here is the page.
    assert.ok(result.code === 0 || result.code === 1, result.stderr)
    assert.match(result.stderr, new RegExp(`^wrote ${file.replaceAll('.', '\\.')}$`, 'm'))
    const {page, problems} = await open(file)
    assert.deepEqual(problems, [])

    // An index leads to every race.
    assert.deepEqual((await page.locator('nav.index a').allTextContents()).sort(), ['dcl-three-readers', 'utd-cold-cache-refill', 'utd-crash-before-delete', 'uu-cache-set-fails'])
    assert.equal(await page.locator('section.run').count(), 4)

    // Stepping: the panel shows both stores after the current step; ← and → and the buttons move it.
    const race = page.locator('section.run[data-scenario="utd-cold-cache-refill"]')
    const now = async () => ({db: await race.locator('.now .db').textContent(), cache: await race.locator('.now .cache').textContent(), at: await race.getAttribute('data-at')})
    assert.deepEqual(await now(), {db: '100', cache: '–', at: '0'})
    await race.locator('button.forward').click()
    assert.equal((await now()).at, '1')
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight')
    assert.deepEqual(await now(), {db: '99', cache: '100', at: '5'})
    assert.match((await race.locator('.now .what').textContent())!, /after step 5: B cache\.set → 100 · diverged for good: B's cache\.set of 100 landed after A's cache\.del: nothing will remove it/)
    assert.ok(await race.locator('button.forward').isDisabled(), 'no step after the last')
    await page.keyboard.press('ArrowLeft')
    assert.deepEqual(await now(), {db: '99', cache: '–', at: '4'})
    assert.equal(await race.locator('tr.current').getAttribute('data-row'), '4')
    assert.equal(await race.locator('tr.future').count(), 1, 'the steps still to come are faded')
    await page.keyboard.press('Home')
    assert.deepEqual(await now(), {db: '100', cache: '–', at: '0'})

    // The mark sits on the step that made the disagreement permanent, in words.
    const marked = race.locator('tr.diverged')
    assert.equal(await marked.count(), 1)
    assert.equal(await marked.getAttribute('data-actor'), 'B')
    assert.match((await marked.locator('.label.step').textContent())!, /^cache\.set → 100$/)
    const failed = page.locator('section.run[data-scenario="uu-cache-set-fails"] tr.diverged')
    assert.match((await failed.locator('.label.step').textContent())!, /^cache\.set failed: injected fault/)
    assert.match((await failed.locator('.mark.diverged').textContent())!, /A's cache\.set failed \(injected fault: cache\.set failed\): nothing else removes Redis's 100, which is not MySQL's 99/)
    const crash = page.locator('section.run[data-scenario="utd-crash-before-delete"]')
    assert.match((await crash.locator('tr.diverged .mark.diverged').textContent())!, /A's db\.update made MySQL 99 while Redis still holds 100, then A crashed/)
    // The stale read is marked on the step that returned it.
    const stale = crash.locator('tr.read-anomaly')
    assert.equal(await stale.count(), 1)
    assert.equal(await stale.getAttribute('data-actor'), 'B')
    assert.match((await stale.locator('.label.step').textContent())!, /^cache\.get hit 100$/)
    assert.equal(await stale.locator('.mark.stale-read').textContent(), 'stale read: B got 100 while MySQL had committed 99')

    // Three lanes, in order; a step that waited says when it was sent.
    const readers = page.locator('section.run[data-scenario="dcl-three-readers"]')
    assert.deepEqual(await readers.locator('th.lane-head').allTextContents(), ['A', 'B', 'C'])
    const waited = await readers.locator('.label.step:has(.sent)').allTextContents()
    assert.ok(waited.some((text) => /^lock\.acquire \(sent as #\d+, took effect here\)$/.test(text)), `a lock.acquire that waited for C's lock: ${waited.join(' | ')}`)

    // Every label box is whole and overlaps no other box, after stepping to the end of every race.
    for (const section of await page.locator('section.run').all()) {
      await section.locator('button.forward').click()
      await page.keyboard.press('End')
    }
    const boxes = await page.locator('section.run .label, section.run td.value').evaluateAll((elements) =>
      elements.map((e) => {
        const r = e.getBoundingClientRect()
        return {text: e.textContent ?? '', x: r.x, y: r.y, w: r.width, h: r.height, cut: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1}
      }),
    )
    assert.ok(boxes.length > 40, `labels found: ${boxes.length}`)
    for (const box of boxes) {
      assert.ok(!box.cut && !box.text.includes('…'), `cut: ${box.text}`)
      assert.ok(box.w > 0 && box.h > 0, `not shown: ${box.text}`)
    }
    for (const [i, a] of boxes.entries()) {
      for (const b of boxes.slice(i + 1)) {
        const overlap = a.x < b.x + b.w - 0.5 && b.x < a.x + a.w - 0.5 && a.y < b.y + b.h - 0.5 && b.y < a.y + a.h - 0.5
        assert.ok(!overlap, `"${a.text}" overlaps "${b.text}"`)
      }
    }

    const shot = path.join(dir, 'lesson.png')
    await crash.screenshot({path: shot})
    const png = await readFile(shot)
    assert.ok(png.length > 5000 && png.subarray(1, 4).toString() === 'PNG', 'a screenshot of the race')
    await page.close()
  })

  it('explore: the counts, and one steppable order per kind of outcome', async () => {
    const file = path.join(dir, 'explore.html')
    const result = await runCli(['explore', 'utd-cold-cache-refill', '--html', file])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /^wrote .*explore\.html$/m)
    const {page, problems} = await open(file)
    assert.deepEqual(problems, [])
    assert.equal(await page.locator('section.explore .counts').textContent(), '1 of 10 orders diverged; 9 consistent.')
    assert.deepEqual(await page.locator('section.explore .example').evaluateAll((es) => es.map((e) => e.getAttribute('data-kind'))), ['divergent', 'consistent'])
    const consistent = page.locator('.example[data-kind="consistent"] section.run')
    await consistent.locator('button.forward').click()
    await page.keyboard.press('End')
    assert.equal(await consistent.locator('.now .db').textContent(), '99')
    assert.equal(await consistent.locator('.now .cache').textContent(), '99')
    assert.equal(await consistent.locator('tr.diverged').count(), 0)
    await page.close()

    const staleFile = path.join(dir, 'stale.html')
    assert.equal((await runCli(['explore', 'utd-stale-read-window', '--html', staleFile])).code, 0)
    const stale = await open(staleFile)
    assert.equal(await stale.page.locator('section.explore .counts').textContent(), '0 of 3 orders diverged; 1 read stale data; 2 consistent.')
    assert.deepEqual(await stale.page.locator('section.explore .example').evaluateAll((es) => es.map((e) => e.getAttribute('data-kind'))), ['stale', 'consistent'])
    assert.equal(await stale.page.locator('.example[data-kind="stale"] tr.read-anomaly .mark.stale-read').count(), 1)
    await stale.page.close()
  })
})

describe('check --markdown', () => {
  it('draws each failing or divergent race as a Mermaid sequence diagram a code host shows in the PR', async () => {
    const races = path.join(dir, 'pr')
    await mkdir(races)
    await copyFile(path.join(root, 'scenarios', 'uu-cache-set-fails.yaml'), path.join(races, 'uu-cache-set-fails.yaml'))
    await copyFile(path.join(root, 'scenarios', 'utd-normal-order.yaml'), path.join(races, 'utd-normal-order.yaml'))
    const markdown = path.join(dir, 'pr.md')
    const result = await runCli(['check', races, '--markdown', markdown])
    assert.equal(result.code, 0, result.stderr)
    assert.match(result.stderr, /^wrote .*pr\.md$/m)
    const md = await readFile(markdown, 'utf8')
    const diagrams = [...md.matchAll(/^#### `([^`]+)`: (.*)\n\n```mermaid\n([^]*?)\n```$/gm)]
    assert.deepEqual(diagrams.map((d) => d[1]), ['uu-cache-set-fails'], 'the consistent race is not drawn')
    assert.deepEqual(diagrams[0]![3]!.split('\n'), [
      'sequenceDiagram',
      '  participant A as A',
      '  participant MySQL',
      '  participant Redis',
      '  Note over MySQL,Redis: start: MySQL 100, Redis 100',
      '  A->>MySQL: db.update → 99',
      '  Note over MySQL,Redis: MySQL 99, Redis 100',
      '  A-xRedis: cache.set failed: injected fault: cache.set failed',
      "  Note over A,Redis: diverged for good: A's cache.set failed (injected fault: cache.set failed): nothing else removes Redis's 100, which is not MySQL's 99",
    ])
    assert.match(md, /Replay: `cachesim run \S+uu-cache-set-fails\.yaml --order "A:db\.update A:cache\.set"`/)
  })
})

describe('check --markdown, drawn by a real Mermaid', () => {
  let browser: Browser

  before(async () => {
    const executablePath = findChromium()
    assert.ok(executablePath, 'a Chromium is needed for this test (see the --html tests)')
    browser = await chromium.launch({executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']})
  })

  after(async () => {
    await browser?.close()
  })

  it('every diagram parses and renders to an SVG with its participants and messages; an app value with ; # : { } < > & shows unchanged', async () => {
    const races = path.join(dir, 'pr-drawn')
    await mkdir(races)
    for (const name of ['uu-cache-set-fails', 'utd-cold-cache-refill']) await copyFile(path.join(root, 'scenarios', `${name}.yaml`), path.join(races, `${name}.yaml`))
    await writeFile(path.join(races, 'notes-app.ts'), notesApp('(n) => ({note: `#${n}; <b> & c:d`})'))
    await writeFile(path.join(races, 'odd.yaml'), 'name: odd-values\napp: ./notes-app.ts\ninitial: { db: 100, cache: null }\nactors:\n  A: { op: write, value: 99 }\n  B: { op: read }\nexpect:\n  explore: { divergentOrders: ">0" }\n')
    const markdown = path.join(dir, 'pr-drawn.md')
    const result = await runCli(['check', races, '--markdown', markdown])
    assert.equal(result.code, 0, result.stderr + result.stdout)
    const md = await readFile(markdown, 'utf8')
    const diagrams = [...md.matchAll(/^#### `([^`]+)`: .*\n\n```mermaid\n([^]*?)\n```$/gm)].map((m) => ({scenario: m[1]!, source: m[2]!}))
    assert.deepEqual(diagrams.map((d) => d.scenario), ['odd-values', 'utd-cold-cache-refill', 'uu-cache-set-fails'])

    const page = await browser.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(error.message))
    page.on('request', (request) => problems.push(`fetched ${request.url()}`))
    await page.setContent('<!doctype html><html><body><div id="drawn"></div></body></html>')
    await page.addScriptTag({path: path.join(root, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js')})
    // What Mermaid draws for an entity code (#59;) is the character.
    const shown = (text: string) => text.replaceAll(/#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    const drawing = page.locator('#drawn')
    for (const [i, {scenario, source}] of diagrams.entries()) {
      const {parseError, svg} = await page.evaluate(
        async ({source, id}) => {
          const mermaid = (globalThis as unknown as {mermaid: Mermaid}).mermaid
          mermaid.initialize({startOnLoad: false})
          const parseError = await mermaid.parse(source).then(() => null, (error: Error) => error.message)
          return {parseError, svg: parseError === null ? (await mermaid.render(id, source)).svg : ''}
        },
        {source, id: `diagram${i}`},
      )
      assert.equal(parseError, null, `${scenario}: Mermaid's parser rejected\n${source}`)
      await drawing.evaluate((element, svg) => (element.innerHTML = svg), svg)
      assert.equal(await drawing.locator('svg').count(), 1, scenario)
      const lines = source.split('\n')
      const said = (pattern: RegExp) => lines.flatMap((line) => pattern.exec(line)?.slice(1).map(shown) ?? [])
      // A participant is drawn with its alias when it has one (`participant actor1 as …`), else its id.
      const participants = lines.flatMap((line) => /^ {2}participant (\S+)(?: as (.*))?$/.exec(line)?.slice(1) ?? []).flatMap((_, n, ids) => (n % 2 === 0 ? [shown(ids[n + 1] ?? ids[n]!)] : []))
      assert.deepEqual(new Set(await drawing.locator('text.actor').allTextContents()), new Set(participants), `${scenario}: its participants`)
      const messages = await drawing.locator('text.messageText').allTextContents()
      assert.deepEqual(messages, said(/^ {2}\w+-(?:>>|x)\w+: (.*)$/), `${scenario}: every message, in order`)
      const notes = await drawing.locator('text.noteText').allTextContents()
      assert.deepEqual(notes, said(/^ {2}Note over [\w,]+: (.*)$/), `${scenario}: every note, in order`)
      assert.ok(messages.length >= 2 && notes.some((note) => note.startsWith('diverged for good: ')), scenario)
      if (scenario === 'odd-values') assert.ok(messages.includes('db.select read "{\\"note\\":\\"#100; <b> & c:d\\"}"'), messages.join('\n'))
    }
    const written = diagrams[0]!.source.split('\n').flatMap((line) => /^ {2}(?:\w+-(?:>>|x)\w+|Note over [\w,]+): (.*)$/.exec(line)?.slice(1) ?? []).join('\n')
    assert.ok(written.includes('#59;') && !/[;<>&]/.test(written.replaceAll(/#\d+;/g, '')), `the characters Mermaid reads as syntax go as entity codes:\n${written}`)
    await page.close()
    assert.deepEqual(problems, [])
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

/**
 * A small app module, as a user would write one: cache-aside over a TEXT column of JSON, read GET
 * then SELECT then SET, write UPDATE then DEL. `value` is the source of its number-to-value map.
 */
function notesApp(value: string): string {
  return `const TABLE = 'classroom_notes'
const app = {
  name: 'notes-app',
  async setup(mysql) {
    await mysql.query(\`CREATE TABLE IF NOT EXISTS \${TABLE} (id BIGINT PRIMARY KEY, value TEXT NULL)\`)
  },
  key: (id, prefix) => \`\${prefix}notes:\${id}\`,
  async readRow(mysql, id) {
    const [rows] = await mysql.query(\`SELECT value FROM \${TABLE} WHERE id = ?\`, [id])
    return rows[0] ? JSON.parse(rows[0].value) : null
  },
  async writeRow(mysql, id, value) {
    if (value === null) await mysql.query(\`DELETE FROM \${TABLE} WHERE id = ?\`, [id])
    else await mysql.query(\`REPLACE INTO \${TABLE} (id, value) VALUES (?, ?)\`, [id, JSON.stringify(value)])
  },
  value: ${value},
  create({id, prefix, redis, mysql}) {
    const key = app.key(id, prefix)
    return {
      async read() {
        const cached = await redis.get(key)
        if (cached !== null) return JSON.parse(cached)
        const value = await app.readRow(mysql, id)
        if (value !== null) await redis.set(key, JSON.stringify(value))
        return value
      },
      async write(value) {
        await mysql.query(\`UPDATE \${TABLE} SET value = ? WHERE id = ?\`, [JSON.stringify(value), id])
        await redis.del(key)
      },
    }
  },
}
export default app
`
}

/** The little of Mermaid's browser bundle the test calls. */
interface Mermaid {
  initialize(config: {startOnLoad: boolean}): void
  parse(text: string): Promise<unknown>
  render(id: string, text: string): Promise<{svg: string}>
}
