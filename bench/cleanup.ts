/**
 * A stack of undo steps (stop a child, drop a database, remove a folder), run in reverse order of
 * creation. A failed step is reported and the rest still run, so one problem cannot leave the
 * others behind.
 */
export class Cleanup {
  private readonly steps: Array<() => Promise<void>> = []

  constructor (private readonly log: (message: string) => void) {}

  defer (step: () => Promise<void>): void {
    this.steps.push(step)
  }

  async run (): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()
      try {
        await step?.()
      } catch (err) {
        this.log(`cleanup step failed: ${(err as Error).message}`)
      }
    }
  }
}
