import {createReadStream, createWriteStream, mkdtempSync, type WriteStream} from 'node:fs'
import {rm} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {once} from 'node:events'
import type {Writable} from 'node:stream'

import {orderRun} from '../run/explore-tally.js'
import type {RunResult} from '../run/result.js'
import {type ExploreJson, toOrderJson} from './json.js'

/**
 * `explore --json` with memory flat in the number of orders: each order's line is written to a
 * spool file (one per scenario, in a private temporary folder) as the order ends, and the report
 * is printed once every scenario is done, each scenario's `runs` read back from its file. Nothing
 * reaches stdout before the end, so an error or Ctrl-C still prints one JSON error and no half
 * report. The runs are listed in the order the search ran them (with --parallel, the order they
 * ended), not sorted: sorting would need them all in memory.
 */
export class ExploreJsonSpool {
  private dir: string | null = null
  /** Per scenario, in the order explored: its file and how many lines it has (none: no file). */
  private readonly spooled: Array<{file: string; stream: WriteStream; lines: number} | null> = []
  private scenario = 0

  /** Each order as it ends: its line, as `--json` prints it inside its scenario's `runs`. */
  readonly onRun = (run: RunResult): void => {
    let spool = this.spooled[this.scenario]
    if (!spool) {
      this.dir ??= mkdtempSync(path.join(tmpdir(), 'cachesim-explore-'))
      const file = path.join(this.dir, `${this.scenario}.json`)
      spool = {file, stream: createWriteStream(file), lines: 0}
      this.spooled[this.scenario] = spool
    }
    const text = JSON.stringify(toOrderJson(orderRun(run)), null, 2).replaceAll('\n', '\n      ')
    spool.stream.write(`${spool.lines === 0 ? '\n      ' : ',\n      '}${text}`)
    spool.lines += 1
  }

  /** After each scenario: the next orders are the next scenario's. */
  readonly scenarioDone = (): void => {
    this.spooled[this.scenario]?.stream.end('\n    ')
    this.scenario += 1
  }

  /**
   * Prints the report, pretty-printed as oclif prints --json, each scenario's runs read back from
   * its file: `results[i]` is the i-th scenario explored.
   */
  async print(results: readonly ExploreJson[], out: Writable = process.stdout): Promise<void> {
    if (results.length !== this.scenario) throw new Error(`ExploreJsonSpool: ${results.length} results for ${this.scenario} scenarios`)
    await write(out, results.length === 0 ? '[]\n' : '[\n')
    for (const [i, result] of results.entries()) {
      const {runs: _runs, ...summary} = result
      const head = JSON.stringify(summary, null, 2).replace(/\n}$/, '').replaceAll('\n', '\n  ')
      await write(out, `  ${head},\n    "runs": [`)
      const spool = this.spooled[i]
      if (spool) {
        if (!spool.stream.closed) await once(spool.stream, 'close')
        for await (const chunk of createReadStream(spool.file)) await write(out, chunk as Buffer)
      }
      await write(out, `]\n  }${i === results.length - 1 ? '\n]\n' : ',\n'}`)
    }
  }

  /** Removes the spool files (always, also after an error or Ctrl-C). */
  async remove(): Promise<void> {
    for (const spool of this.spooled) spool?.stream.destroy()
    if (this.dir) await rm(this.dir, {recursive: true, force: true})
  }
}

async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain')
}
