import { duration } from '../lib/format.ts';

/** A labelled progress bar (role="progressbar" with its values), and the time left when known. */
export function ProgressBar({ id, label, done, total, etaSeconds }: { id: string; label: string; done: number; total: number; etaSeconds?: number | null }) {
  const percent = total === 0 ? 100 : Math.min(100, Math.floor((done * 100) / total));
  const finished = done >= total;
  return (
    <div class="progress-block">
      <div class="progress-label" id={`${id}-label`}>
        {label}
      </div>
      <div
        class="progress"
        role="progressbar"
        id={id}
        aria-labelledby={`${id}-label`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%: ${done.toLocaleString('en')} of ${total.toLocaleString('en')}`}
      >
        <div class="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p class="hint" aria-live="polite">
        {done.toLocaleString('en')} of {total.toLocaleString('en')} ({percent}%)
        {finished ? ': done.' : etaSeconds !== undefined && etaSeconds !== null ? `, about ${duration(etaSeconds)} left.` : '.'}
      </p>
    </div>
  );
}
