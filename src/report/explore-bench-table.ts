import chalk from 'chalk'
import {compactTable} from './table-style.js'

import type {AppBenchResult} from '../bench/app-bench.js'
import type {ExploreBenchResult, ExploreBenchRow} from '../bench/explore-bench.js'

export function renderExploreBench(result: ExploreBenchResult): string {
  const table = compactTable(['scenario', 'orders (of)', 'seconds', 'orders/s', 'floor orders/s', '× floor', `orders/s ×${result.parallel}`, 'speedup', 'same verdicts', 'µs/step in cachesim'])
  const cells = (name: string, r: Omit<ExploreBenchRow, 'scenario' | 'actors' | 'sameVerdicts'>, same: boolean) => [
    name,
    r.ordersRepresented === null || r.ordersRepresented === r.orders ? String(r.orders) : `${r.orders} (${r.ordersRepresented})`,
    r.seconds.toFixed(1),
    r.ordersPerSecond.toFixed(0),
    r.floorOrdersPerSecond.toFixed(0),
    r.overFloor.toFixed(2),
    r.parallelOrdersPerSecond.toFixed(0),
    `${r.speedup.toFixed(2)}×`,
    same ? chalk.green('yes') : chalk.red('NO'),
    r.frameworkUsPerStep.toFixed(0),
  ]
  for (const r of result.rows) table.push(cells(r.scenario, r, r.sameVerdicts))
  // Totals only over more than one row (a lone row is its own total), and none over no rows.
  const twoActors = result.rows.filter((r) => r.actors === 2)
  if (twoActors.length > 1 && twoActors.length < result.rows.length) table.push(cells(chalk.bold('two-actor scenarios'), result.twoActors, twoActors.every((r) => r.sameVerdicts)))
  if (result.rows.length > 1) table.push(cells(chalk.bold('all'), result.all, result.sameVerdicts))
  return [
    table.toString(),
    chalk.dim(
      '× floor: time per order over the time the same raw mysql2/ioredis calls take (reset, steps, final reads), same process, same servers. ' +
        'speedup: --parallel rate over the sequential rate. µs/step: time a step spends in cachesim outside its store call. ' +
        'orders (of): orders explored, one per class of equivalent orders unless --no-reduce, and the orders they stand for when known. ' +
        'The floor is timed on a uniform sample of at most 400 orders of each search, scaled to all of them.',
    ),
    `peak memory (RSS): ${Math.round(result.peakRssMb)} MB`,
  ].join('\n')
}

export function renderAppBench(result: AppBenchResult): string {
  const table = compactTable(['race', 'orders', `${result.like} ms`, `${result.app} ms`, '× built-in', 'same counts'])
  for (const r of result.rows) {
    table.push([r.race, String(r.orders), r.builtInMs.toFixed(1), r.appMs.toFixed(1), r.ratio.toFixed(2), r.sameCounts ? chalk.green('yes') : chalk.red('NO')])
  }
  const t = result.total
  table.push([chalk.bold('all'), String(t.orders), t.builtInMs.toFixed(1), t.appMs.toFixed(1), t.ratio.toFixed(2), result.rows.every((r) => r.sameCounts) ? chalk.green('yes') : chalk.red('NO')])
  return [
    table.toString(),
    chalk.dim(`× built-in: time to explore every order of the race with the app over the time with ${result.like}, best of each, alternating, same process, same servers.`),
  ].join('\n')
}
