// The worker's heaps, thread by thread, for a benchmark: preloaded into the worker with
// `BENCH_WORKER_NODE_ARGS='--import ./scripts/heap-sampler.mjs'`, it runs in the main thread and in the
// SDK's workflow thread (preloads run in worker threads too) and appends a line a second per thread, and one
// after each full collection (what is live), to /tmp/heap-samples-<worker pid>.log: V8's used and total heap
// and its limit in MiB, and the process's resident size from the main thread. A measuring aid, not the product.
import fs from 'node:fs';
import process from 'node:process';
import { setImmediate, setInterval } from 'node:timers';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import v8 from 'node:v8';
import { threadId } from 'node:worker_threads';

const file = `/tmp/heap-samples-${process.pid}.log`;
const mib = (bytes) => (bytes / 1048576).toFixed(1);
const sample = (kind) => {
  const heap = v8.getHeapStatistics();
  const rss = threadId === 0 ? ` rss ${mib(process.memoryUsage.rss())}` : '';
  fs.appendFileSync(file, `${Date.now()} t${threadId} ${kind} used ${mib(heap.used_heap_size)} total ${mib(heap.total_heap_size)} limit ${mib(heap.heap_size_limit)}${rss}\n`);
};
setInterval(() => sample('tick'), 1000).unref();
// After the collection, not during it: the used size then is what survived.
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (entry.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) setImmediate(() => sample('major'));
}).observe({ entryTypes: ['gc'] });
