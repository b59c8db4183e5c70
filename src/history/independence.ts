import {storeOf} from './step-name.js'
import type {ActorName, StepName, StepValue} from './types.js'
import {sameValue} from './value.js'

/** A step as the independence relation sees it: who takes it, its name, and whether it is part of a read (the actor's read path). */
export interface StepOf {
  actor: ActorName
  step: StepName
  reading?: boolean
  /** A plain read that changes nothing and takes nothing (no lock, no lease): a GET, a SELECT without FOR UPDATE. */
  readOnly?: boolean
  /** What a write step sends (read only for the built-in `cache.set`). */
  sent?: StepValue
  /** It publishes to subscribers: an app's MULTI or pipeline with a PUBLISH in it. */
  publishes?: boolean
}

/**
 * Which steps of different actors commute: taken one right after the other, in either order,
 * they leave both servers and every actor the same, and each returns the same. This is the
 * independence relation, decided here and nowhere else; the behaviours (history/behaviour.ts) and
 * the reduced search (schedule/sleep-set.ts) both read it. Sound before small:
 * - a `db.*` step and a `cache.*` or `redis.*` step go to different servers with nothing
 *   between them, so either order leaves both servers the same: independent. Neither can make
 *   the other wait (a row lock is MySQL's, a Redis command never waits on MySQL), so each stays
 *   able to go whichever goes first;
 * - two read-only steps commute (both `readOnly`, set by the step itself: the built-in
 *   `cache.get` and `db.select`, an app's read-only Redis command or plain SELECT): neither
 *   changes what the other reads, and neither can make the other wait (a plain SELECT is a
 *   consistent read, which takes no row lock; two shared locks do not conflict either);
 * - any other two steps on the same server are dependent: a `cache.get` of a strategy's own can
 *   take a lease (lease), a `db.select` of its own can take a row lock (FOR UPDATE inside a
 *   transaction), an app's DEL answers how many keys it removed, and what a step leaves besides the row
 *   and the key (a lease, a lock key) is not in its effect;
 * - two built-in `cache.del` commute: each removes the actor's one key and answers nothing (the
 *   DEL's count is dropped), so from any state either order leaves the key absent with the same
 *   results, a failed DEL included (it changes nothing). An app's `redis.DEL` or `redis.UNLINK`
 *   answers how many keys it removed, which its code may read: those stay dependent;
 * - two built-in `cache.set` of the same value commute: either order leaves that value, each
 *   answers OK, and under the run's clock (schedule/ttl-clock.ts) no time passes between two
 *   steps, so a TTL they set runs out at the same moment either way. A failed SET changes nothing;
 * - a PUBLISH (or a MULTI or pipeline with one in it: `publishes`) reaches other actors'
 *   subscribers, whose in-process caches change before the step ends (app/deliveries.ts): what
 *   another actor does next may depend on it, so it is dependent on every step;
 * - a step of a read and a MySQL step that may commit (any but db.select, db.begin and
 *   db.rollback) are dependent, whatever their servers: whether a read was stale or dirty is
 *   judged by whether a commit came before the read began or before it ended (check/reads.ts),
 *   so swapping them could change what the checks find though the servers end the same;
 * - anything else (`lock.*` on either server; `binlog.read`, which sees MySQL's commits from the
 *   binlog; `stream.*`; a replica's reads, which see MySQL's commits later; one-word steps such as
 *   `wait` and `pause`, where time passes for TTLs) is dependent on every step.
 * Two steps of the same actor never commute (program order).
 */
export function dependent(a: StepOf, b: StepOf): boolean {
  if (a.actor === b.actor) return true
  if ((a.reading === true && mayCommit(b.step)) || (b.reading === true && mayCommit(a.step))) return true
  if (a.readOnly === true && b.readOnly === true) return false
  if (a.step === 'cache.del' && b.step === 'cache.del') return false
  if (a.step === 'cache.set' && b.step === 'cache.set' && a.sent !== undefined && b.sent !== undefined && sameValue(a.sent, b.sent)) return false
  const ra = a.publishes ? 'everything' : resourceOf(a.step)
  const rb = b.publishes ? 'everything' : resourceOf(b.step)
  return ra === 'everything' || rb === 'everything' || ra === rb
}

type Resource = 'db' | 'redis' | 'everything'

function resourceOf(step: StepName): Resource {
  if (/^redis\.S?PUBLISH$/.test(step)) return 'everything'
  const store = storeOf(step)
  if (store === 'db') return 'db'
  if (store === 'cache' || store === 'redis') return 'redis'
  return 'everything'
}

function mayCommit(step: StepName): boolean {
  return storeOf(step) === 'db' && step !== 'db.select' && step !== 'db.begin' && step !== 'db.rollback'
}
