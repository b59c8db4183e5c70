import {CachesimCommand} from '../cli/base-command.js'
import type {ListJson} from '../report/list.js'

export type {ListJson} from '../report/list.js'

export default class List extends CachesimCommand {
  static override summary = 'List the strategies and the built-in scenarios, one line each.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']
  static override enableJsonFlag = true

  async run(): Promise<ListJson> {
    await this.parse(List)
    // Only what listing needs: not the store drivers the rest of the library loads.
    const [{loadBuiltInScenarios}, {STRATEGIES}] = await Promise.all([import('../scenario/load.js'), import('../strategies/index.js')])
    const scenarios = await loadBuiltInScenarios()
    const result: ListJson = {
      strategies: STRATEGIES.map((s) => ({name: s.name, summary: s.summary})),
      scenarios: scenarios.map((s) => ({name: s.name, strategy: s.strategy, description: s.description, source: s.source})),
    }
    if (!this.jsonEnabled()) {
      const {renderList} = await import('../report/list.js')
      this.log(renderList(result))
    }
    return result
  }
}
