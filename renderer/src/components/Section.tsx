import type { ReactNode } from 'react';

interface Props {
  readonly title: string;
  /** A short note beside the title, such as a count. */
  readonly aside?: ReactNode;
  readonly className?: string;
  readonly children: ReactNode;
}

export function Section({ title, aside, className, children }: Props) {
  return (
    <section className={`card ${className ?? ''}`.trim()}>
      <header className="card-header">
        <h2>{title}</h2>
        {aside === undefined ? null : <span className="card-aside">{aside}</span>}
      </header>
      {children}
    </section>
  );
}
