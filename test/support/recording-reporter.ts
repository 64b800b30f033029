/** A Reporter that records what a user would see: log lines, annotations, outputs, state, summary. */
import type { Reporter } from '../../src/core/ports.js';
import { GITHUB_TERMS, type PlatformTerms } from '../../src/core/terms.js';

export interface Annotation {
  readonly level: 'notice' | 'warning' | 'error';
  readonly message: string;
  readonly title: string | undefined;
}

export class RecordingReporter implements Reporter {
  readonly lines: string[] = [];
  readonly annotations: Annotation[] = [];
  readonly outputs: Record<string, string> = {};
  readonly state: Record<string, string> = {};
  readonly secrets: string[] = [];
  readonly groups: string[] = [];
  summary = '';

  constructor(
    private readonly echo = process.env.ECHO_ACTION_LOG === '1',
    readonly terms: PlatformTerms = GITHUB_TERMS,
  ) {}

  info(message: string): void {
    this.lines.push(message);
    if (this.echo) console.log(message);
  }
  debug(_message: string): void {}
  notice(message: string, title?: string): void {
    this.annotations.push({ level: 'notice', message, title });
  }
  warning(message: string, title?: string): void {
    this.annotations.push({ level: 'warning', message, title });
  }
  error(message: string, title?: string): void {
    this.annotations.push({ level: 'error', message, title });
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.groups.push(name);
    return fn();
  }
  setOutput(name: string, value: string): void {
    this.outputs[name] = value;
  }
  saveState(name: string, value: string): void {
    this.state[name] = value;
  }
  setSecret(value: string): void {
    this.secrets.push(value);
  }
  async writeSummary(markdown: string): Promise<void> {
    this.summary += markdown;
  }

  /** Every line and annotation, for "does the log mention X" assertions. */
  text(): string {
    return [...this.lines, ...this.annotations.map((a) => `${a.level}: ${a.title ?? ''}: ${a.message}`)].join('\n');
  }
}
