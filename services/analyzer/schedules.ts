import type { Job } from 'bullmq';
import { ANALYSIS_JOB_OPTIONS, type ScheduleJob } from '../../shared/service/queues.js';
import { newAnalysis } from '../../shared/service/store.js';
import type { AnalyzerContext } from './context.js';

/**
 * A schedule's tick: the snapshots its series received since the last run, diffed against the previous run's last
 * snapshot (an analyze when there is only one snapshot in all). Nothing new: nothing to do. A lock in Redis keeps
 * two analyzers from running the same schedule at once.
 */
export async function runSchedule(job: Job<ScheduleJob>, { store, queues }: AnalyzerContext): Promise<void> {
  const { project, schedule } = job.data;
  const lock = `hs:schedule-lock:${project}:${schedule}`;
  if ((await store.redis.set(lock, String(job.id), 'PX', 60_000, 'NX')) !== 'OK') return;
  try {
    const s = await store.schedule(project, schedule);
    if (!s) return;
    const all = await store.listSnapshots(project, s.series);
    const at = s.lastSnapshot ? all.findIndex((x) => x.id === s.lastSnapshot) : -1;
    const fresh = all.slice(at + 1);
    const now = new Date().toISOString();
    if (!fresh.length) {
      await store.putSchedule({ ...s, lastRun: now });
      return;
    }
    const ids = [...(at >= 0 ? [s.lastSnapshot!] : []), ...fresh.map((x) => x.id)];
    const rec = newAnalysis(project, ids, { schedule });
    await store.putAnalysis(rec);
    await queues.analyses.add(rec.kind, { project, analysis: rec.id }, { jobId: rec.id, ...ANALYSIS_JOB_OPTIONS });
    await store.putSchedule({ ...s, lastSnapshot: fresh[fresh.length - 1].id, lastRun: now, lastAnalysis: rec.id });
  } finally {
    await store.redis.del(lock);
  }
}
