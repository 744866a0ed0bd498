import type { ProgressMessage } from '../../workers/tasks.js';
import { bytes } from '../../shared/report/format.js';

/** A one-line progress bar on stderr (phase and bytes read) when stderr is a terminal; silent otherwise. */
export class ProgressBar {
  private phase = 'starting';
  private read = 0;
  private total = 0;
  private last = 0;
  private readonly enabled: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = Boolean(stream.isTTY) && !process.env.CI;
  }

  update = (m: ProgressMessage): void => {
    if (!this.enabled) return;
    if (m.type === 'bytes') {
      this.read = m.bytes;
      this.total = m.total;
    } else this.phase = m.phase;
    const now = Date.now();
    if (m.type === 'bytes' && now - this.last < 80 && m.bytes < m.total) return;
    this.last = now;
    this.draw();
  };

  private draw(): void {
    const width = 30;
    const frac = this.total ? Math.min(1, this.read / this.total) : 0;
    const filled = Math.round(frac * width);
    const bar =
      this.phase === 'parse' && this.total
        ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${bytes(this.read)} / ${bytes(this.total)}`
        : '';
    const line = `${this.phase.padEnd(18)} ${bar}`;
    this.stream.write(`\r${line.slice(0, (this.stream.columns || 100) - 1)}\x1b[K`);
  }

  done(): void {
    if (this.enabled) this.stream.write('\r\x1b[K');
  }
}
