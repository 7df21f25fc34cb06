import { useEffect, useState } from 'preact/hooks';
import { SESSION_ENDED } from '../lib/api.ts';
import { Notice } from './notice.tsx';

/** Says so, once, when the API answers that the session has ended (expired, or signed out elsewhere). */
export function SessionWatch() {
  const [ended, setEnded] = useState<string | undefined>();
  useEffect(() => {
    const onEnded = (e: Event) => setEnded((e as CustomEvent<string>).detail);
    window.addEventListener(SESSION_ENDED, onEnded);
    return () => window.removeEventListener(SESSION_ENDED, onEnded);
  }, []);
  return ended ? (
    <Notice tone="error" title="Your session has ended">
      {ended}
    </Notice>
  ) : null;
}
