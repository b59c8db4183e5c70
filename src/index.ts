/**
 * cachesim's library: everything the commands use, in one place. Commands import this module
 * lazily so that `--help` never loads the store drivers.
 */
export {CachesimError} from './errors/cachesim-error.js'
export {BadInputError} from './errors/bad-input-error.js'
export {ScenarioError} from './errors/scenario-error.js'
export {StoreUnavailableError} from './errors/store-unavailable-error.js'
export {StoreError} from './errors/store-error.js'
export {InterruptedError} from './errors/interrupted-error.js'
export {ExitCode} from './errors/exit-codes.js'

export type {ActorName, EntryType, HistoryEntry, OperationRecord, StepName, StepRecord, StepValue} from './history/types.js'
export {History, pairSteps} from './history/history.js'

export type {Actor, Strategy} from './strategies/types.js'
export {STRATEGIES, findStrategy, getStrategy, strategyNames} from './strategies/index.js'

export type {ActorSpec, Operation, RunExpectation, Scenario} from './scenario/types.js'
export {loadBuiltInScenarios, loadMatrixScenarios, loadScenarioFile, loadScenarios, parseScenario} from './scenario/load.js'
export {checkOverrides, overridesFrom, resolveScenarios, scenariosFor, scenariosToCheck, withOverrides, type ScenarioOverrides} from './scenario/resolve.js'

export type {InjectedDelay} from './schedule/delays.js'
export {DelaySchedule} from './schedule/delays.js'
export {SteppedSchedule, type Selector} from './schedule/stepped.js'
export type {LockKind} from './schedule/locks.js'
export {type Fault, type FaultKind, parseFault, formatFault} from './schedule/faults.js'

export {committedVersions} from './check/commits.js'
export {checkReads} from './check/reads.js'
export {isDivergent} from './check/divergence.js'
export {compareExpectation} from './check/expectation.js'

export type {RunResult} from './run/result.js'
export {runScenario} from './run/run-scenario.js'
export {checkOrder, exploreScenarios, runScenarios} from './run/run-scenarios.js'
export {exploreScenario, type ExploreResult, DEFAULT_MAX_ORDERS} from './run/explore-scenario.js'
export {Workbench, type WorkbenchOptions} from './run/workbench.js'

export {renderRunTable} from './report/run-table.js'
export {renderHistory} from './report/history-lines.js'
export {toExploreJson, toRunJson, verdictOf, type ExploreJson, type OrderJson, type RunJson, type StepJson, type Verdict} from './report/json.js'
export {renderExploreTable} from './report/explore-table.js'
export {renderTimeline} from './report/timeline.js'
export {renderHtmlReport, writeHtmlReport} from './report/html.js'
export {renderJunit} from './report/junit.js'
export {renderMarkdown} from './report/markdown.js'
export {checkWritable, writeReport} from './report/write-report.js'
export {checkScenarios, type CheckResult} from './run/check-scenarios.js'

export type {Distribution, QueryKind, ReadBenchOptions, StampedeLock, StampedeOptions} from './bench/types.js'
export type {ModeName, ModeResult, ReadBenchResult, StampedeResult, StampedeRound} from './bench/result.js'
export type {LatencySummary} from './bench/latency.js'
export type {Floors} from './bench/floors.js'
export {runReadBench, type ReadBenchHooks} from './bench/read-bench.js'
export {runStampede, type StampedeHooks} from './bench/stampede.js'
export {ConnectionLimitError} from './errors/connection-limit-error.js'
export {renderReadBench} from './report/bench-table.js'
export {renderStampede} from './report/stampede-table.js'

// Private servers (cachesim servers, --servers): throwaway MariaDB (ROW binlog) and Redis for one process.
export type {PrivateServerOptions, PrivateServers} from './servers/private-servers.js'
export {startPrivateServers} from './servers/private-servers.js'
export {SERVERS_MODES, type ServersMode} from './servers/modes.js'
export {resolveServers, type ResolveServersOptions, type ResolvedServers} from './servers/resolve-servers.js'
export {serversDown, serversStatus, serversUp, cleanStaleRuns} from './servers/manage.js'
export type {ServerReport, ServersDownResult, ServersStatusResult, ServersUpResult} from './servers/manage.js'
export type {StrayServer} from './servers/strays.js'
export {ServersBusyError} from './errors/servers-busy-error.js'
export {PrivateServerError} from './errors/private-server-error.js'
export {NoServersError} from './errors/no-servers-error.js'
export {BinlogOffError} from './errors/binlog-off-error.js'
// Replica lag: hold a private replica back, release it, wait until it has caught up.
export {ReplicaControl, type ReplicaStatus} from './servers/replica-control.js'

// Change capture (cachesim sync): binlog row events, applied to the cache and published.
export type {BinlogPosition, Row, RowChangeType, RowEvent} from './cdc/row-event.js'
export {binlogVersion, comparePositions} from './cdc/row-event.js'
export {BinlogReader, type BinlogReaderOptions} from './cdc/binlog-reader.js'
export {binlogProblem} from './cdc/binlog-check.js'
export {CacheApplier, SYNC_MODES, publishedJson, type SyncMode, type StoredPosition} from './cdc/cache-applier.js'
export {tableCodec, type TableCodec} from './cdc/table-codec.js'
export {runSync, type SyncOptions} from './cdc/run-sync.js'
export {validateTableNames} from './cdc/source-tables.js'
export {SyncStats} from './cdc/sync-stats.js'
export {renderSyncStatus} from './report/sync-status.js'
export {binlogChannel, syncAppliedKey, syncPositionKey} from './stores/keys.js'
export {benchSync, type SyncBenchOptions, type SyncBenchRound} from './cdc/sync-bench.js'
