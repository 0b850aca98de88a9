import { useEffect, useState, type DependencyList } from 'react';
import type { ProtocolError } from '../../../../engine/protocol/index.js';
import { asProtocolError } from '../../store/errors.js';

export type RequestState<T> = { readonly status: 'idle' } | { readonly status: 'loading' } | { readonly status: 'ready'; readonly value: T } | { readonly status: 'error'; readonly error: ProtocolError };

/** The result of `load`, run again when `deps` change; idle while `load` is null. A stale answer is dropped. */
export function useRequest<T>(load: (() => Promise<T>) | null, deps: DependencyList): RequestState<T> {
  const [state, setState] = useState<RequestState<T>>(load ? { status: 'loading' } : { status: 'idle' });
  useEffect(() => {
    if (!load) return setState({ status: 'idle' });
    let live = true;
    setState({ status: 'loading' });
    load().then(
      (value) => live && setState({ status: 'ready', value }),
      (err: unknown) => live && setState({ status: 'error', error: asProtocolError(err) }),
    );
    return () => {
      live = false;
    };
    // The caller names what `load` depends on.
  }, [load === null, ...deps]);
  return state;
}
