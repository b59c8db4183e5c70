import type {ServerReport, ServersDownResult, ServersStatusResult, ServersUpResult} from '../servers/manage.js'
import type {StrayServer} from '../servers/strays.js'

const LABEL: Record<ServerReport['name'], string> = {mysql: 'MariaDB', redis: 'Redis', replica: 'replica'}

function serverLines(servers: readonly ServerReport[]): string[] {
  return servers.map((s) => `${LABEL[s.name].padEnd(8)} ${s.url.padEnd(42)} pid ${s.pid}${s.running ? '' : '  (not running)'}${s.name === 'mysql' ? '  ROW binlog on' : ''}`)
}

/** What up, down and status stopped on the way: servers of dead runs, and servers whose directory was removed. */
function cleanedLines(result: {cleaned: readonly string[]; strays: readonly StrayServer[]}): string[] {
  return [
    ...result.cleaned.map((dir) => `cleaned up servers left by a cachesim that died: ${dir}`),
    ...result.strays.map((s) => `stopped ${LABEL[s.name]} (pid ${s.pid}), left running after its directory ${s.dir} was removed`),
  ]
}

export function renderServersUp(result: ServersUpResult): string {
  const mysql = result.servers.find((s) => s.name === 'mysql')
  const redis = result.servers.find((s) => s.name === 'redis')
  const how = result.alreadyRunning
    ? 'already running'
    : `ready in ${result.startMs} ms${result.madeTemplate ? ' (first start: made the data directory template)' : ' (from the cached template)'}`
  return [
    ...cleanedLines(result),
    ...serverLines(result.servers),
    `${how}; data in ${result.dir}`,
    `use them:  export CACHESIM_MYSQL_URL=${mysql?.url ?? ''} CACHESIM_REDIS_URL=${redis?.url ?? ''}`,
    `stop them: cachesim servers down${result.dir.endsWith('/servers') ? '' : ` --dir ${result.dir}`}`,
  ].join('\n')
}

export function renderServersDown(result: ServersDownResult): string {
  return [
    ...cleanedLines(result),
    result.removed
      ? `stopped ${result.stopped.length > 0 ? result.stopped.join(', ') : 'nothing (none was running)'}; removed ${result.dir}`
      : `no servers of cachesim's in ${result.dir}`,
  ].join('\n')
}

export function renderServersStatus(result: ServersStatusResult): string {
  const lines = [...cleanedLines(result)]
  if (result.servers.length === 0) lines.push(`no servers up in ${result.dir} (start them: cachesim servers up)`)
  else lines.push(`servers up in ${result.dir}:`, ...serverLines(result.servers).map((l) => `  ${l}`))
  for (const run of result.runs) {
    lines.push(`servers of a running cachesim (pid ${run.owner ?? '?'}) in ${run.dir}:`, ...serverLines(run.servers).map((l) => `  ${l}`))
  }
  return lines.join('\n')
}
