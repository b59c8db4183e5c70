/**
 * The reaper: a tiny process that outlives a cachesim that is killed (kill -9, a crash) and stops
 * the servers that cachesim started for its run. It holds the read end of a pipe from cachesim;
 * when cachesim ends, however it ends, the pipe closes and the reaper kills the set's recorded
 * processes and removes its directory. Usage: node reaper.js SET_DIR
 */
import {killRecorded, waitGone} from './processes.js'
import {removeSetDir} from './set-dir.js'

const setDir = process.argv[2]
if (!setDir) process.exit(2)

let reaping = false
async function reap(): Promise<void> {
  if (reaping) return
  reaping = true
  await waitGone(killRecorded(setDir!))
  removeSetDir(setDir!)
  process.exit(0)
}

// Ctrl-C at the terminal is cachesim's to handle; the reaper waits for the pipe.
process.on('SIGINT', () => {})
process.on('SIGHUP', () => {})
process.on('SIGTERM', () => void reap())
process.stdin.on('data', () => {})
process.stdin.on('end', () => void reap())
process.stdin.on('close', () => void reap())
process.stdin.on('error', () => void reap())
process.stdin.resume()
