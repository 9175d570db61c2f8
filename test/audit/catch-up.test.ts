/**
 * A catch-up must start after its caller asked: a caller who arrives while one is running waits
 * for that one and then for a fresh one (which everyone arriving meanwhile shares), so no record
 * committed before the call is left behind by a run that had already passed over it.
 */
import { test } from 'tap'
import { createCatchUp } from '../../src/audit/catch-up.js'

test('each caller waits for a run that started after it called', async (t) => {
  const started: number[] = []
  const finishers: Array<() => void> = []
  const catchUp = createCatchUp(async () => {
    started.push(Date.now())
    await new Promise<void>(resolve => { finishers.push(resolve) })
  })
  const flush = async (): Promise<void> => { await new Promise(resolve => setImmediate(resolve)) }

  const first = catchUp()
  await flush()
  t.equal(finishers.length, 1, 'the first caller starts a run')
  let secondDone = false
  let thirdDone = false
  const second = catchUp().then(() => { secondDone = true })
  const third = catchUp().then(() => { thirdDone = true })
  await flush()
  t.equal(finishers.length, 1, 'callers during a run do not start another at once')

  finishers[0]?.()
  await first
  await flush()
  t.equal(finishers.length, 2, 'one more run for everyone who arrived during the first')
  t.notOk(secondDone || thirdDone, 'they wait for that run, not the one already under way')
  finishers[1]?.()
  await Promise.all([second, third])
  t.equal(started.length, 2)

  const later = catchUp()
  await flush()
  t.equal(finishers.length, 3, 'with nothing running, a caller starts a run at once')
  finishers[2]?.()
  await later
})

test('a failed run fails its callers, and the next caller starts afresh', async (t) => {
  let calls = 0
  const catchUp = createCatchUp(async () => {
    calls++
    if (calls === 1) throw new Error('database unavailable')
  })
  await t.rejects(catchUp(), /database unavailable/)
  await catchUp()
  t.equal(calls, 2)
})
