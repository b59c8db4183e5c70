#!/usr/bin/env node
// After a build: writes oclif.manifest.json, so that command lookup never imports the command
// files (same steps as `oclif manifest`, without its 190 dependencies), and every help page,
// rendered once, so that `--help` need not load oclif at all.
import {mkdirSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {Config, Help, Plugin} from '@oclif/core'

const root = fileURLToPath(new URL('..', import.meta.url))
const plugin = new Plugin({root, type: 'core', ignoreManifest: true, errorOnManifestCreate: true, respectNoCacheDefault: true})
await plugin.load()
writeFileSync(new URL('../oclif.manifest.json', import.meta.url), JSON.stringify(plugin.manifest, null, 2))

// Every help page as oclif prints it on an 80-column terminal without colour: the root's, and
// each command's and topic's (dist/help/<id>.txt, id with spaces as in `cachesim bench explore`).
const config = await Config.load(root)
mkdirSync(new URL('../dist/help/', import.meta.url), {recursive: true})
const ids = ['', ...new Set([...config.commands.map((c) => c.id), ...config.topics.map((t) => t.name)])]
for (const id of ids) {
  const lines = []
  const help = new (class extends Help {
    log(...args) {
      lines.push(args.join(' '))
    }
  })(config, {maxWidth: 80, stripAnsi: true})
  await help.showHelp(id === '' ? [] : [...id.split(':'), '--help'])
  const name = id === '' ? 'root' : id.replaceAll(':', ' ')
  writeFileSync(new URL(`../dist/help/${encodeURIComponent(name)}.txt`, import.meta.url), `${lines.join('\n')}\n`)
}
