/** A RecordingReporter that also tells a trial when a line it waits for is printed. */
import { RecordingReporter } from '../../test/support/recording-reporter.js';

export class WatchingReporter extends RecordingReporter {
  private readonly waiters: Array<{ test: (line: string) => boolean; resolve: () => void }> = [];

  override info(message: string): void {
    super.info(message);
    for (const w of [...this.waiters]) {
      if (!w.test(message)) continue;
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve();
    }
  }

  /** Resolves when a line matching `pattern` is printed (at once if one was). */
  printed(pattern: RegExp): Promise<void> {
    if (this.lines.some((l) => pattern.test(l))) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ test: (l) => pattern.test(l), resolve }));
  }
}
