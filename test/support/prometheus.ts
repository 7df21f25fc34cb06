/** Reading Prometheus' text exposition format in tests: one value per series, keyed `name{label="value",...}` (labels sorted). */

export type Samples = Map<string, number>;

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function seriesKey(name: string, labels: Record<string, string> = {}): string {
  const parts = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}="${v}"`);
  return parts.length > 0 ? `${name}{${parts.join(',')}}` : name;
}

export function parsePrometheus(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line.trim());
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const [, name, labelText = '', value] = match;
    const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map(([, k, v]) => [k!, v!]));
    samples.set(seriesKey(name!, labels), Number(value));
  }
  return samples;
}

/** The value of one series (0 when absent: a counter that never moved). */
export function sample(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  return samples.get(seriesKey(name, labels)) ?? 0;
}

/** Every series of a metric family, by its labels. */
export function family(samples: Samples, name: string): Array<{ labels: string; value: number }> {
  return [...samples].filter(([key]) => key === name || key.startsWith(`${name}{`)).map(([key, value]) => ({ labels: key.slice(name.length), value }));
}

export async function scrape(url: string, credentials?: { user: string; password: string }): Promise<Samples> {
  const headers: Record<string, string> = credentials ? { authorization: `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` } : {};
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  return parsePrometheus(await res.text());
}
