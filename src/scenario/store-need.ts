import {strategyOf} from '../app/strategy-of.js'
import type {StoreNeed} from '../stores/targets.js'
import type {Scenario} from './types.js'

/**
 * What a scenario needs of the servers, as it declares it: a replica through its `replica:`, a
 * ROW binlog through its strategy (`needsBinlog`). A replica wins: it comes with cachesim's own
 * servers, which keep a binlog too.
 */
export function storeNeedOf(scenario: Scenario): StoreNeed {
  if (scenario.replica !== undefined) return 'replica'
  return strategyOf(scenario).needsBinlog === true ? 'binlog' : 'plain'
}
