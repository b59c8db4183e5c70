#!/usr/bin/env node
import {readFileSync} from 'node:fs'
import {setFlagsFromString} from 'node:v8'

// Memory over speed in V8's heap sizing, before anything is loaded. Left to its defaults, V8 lets
// the old generation grow to three or four times what survived the last full collection before it
// collects again: `explore` keeps ~40 MB live, flat in the number of orders, yet peaked at 190 to
// 210 MB RSS on the garbage its runs left to wait for that collection (issue 13). Collected sooner,
// it stays near 120 MB, at no cost in speed that could be measured (the runs wait on the servers).
setFlagsFromString('--optimize-for-size')

// `cachesim`, `cachesim --help`, `cachesim run --help`, …: print the help page rendered at build
// time (bin/write-manifest.js) without loading oclif, which takes a third of a second on a slow
// machine. Anything else, or a page that is not there, goes to oclif.
const args = process.argv.slice(2)
const asksHelp = args.length === 0 || args.includes('--help') || args.includes('-h') || (args.length === 1 && args[0] === 'help')
const words = args.filter((a) => a !== '--help' && a !== '-h' && a !== 'help')
if (asksHelp && words.every((w) => /^[a-z][a-z-]*$/.test(w))) {
  const page = words.length === 0 ? 'root' : words.join(' ')
  try {
    process.stdout.write(readFileSync(new URL(`../dist/help/${encodeURIComponent(page)}.txt`, import.meta.url), 'utf8'))
    process.exit(0)
  } catch {
    // No such page (a mistyped command, or not built yet): oclif says what it says.
  }
}

const {execute} = await import('@oclif/core')
await execute({dir: import.meta.url})
