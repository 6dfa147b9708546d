import { s3put } from '../api.js';

/**
 * Uploads jobs [{file, bucket, key}] a few at a time; setItems receives the per-file progress.
 * Answers the jobs that succeeded.
 */
export async function uploadAll(jobs, setItems, parallel = 3) {
  const items = jobs.map((j) => ({ name: j.file.name, progress: 0, done: false, error: '' }));
  const publish = () => setItems(items.map((i) => ({ ...i })));
  publish();
  let next = 0;
  let last = 0;
  const ok = [];
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      try {
        await s3put(jobs[i].bucket, jobs[i].key, jobs[i].file, (p) => {
          items[i].progress = p;
          const now = performance.now();
          if (now - last > 100) {
            last = now;
            publish();
          }
        });
        items[i].done = true;
        items[i].progress = 1;
        ok.push(jobs[i]);
      } catch (e) {
        items[i].error = e.message;
      }
      publish();
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, jobs.length) }, worker));
  return ok;
}
