import { Component, type ReactNode } from 'react';
import './job.css';

interface Props {
  readonly name: string;
  /** When it changes (another tab, another model), a failed view is tried again. */
  readonly resetKey?: unknown;
  readonly children: ReactNode;
}

interface State {
  readonly error: Error | null;
  readonly key: unknown;
}

/** Keeps a failing view from blanking the whole workbench: the view says what went wrong, the rest stays usable. */
export class ViewBoundary extends Component<Props, State> {
  override state: State = { error: null, key: this.props.resetKey };

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.key ? null : { error: null, key: props.resetKey };
  }

  override render() {
    const { error } = this.state;
    if (error === null) return this.props.children;
    return (
      <div className="job-error" role="alert">
        <strong>{`The ${this.props.name} view failed`}</strong>
        <p className="job-error-message">{error.message}</p>
        <p className="muted">The rest of the workbench still works. Switch views or reopen the model to try again; if it keeps failing, please report it with this message.</p>
      </div>
    );
  }
}
