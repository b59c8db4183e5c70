#!/usr/bin/env node
import {readFileSync} from 'node:fs'

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
