import {readFile} from 'node:fs/promises'

import {Args} from '@oclif/core'

import {CachesimCommand} from '../cli/base-command.js'
import {BadInputError} from '../errors/bad-input-error.js'
import {ExitCode} from '../errors/exit-codes.js'
import type {ExploreJson} from '../report/json.js'

export default class Merge extends CachesimCommand {
  static override summary = 'Join the JSON of explore --shard i/n runs into the report one unsharded explore makes.'
  static override description = `Each shard (explore --shard 1/n … n/n --json, e.g. one per CI runner) searches a disjoint part of every scenario's orders. merge sums their counts, unites their behaviours, keeps the shortest witness, and checks each scenario's expect: against the totals: the figures are those of one explore over every order. Exit codes: 0 ok (or every expect: held), 1 some did not, 2 bad input (a shard missing, twice, or from another split).`
  static override examples = ['<%= config.bin %> <%= command.id %> shard-1.json shard-2.json shard-3.json --json > explore.json']
  static override enableJsonFlag = true
  static override strict = false
  static override args = {
    files: Args.string({description: 'the JSON that explore --shard i/n --json printed, one file per shard', required: true}),
  }

  async run(): Promise<ExploreJson[]> {
    const {argv} = await this.parse(Merge)
    const files = await Promise.all(
      (argv as string[]).map(async (file) => {
        let results: unknown
        try {
          results = JSON.parse(await readFile(file, 'utf8'))
        } catch (error) {
          throw new BadInputError(`${file}: not the JSON of explore --shard i/n --json (${(error as Error).message})`)
        }
        if (!Array.isArray(results)) throw new BadInputError(`${file}: not the JSON of explore --json (an array of scenarios)`)
        return {file, results: results as ExploreJson[]}
      }),
    )
    const [{mergeExplored}, {compactTable}] = await Promise.all([import('../report/merge-explored.js'), import('../report/table-style.js')])
    const merged = mergeExplored(files)
    if (!this.jsonEnabled()) {
      const table = compactTable(['scenario', 'strategy', 'orders', 'behaviours', 'impossible', 'divergent', 'w/ stale reads', 'w/ dirty reads', 'expected?', 'witness'])
      for (const r of merged) {
        table.push([r.scenario, r.strategy, `${r.orders}${r.complete ? '' : '+'}`, `${r.behaviours} (${r.divergentBehaviours} divergent)`, r.impossibleOrders, r.divergentOrders, r.staleOrders, r.dirtyOrders, r.matchesExpected === null ? '–' : r.matchesExpected ? '✓' : '✗', r.witness ?? '–'].map(String))
      }
      this.log(table.toString())
      for (const r of merged) for (const mismatch of r.mismatches) this.log(`${r.scenario}: not as expected: ${mismatch}`)
    }
    if (merged.some((r) => r.matchesExpected === false)) process.exitCode = ExitCode.expectationFailed
    return merged
  }
}
